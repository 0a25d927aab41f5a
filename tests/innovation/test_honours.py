"""INN-6: honours with level and date, is_model_worker for the talent app, the ladder of eligible
candidates with their records beside them, its export (ID masked, export permission), and credits
through the ledger where a rule for honours is in force."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import CreditEntry, CreditRule
from innovation.models import Honour
from innovation.selectors import honours as selectors
from innovation.selectors.honours import honours_ladder, is_model_worker
from tests.factories import UserFactory, WorkerFactory, achievement_create, honour_create


def _step(steps, rung_label_part):
    return next(step for step in steps if rung_label_part in step.target)


def _names(step):
    return [candidate.name for candidate in step.candidates]


def test_is_model_worker_reads_the_honour_in_force_on_the_day(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    honour = honour_create("model_worker", worker=worker, awarded_on=dt.date(2010, 4, 30))
    assert not is_model_worker(worker, dt.date(2010, 4, 29))
    assert is_model_worker(worker, dt.date(2010, 4, 30))
    Honour.objects.filter(pk=honour.pk).update(revoked_on=dt.date(2012, 1, 1))
    assert is_model_worker(worker, dt.date(2011, 12, 31))
    assert not is_model_worker(worker, dt.date(2012, 1, 1))
    assert not is_model_worker(WorkerFactory(unit=tree["chaoyang_enterprise"]), dt.date(2013, 1, 1))


def test_the_ladder_lists_holders_of_the_rung_below_who_hold_nothing_higher(tree, chaoyang_officer):
    unit = tree["chaoyang_enterprise"]
    star, chief, medal, model, both = (WorkerFactory(unit=unit, name=name) for name in ("标兵甲", "首席乙", "奖章丙", "劳模丁", "双戊"))
    honour_create("innovation_star", worker=star)
    honour_create("chief_employee", worker=chief)
    honour_create("labour_medal", worker=medal)
    honour_create("model_worker", worker=model)
    honour_create("innovation_star", worker=both)
    honour_create("studio_leader", worker=both, awarded_on=dt.date(2012, 1, 1))
    honour_create("pioneer_team", unit=unit, team_name="数控班")
    honour_create("pioneer_team", unit=unit, team_name="焊接班")
    honour_create("labour_award", unit=unit, team_name="焊接班", awarded_on=dt.date(2012, 4, 28))
    honour_create("labour_medal", worker=WorkerFactory(unit=unit, name="以后才得"), awarded_on=dt.date(2013, 4, 28))

    steps = honours_ladder(user=chaoyang_officer, day=dt.date(2012, 12, 31))
    assert _names(_step(steps, "首席员工")) == ["标兵甲"]
    assert _names(_step(steps, "劳动奖章")) == ["双戊", "首席乙"]
    assert _names(_step(steps, "劳动模范")) == ["奖章丙"]
    assert _names(_step(steps, "劳动奖状")) == ["数控班"]
    assert all("劳模丁" not in _names(step) for step in steps)
    later = honours_ladder(user=chaoyang_officer, day=dt.date(2013, 12, 31))
    assert _names(_step(later, "劳动模范")) == ["以后才得", "奖章丙"]


def test_the_ladder_shows_only_the_officers_units_with_achievements_beside_each(tree, chaoyang_officer):
    mine = WorkerFactory(unit=tree["chaoyang_enterprise"], name="朝阳标兵")
    theirs = WorkerFactory(unit=tree["haidian_enterprise"], name="海淀标兵")
    honour_create("innovation_star", worker=mine)
    honour_create("innovation_star", worker=theirs)
    achievement_create(tree["chaoyang_enterprise"], [mine], title="主轴补偿装置", year=2012, grade="excellent")
    achievement_create(tree["haidian_enterprise"], [theirs], title="海淀成果")
    step = _step(honours_ladder(user=chaoyang_officer, day=dt.date(2013, 1, 1)), "首席员工")
    assert _names(step) == ["朝阳标兵"]
    candidate = step.candidates[0]
    [line] = candidate.evidence["achievements"]  # not 海淀's achievement
    assert line.startswith("2012 主轴补偿装置（") and "优秀" in line
    assert candidate.id_number_masked == mine.id_number_masked and "*" in candidate.id_number_masked


def test_other_apps_add_their_records_beside_each_candidate(tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="有证书的")
    honour_create("innovation_star", worker=worker)
    selectors.ladder_evidence_register("certificates", "技能证书", lambda ids, user: {i: ["高级技师（2011）"] for i in ids})
    try:
        step = _step(honours_ladder(user=chaoyang_officer, day=dt.date(2013, 1, 1)), "首席员工")
        assert step.candidates[0].evidence["certificates"] == ["高级技师（2011）"]
        assert "技能证书" in [str(label) for _key, label in selectors.ladder_evidence_columns()]
    finally:
        selectors._EVIDENCE.pop("certificates")


def test_the_ladder_page_and_its_export_mask_id_numbers_and_need_the_export_permission(client, tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="奖章获得者")
    honour_create("labour_medal", worker=worker, awarded_on=dt.date(2011, 4, 28))
    client.force_login(chaoyang_officer)
    page = client.get(reverse("admin:innovation_honour_ladder"), {"day": "2013-01-01"})
    assert page.status_code == 200
    assert "奖章获得者" in page.content.decode() and worker.id_number_masked in page.content.decode()
    response = client.get(reverse("admin:innovation_honour_ladder_export"), {"day": "2013-01-01"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows) == 2
    assert rows[1][2:4] == ("奖章获得者", worker.id_number_masked)
    assert "劳动模范" in rows[1][0] and "劳动奖章" in rows[1][1]

    leader = UserFactory(unit=tree["root"])
    leader.groups.add(tree["groups"]["领导小组（只读）"])
    client.force_login(leader)
    assert client.get(reverse("admin:innovation_honour_ladder")).status_code == 200
    assert client.get(reverse("admin:innovation_honour_ladder_export")).status_code == 403


def test_an_individual_honour_earns_credits_where_a_rule_is_in_force(tree):
    CreditRule.objects.create(source="honour", credits_each=Decimal(5), valid_from=dt.date(2011, 1, 1))
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    before = honour_create("innovation_star", worker=worker, awarded_on=dt.date(2010, 6, 1))
    after = honour_create("labour_medal", worker=worker, awarded_on=dt.date(2011, 4, 28))
    honour_create("pioneer_team", unit=tree["chaoyang_enterprise"], team_name="数控班", awarded_on=dt.date(2011, 4, 28))
    entries = CreditEntry.objects.filter(source_kind="honour")
    assert list(entries.values_list("source_id", "credits", "earned_on")) == [(after.pk, Decimal("5.0"), dt.date(2011, 4, 28))]
    assert before.pk not in set(entries.values_list("source_id", flat=True))


def test_an_honour_names_a_worker_or_a_team_as_its_rung_requires(tree):
    with pytest.raises(ValidationError):
        honour_create("labour_medal", unit=tree["chaoyang_enterprise"], team_name="数控班")
    with pytest.raises(ValidationError):
        honour_create("pioneer_team", worker=WorkerFactory(unit=tree["chaoyang_enterprise"]))
    assert not Honour.objects.exists()


def test_the_ladder_costs_the_same_queries_for_one_or_many_candidates(tree, chaoyang_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    unit = tree["chaoyang_enterprise"]

    def award(name):
        worker = WorkerFactory(unit=unit, name=name)
        honour_create("innovation_star", worker=worker)
        achievement_create(unit, [worker])

    award("甲")
    honour_create("pioneer_team", unit=unit, team_name="一班")
    honours_ladder(user=chaoyang_officer, day=dt.date(2013, 1, 1))  # the user's scope is looked up once
    with CaptureQueriesContext(connection) as one:
        honours_ladder(user=chaoyang_officer, day=dt.date(2013, 1, 1))
    for name in "乙丙丁戊":
        award(name)
    honour_create("pioneer_team", unit=unit, team_name="二班")
    with CaptureQueriesContext(connection) as five:
        steps = honours_ladder(user=chaoyang_officer, day=dt.date(2013, 1, 1))
    assert len(_step(steps, "首席员工").candidates) == 5
    assert len(five.captured_queries) == len(one.captured_queries)
