"""INN-1, INN-3, INN-5: labour competitions run by a committee's unit, the teams taking part, the
工人先锋号 a competition awards (a collective honour on the ladder), and the admin pages of
competitions, six smalls, invention contests, fairs and contracts."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from innovation.models import CompetitionEntry, Honour, LabourCompetition
from innovation.services.competitions import pioneer_title_award
from membership import scoping
from tests.factories import committee_create, competition_create, competition_entry_create


def test_a_competition_belongs_to_its_committees_unit(tree):
    committee = committee_create(tree["chaoyang"], level="district")
    competition = competition_create(tree["chaoyang_enterprise"], committee=committee, theme="safety")
    assert competition.unit == tree["chaoyang"]
    assert "安康杯" in competition.get_theme_display()


def test_a_competition_awards_the_pioneer_title_once_to_a_team(tree, chaoyang_officer):
    competition = competition_create(tree["chaoyang"], ends_on=dt.date(2012, 11, 30))
    entry = competition_entry_create(competition, tree["chaoyang_enterprise"], team_name="盾构一班",
                                     score=Decimal("96.5"), rank=1, result="一等奖")
    honour = pioneer_title_award(entry=entry, awarded_on=dt.date(2012, 12, 10), by=chaoyang_officer)
    assert (honour.rung, honour.team_name, honour.unit, honour.competition, honour.worker) == (
        "pioneer_team", "盾构一班", tree["chaoyang_enterprise"], competition, None)
    with pytest.raises(ValidationError):
        pioneer_title_award(entry=entry, awarded_on=dt.date(2012, 12, 11), by=chaoyang_officer)
    assert Honour.objects.count() == 1


def test_the_participating_unit_sees_its_entry_and_cannot_award_it(tree, haidian_officer):
    from django.core.exceptions import PermissionDenied

    competition = competition_create(tree["chaoyang"])
    entry = competition_entry_create(competition, tree["haidian_enterprise"], team_name="海淀班组")
    rows = CompetitionEntry.objects.filter(pk=entry.pk)
    assert scoping.visible_to(rows, haidian_officer).count() == 1
    assert not scoping.changeable_by(rows, haidian_officer).exists()
    assert not scoping.visible_to(LabourCompetition.objects.filter(pk=competition.pk), haidian_officer).exists()
    with pytest.raises(PermissionDenied):
        pioneer_title_award(entry=entry, awarded_on=dt.date(2012, 12, 10), by=haidian_officer)
    assert not Honour.objects.exists()


def test_the_admin_action_awards_the_title_with_the_committees_level(client, tree, chaoyang_officer):
    competition = competition_create(tree["chaoyang"], committee=committee_create(tree["chaoyang"], level="municipal"))
    entry = competition_entry_create(competition, tree["chaoyang_enterprise"], team_name="钢筋班")
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:innovation_competitionentry_changelist"),
                           {"action": "award_pioneer_title", "_selected_action": [entry.pk]})
    assert response.status_code == 302
    honour = Honour.objects.get()
    assert (honour.team_name, honour.level, honour.awarded_on) == ("钢筋班", "municipal", competition.ends_on)


@pytest.mark.parametrize("model", ["competitioncommittee", "labourcompetition", "competitionentry", "smallsentry",
                                   "inventioncontest", "contestentry", "achievement", "evaluationindicator",
                                   "achievementevaluation", "patent", "transferevent", "technologycontract", "honour"])
def test_every_innovation_admin_page_opens_for_a_district_officer(client, tree, chaoyang_officer, model):
    from innovation import models
    from tests.factories import IN_UNIT

    cls = next(m for m in vars(models).values() if isinstance(m, type) and getattr(m, "_meta", None)
               and m._meta.model_name == model)
    if cls in IN_UNIT:
        row = IN_UNIT[cls](tree["chaoyang_enterprise"])
    else:
        row = cls.objects.first()
    client.force_login(chaoyang_officer)
    assert client.get(reverse(f"admin:innovation_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:innovation_{model}_change", args=[row.pk])).status_code == 200
