"""Issue 11: every value, numerator and denominator of a small world built by hand, for the city and
for each level-1 unit, against numbers worked out here."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from courses.models import CreditPilot, TrainingRecord
from membership.models import Unit
from reporting import services
from reporting.models import CampaignYear, IndicatorValue, LearningOrgStatus, Run
from tests.factories import (
    WorkerFactory,
    class_create,
    course_create,
    enrolment_make,
    funds_return_create,
    unit_create,
)

D = Decimal


def _training(worker, on):
    return TrainingRecord.objects.create(worker=worker, unit=worker.unit, project="焊接", kind="skills", hours=8,
                                         completed_on=on)


@pytest.fixture
def world(tree):
    cy, hd = tree["chaoyang_enterprise"], tree["haidian_enterprise"]
    founded_later = unit_create(tree["chaoyang"], "二〇一三年成立的企业工会")
    Unit.objects.filter(pk=founded_later.pk).update(founded_on=dt.date(2013, 3, 1))
    revoked = unit_create(tree["chaoyang"], "撤销了学习型组织的企业工会")
    # IND-TRAINED-SHARE
    w1 = WorkerFactory(unit=cy, joined_union_on=dt.date(2010, 1, 1))
    _training(w1, dt.date(2012, 5, 1))
    w2 = WorkerFactory(unit=cy, joined_union_on=dt.date(2010, 1, 1))
    _training(w2, dt.date(2011, 7, 1))
    late = WorkerFactory(unit=cy, joined_union_on=dt.date(2013, 2, 1))  # a late joiner: not in P(2012)
    _training(late, dt.date(2012, 6, 1))
    w4 = WorkerFactory(unit=cy, joined_union_on=None)  # no date: in every year's base
    klass = class_create(course_create(tree["chaoyang"]), starts_on=dt.date(2012, 12, 1), ends_on=dt.date(2012, 12, 31))
    enrolment_make(klass, w4, status="completed", completed_on=dt.date(2012, 12, 31))
    w5 = WorkerFactory(unit=hd, joined_union_on=dt.date(2009, 1, 1))
    _training(w5, dt.date(2013, 1, 1))
    # IND-LEARNING-ORG-RATE
    LearningOrgStatus.objects.create(unit=cy, year=2011, status="building")
    LearningOrgStatus.objects.create(unit=revoked, year=2010, status="named")
    LearningOrgStatus.objects.create(unit=revoked, year=2012, status="revoked")
    LearningOrgStatus.objects.create(unit=founded_later, year=2014, status="named")  # after the years asked
    # IND-CAMPAIGN-COVERAGE
    CampaignYear.objects.create(unit=tree["chaoyang"], year=2012, active=True)
    CampaignYear.objects.create(unit=tree["haidian"], year=2012, active=False)
    # IND-TEACHERS: t1 teaches in 2012, t2 never, t3 in 2011; no class runs anywhere in 2010.
    from courses.models import Teacher

    t1 = Teacher.objects.create(name="王老师", unit=cy, subjects="焊接")
    Teacher.objects.create(name="李老师", unit=tree["chaoyang"], subjects="电工")
    t3 = Teacher.objects.create(name="张老师", unit=hd, subjects="数控")
    class_create(course_create(tree["chaoyang"]), teacher=t1, starts_on=dt.date(2012, 3, 1), ends_on=dt.date(2012, 4, 1))
    class_create(course_create(tree["haidian"]), teacher=t3, starts_on=dt.date(2011, 3, 1), ends_on=dt.date(2011, 4, 1))
    # IND-CREDIT-PILOTS (the tree's own city pilot is of 2000)
    CreditPilot.objects.create(unit=cy, year=2012)
    # IND-FUND-*: exactly 1.5% counts; 1.49999% does not.
    funds_return_create(cy, 2012, payroll="1000", extracted="15", spent="10", frontline="6")
    funds_return_create(revoked, 2012, payroll="3333.3333", extracted="49.9999", spent="20", frontline="13")
    funds_return_create(hd, 2012, payroll="100", extracted="3", spent="3", frontline="1")
    return tree


def _values(run, year):
    found = {}
    for value in IndicatorValue.objects.filter(run=run, year=year).select_related("indicator", "unit"):
        found[(value.indicator.code, value.unit.code)] = (value.numerator, value.denominator, value.value, value.met)
    return found


EXPECTED_2012 = {
    # code: {unit code: (numerator, denominator, value, met)}
    "IND-TRAINED-SHARE": {"110000": (2, 4, D("50.00"), True), "110105": (2, 3, D("66.67"), True),
                          "110108": (0, 1, D("0.00"), False)},
    "IND-LEARNING-ORG-RATE": {"110000": (1, 3, D("33.33"), False), "110105": (1, 2, D("50.00"), False),
                              "110108": (0, 1, D("0.00"), False)},
    "IND-CAMPAIGN-COVERAGE": {"110000": (1, 23, D("4.35"), False), "110105": (1, 1, D("100.00"), True),
                              "110108": (0, 1, D("0.00"), False)},
    "IND-TEACHERS": {"110000": (1, None, D("1.00"), None), "110105": (1, None, D("1.00"), None),
                     "110108": (0, None, D("0.00"), None)},
    "IND-CREDIT-PILOTS": {"110000": (1, None, D("1.00"), True), "110105": (1, None, D("1.00"), None),
                          "110108": (0, None, D("0.00"), None)},
    "IND-FUND-EXTRACTION": {"110000": (2, 3, D("66.67"), None), "110105": (1, 2, D("50.00"), None),
                            "110108": (1, 1, D("100.00"), None)},
    "IND-FUND-FRONTLINE": {"110000": (D("20"), D("33"), D("60.61"), True), "110105": (D("19"), D("30"), D("63.33"), True),
                           "110108": (D("1"), D("3"), D("33.33"), False)},
}


@pytest.mark.django_db
def test_every_value_of_2012_for_the_city_and_two_districts(world):
    run = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2010, 2011, 2012, 2013])
    assert run.status == Run.Status.COMPLETE
    found = _values(run, 2012)
    for code, per_unit in EXPECTED_2012.items():
        for unit, (numerator, denominator, value, met) in per_unit.items():
            assert found[(code, unit)] == (
                D(numerator), None if denominator is None else D(denominator), value, met), (code, unit)


@pytest.mark.django_db
def test_other_years_follow_the_same_rules(world):
    run = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2010, 2011, 2012, 2013])
    y2011, y2010, y2013 = _values(run, 2011), _values(run, 2010), _values(run, 2013)
    # 2011: w1, w2 and the undated w4 in 朝阳's base, only w2 trained that year.
    assert y2011[("IND-TRAINED-SHARE", "110105")][:3] == (D(1), D(3), D("33.33"))
    # 2013: 海淀's w5 trained on 1 January; the late joiner is in the base but learnt in 2012.
    assert y2013[("IND-TRAINED-SHARE", "110108")][:3] == (D(1), D(1), D("100.00"))
    assert y2013[("IND-TRAINED-SHARE", "110105")][:3] == (D(0), D(4), D("0.00"))
    # Teachers: classes ran in 2011 (t3 only); none anywhere in 2010, so the active pool counts.
    assert y2011[("IND-TEACHERS", "110105")][0] == 0 and y2011[("IND-TEACHERS", "110108")][0] == 1
    assert y2010[("IND-TEACHERS", "110105")][0] == 2 and y2010[("IND-TEACHERS", "110000")][0] == 3
    # 2013: the unit founded in March 2013 now counts, with no status.
    assert y2013[("IND-LEARNING-ORG-RATE", "110105")][:3] == (D(1), D(3), D("33.33"))
    # No returns in 2013: no value and no verdict, not an error.
    assert y2013[("IND-FUND-FRONTLINE", "110000")] == (D(0), D(0), None, None)


@pytest.mark.django_db
def test_a_district_without_a_target_of_its_own_is_held_to_the_citys_rate_and_a_split_target_wins(world):
    from reporting.models import Indicator, Target

    indicator = Indicator.objects.get(plan__name="首都职工素质建设工程", code="IND-TRAINED-SHARE")
    Target.objects.create(indicator=indicator, year=2012, unit=world["chaoyang"], comparison="gte", low=70)
    run = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    found = _values(run, 2012)
    assert found[("IND-TRAINED-SHARE", "110105")][3] is False  # 66.67 against its own 70
    assert found[("IND-TRAINED-SHARE", "110000")][3] is True  # 50 against the city's 50


@pytest.mark.django_db
def test_a_failed_run_leaves_the_last_complete_run_served(world, monkeypatch):
    from reporting import formulas, selectors

    good = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])

    def broken(grouping, years):
        raise RuntimeError("boom")
    monkeypatch.setitem(formulas.FORMULAS, "IND-TEACHERS", formulas.Formula("IND-TEACHERS", False, broken))
    with pytest.raises(RuntimeError):
        services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    failed = Run.objects.latest("pk")
    assert failed.status == Run.Status.FAILED and "boom" in failed.error
    assert not IndicatorValue.objects.filter(run=failed).exists()
    assert selectors.runs_serving([2012])[2012] == good


@pytest.mark.django_db
def test_a_late_nightly_task_gives_way_to_a_newer_complete_run(world):
    from django.utils import timezone

    before = timezone.now()
    services.run_compute(trigger=Run.Trigger.STAFF, years=[2012])
    late = services.run_compute(trigger=Run.Trigger.NIGHTLY, requested_at=before)
    assert late.status == Run.Status.SKIPPED
    assert not IndicatorValue.objects.filter(run=late).exists()


@pytest.mark.django_db
def test_a_run_left_running_by_a_dead_worker_is_marked_failed_by_the_next(world):
    dead = Run.objects.create(trigger=Run.Trigger.NIGHTLY)
    run = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    dead.refresh_from_db()
    assert dead.status == Run.Status.FAILED and run.status == Run.Status.COMPLETE


@pytest.mark.django_db
def test_the_command_prints_the_values_as_json_on_its_last_line(world, capsys):
    call_command("compute_indicators", "--year", "2012", "--json")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    values = {(v["code"], v["unit"]): v for v in json.loads(last)}
    assert values[("IND-TRAINED-SHARE", "110000")] == {
        "code": "IND-TRAINED-SHARE", "unit": "110000", "year": 2012, "numerator": 2, "denominator": 4, "value": 50,
        "target": "≥ 50", "met": True}
    assert values[("IND-TEACHERS", "110105")]["denominator"] is None
    assert {v["year"] for v in values.values()} == {2012}
