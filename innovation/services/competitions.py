"""INN-1: writes for labour competitions and the 工人先锋号 titles they award."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from membership import scoping

from ..models import CompetitionEntry, Honour, HonourLevel, LabourCompetition, Rung
from .honours import honour_award


def competition_save(*, competition: LabourCompetition) -> LabourCompetition:
    """A competition belongs to its committee's unit (stored on the row: scope is one join)."""
    competition.unit_id = competition.committee.unit_id
    competition.full_clean()
    competition.save()
    return competition


@transaction.atomic
def pioneer_title_award(*, entry: CompetitionEntry, awarded_on: dt.date, level: str = HonourLevel.MUNICIPAL,
                        by=None) -> Honour:
    """INN-1, INN-6: a competition awards 工人先锋号 to one of its teams; the title is a collective
    honour of the team's unit, the first rung of the collective ladder."""
    if by is not None and not scoping.changeable_by(CompetitionEntry.objects.filter(pk=entry.pk), by).exists():
        raise PermissionDenied
    team = entry.team_name or entry.unit.name
    if Honour.objects.filter(rung=Rung.PIONEER_TEAM, unit_id=entry.unit_id, team_name=team,
                             competition_id=entry.competition_id).exists():
        raise ValidationError(_("This team already holds the Workers' Pioneer title of this competition."))
    return honour_award(rung=Rung.PIONEER_TEAM, level=level, awarded_on=awarded_on, unit=entry.unit, team_name=team,
                        competition=entry.competition, awarded_by=entry.competition.committee.name)
