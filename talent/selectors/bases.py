"""TAL-5 reads: demonstration bases in force on a date (IND-BASES), technical associations."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from ..models import DemonstrationBase, TechAssociation


def bases_recognised_on(*, day: dt.date, level: int | None = None, under=None) -> QuerySet:
    """IND-BASES: bases recognised at ``level`` on or before ``day`` and not revoked on it, hosted
    in the subtree of the unit ``under`` when given."""
    bases = DemonstrationBase.objects.filter(Q(recognised_on__lte=day) & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=day)))
    if under is not None:
        bases = bases.filter(unit__path__startswith=under.path)
    return bases.filter(level=level) if level is not None else bases


def public_bases(*, day: dt.date, level: int | None = None, q: str = "") -> QuerySet:
    bases = bases_recognised_on(day=day, level=level).filter(public=True).select_related("unit")
    if q:
        bases = bases.filter(Q(name__icontains=q) | Q(occupations__icontains=q) | Q(unit__name__icontains=q))
    return bases.order_by("level", "name", "id")


def public_base(*, base_id: int, day: dt.date) -> DemonstrationBase:
    return bases_recognised_on(day=day).filter(public=True).select_related("unit").get(pk=base_id)


def public_associations(*, q: str = "") -> QuerySet:
    associations = TechAssociation.objects.filter(public=True).select_related("unit").annotate(
        member_count=Count("member_units"))
    if q:
        associations = associations.filter(Q(name__icontains=q) | Q(unit__name__icontains=q))
    return associations.order_by("name", "id")


def public_association(*, association_id: int) -> TechAssociation:
    return (TechAssociation.objects.filter(public=True).select_related("unit").prefetch_related("member_units")
            .get(pk=association_id))
