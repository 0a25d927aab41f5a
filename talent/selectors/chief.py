"""TAL-3 reads: chief employees in force on a date, and the public list (TAL-7)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from ..models import ChiefEmployee


def current_chief_employees(*, day: dt.date) -> QuerySet:
    return ChiefEmployee.objects.current(on=day)


def public_chief_employees(*, day: dt.date, q: str = "") -> QuerySet:
    """TAL-7: designations a unit marked public and in force today."""
    chiefs = current_chief_employees(day=day).filter(public=True).select_related("worker", "worker__unit", "unit")
    if q:
        chiefs = chiefs.filter(Q(worker__name__icontains=q) | Q(field__icontains=q) | Q(unit__name__icontains=q))
    return chiefs.order_by("-term_from", "id")


def public_chief_employee(*, designation_id: int, day: dt.date) -> ChiefEmployee:
    return (current_chief_employees(day=day).filter(public=True).select_related("worker", "worker__unit", "unit")
            .prefetch_related("evaluations").get(pk=designation_id))
