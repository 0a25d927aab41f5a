"""Reads of the audit trail for its admin pages."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, JSONObject


def _snapshot(model: type[models.Model]) -> JSONObject:
    return JSONObject(**{name: F(model._meta.get_field(name).attname) for name in model.tracked_fields})


def events_for_list(queryset: models.QuerySet) -> models.QuerySet:
    """Each event with its tracked values (`audit_after`), the same object's previous event's
    (`audit_before`, None for the first) and the user name of its context, in one query for the
    page: the "before → after" column costs no query per row."""
    model = queryset.model
    previous = (
        model.objects.filter(pgh_obj=OuterRef("pgh_obj"), pgh_id__lt=OuterRef("pgh_id"))
        .order_by("-pgh_id").values(snapshot=_snapshot(model))[:1]
    )
    user = get_user_model().objects.filter(pk=OuterRef("audit_user_id"))
    return queryset.annotate(
        audit_user_id=Cast(KT("pgh_context__user"), models.BigIntegerField()),
    ).annotate(
        audit_after=_snapshot(model),
        audit_before=Subquery(previous, output_field=models.JSONField()),
        audit_username=Subquery(user.values("username")[:1]),
    )
