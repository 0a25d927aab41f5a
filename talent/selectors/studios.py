"""TAL-4 reads: a studio's level on a date, set-based, for pages and for indicators.

A recognition is in force on E when recognised on or before E and not removed on E (removed_on
is empty or after E). A studio's level on E is the best (lowest number) recognition in force:
after an upgrade from 区级 to 市级 the studio counts as 市级 from the upgrade's date and as 区级
before it. Issue 11's IND-STUDIOS counts ``studios_recognised_on(day=E, level=CITY)`` per unit
subtree; the SQL is a correlated MIN that SQLite runs too."""
from __future__ import annotations

import datetime as dt

from django.db.models import Min, OuterRef, Prefetch, Q, QuerySet, Subquery

from ..models import Studio, StudioActivity, StudioRecognition


def recognition_in_force(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}recognised_on__lte": day}) & (
        Q(**{f"{prefix}removed_on__isnull": True}) | Q(**{f"{prefix}removed_on__gt": day}))


def studio_levels_on(day: dt.date) -> QuerySet:
    """(studio_id, level) of every studio recognised on ``day``: one GROUP BY over the recognitions."""
    return (StudioRecognition.objects.filter(recognition_in_force(day)).values("studio_id")
            .annotate(level=Min("level")).order_by("studio_id"))


def with_level_on(queryset: QuerySet, day: dt.date) -> QuerySet:
    """Annotate ``level_on``: the studio's level on ``day``, None when not recognised then."""
    best = (StudioRecognition.objects.filter(recognition_in_force(day), studio=OuterRef("pk"))
            .order_by("level").values("level")[:1])
    return queryset.annotate(level_on=Subquery(best))


def studios_recognised_on(*, day: dt.date, level: int | None = None, under=None) -> QuerySet:
    """IND-STUDIOS: the studios recognised at ``level`` on ``day`` and not removed on it (any
    level when None), hosted in the subtree of the unit ``under`` when given."""
    studios = with_level_on(Studio.objects.all(), day)
    if under is not None:
        studios = studios.filter(unit__path__startswith=under.path)
    return studios.filter(level_on=level) if level is not None else studios.filter(level_on__isnull=False)


def studio_level_on(studio: Studio, day: dt.date) -> int | None:
    return studio_levels_on(day).filter(studio_id=studio.pk).values_list("level", flat=True).first()


def public_studios(*, day: dt.date, level: int | None = None, q: str = "") -> QuerySet:
    """TAL-7: the studios a unit marked public and recognised today, best level first."""
    studios = studios_recognised_on(day=day, level=level).filter(public=True).select_related("unit", "leader")
    if q:
        studios = studios.filter(Q(name__icontains=q) | Q(field__icontains=q) | Q(unit__name__icontains=q))
    return studios.order_by("level_on", "name", "id")


def public_studio(*, studio_id: int, day: dt.date) -> Studio:
    """A public studio's page: recognitions as history, activities, assessments. Raises
    Studio.DoesNotExist for one not public or not recognised today."""
    return (studios_recognised_on(day=day).filter(public=True).select_related("unit", "leader")
            .prefetch_related(
                "members", "assessments",
                Prefetch("recognitions", queryset=StudioRecognition.objects.order_by("recognised_on", "level")),
                Prefetch("activities", queryset=StudioActivity.objects.select_related("master").prefetch_related("apprentices")),
            ).get(pk=studio_id))


