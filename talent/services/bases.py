"""TAL-5: demonstration bases and workers' technical associations."""
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import DemonstrationBase, TechAssociation


@transaction.atomic
def demonstration_base_save(*, base: DemonstrationBase) -> DemonstrationBase:
    """TAL-5: a base recognised on a date and perhaps revoked later (never before)."""
    if base.revoked_on is not None and base.recognised_on is not None and base.revoked_on < base.recognised_on:
        raise ValidationError({"revoked_on": _("A base cannot be revoked before it was recognised.")})
    base.full_clean()
    base.save()
    return base


@transaction.atomic
def tech_association_save(*, association: TechAssociation, member_units: Iterable | None = None) -> TechAssociation:
    association.full_clean()
    association.save()
    if member_units is not None:
        association.member_units.set(member_units)
    return association
