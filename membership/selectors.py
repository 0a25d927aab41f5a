"""Reads for units and workers; each returns a queryset the caller may narrow further."""
from __future__ import annotations

from django.db.models import QuerySet

from . import scoping
from .crypto import id_number_digest
from .models import Unit, Worker


def workers_by_id_number(*, queryset: QuerySet, id_number: str) -> QuerySet:
    return queryset.filter(id_number_digest=id_number_digest(id_number))


def workers_visible(*, user) -> QuerySet:
    return scoping.visible_to(Worker.objects.select_related("unit"), user)


def units_visible(*, user) -> QuerySet:
    return scoping.visible_to(Unit.objects.select_related("industry"), user).order_by("path")


def level1_units() -> QuerySet:
    return Unit.objects.filter(depth=2).order_by("path")
