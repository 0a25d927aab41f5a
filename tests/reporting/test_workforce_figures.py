"""Issue 11's drill-down at city scale: a run keeps each unit's own figures of the formulas that count
every worker of P(Y) (reporting.models.WorkforceFigure), adds them up for the city and the level-1
units, and a drill-down adds up those of the subtree's units instead of reading its workers and
records again — the run's figures, the same as the stored value above them."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from membership.models import Unit
from reporting import formulas, selectors, services
from reporting.models import Indicator, IndicatorValue, Run, WorkforceFigure
from tests.factories import WorkerFactory, unit_create
from tests.reporting.world import DRILLED, _training, build_world

YEARS = [2010, 2011, 2012, 2013]


@pytest.fixture
def world(tree):
    build_world(tree)
    # A unit one level further down, with a trained worker of its own: a drill-down below a district
    # adds up a subtree of several levels.
    workshop = unit_create(tree["chaoyang_enterprise"], "北京朝阳精密机械有限公司一车间工会")
    _training(WorkerFactory(unit=workshop, joined_union_on=dt.date(2010, 1, 1)), dt.date(2012, 2, 1))
    tree["workshop"] = workshop
    return tree


def _indicator(formula):
    return Indicator.objects.filter(plan=selectors.current_plan(), formula=formula).first()


def _live(code, unit, year):
    grouping = formulas.Grouping(len(unit.path) + Unit.steplen, unit.path)
    return {figure.group: (figure.numerator, figure.denominator) for figure in formulas.compute(code, grouping, [year])}


def _shown(children):
    return {child.unit.path: (child.numerator, child.denominator) for child in children
            if child.numerator or child.denominator}


@pytest.mark.django_db
def test_a_drill_down_adds_up_the_runs_unit_figures_and_reads_no_worker(world, leader):
    run = services.run_compute(trigger=Run.Trigger.COMMAND, years=YEARS)
    assert WorkforceFigure.objects.filter(run=run).exists()
    for code in DRILLED:
        indicator = _indicator(code)
        for unit in (world["root"], world["chaoyang"], world["haidian"], world["chaoyang_enterprise"]):
            for year in YEARS:
                with CaptureQueriesContext(connection) as captured:
                    children, source = selectors.children_figures(indicator=indicator, unit=unit, year=year,
                                                                  user=leader)
                assert source == run, (code, unit.code, year)
                assert not any("membership_worker" in query["sql"] for query in captured.captured_queries)
                live = _live(code, unit, year)
                assert _shown(children) == {path: figures for path, figures in live.items()
                                            if path != unit.path and (figures[0] or figures[1])}, (code, unit.code, year)


@pytest.mark.django_db
def test_the_city_and_district_values_are_the_units_figures_added_up(world):
    run = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    trained = IndicatorValue.objects.get(run=run, indicator=_indicator("IND-TRAINED-SHARE"),
                                         unit=world["chaoyang"], year=2012)
    kept = WorkforceFigure.objects.filter(run=run, year=2012, path__startswith=world["chaoyang"].path)
    assert (trained.numerator, trained.denominator) == (Decimal(sum(row.trained for row in kept)),
                                                        Decimal(sum(row.workers for row in kept)))
    # 朝阳's own base (issue 11's world): w1, w2, w4 and the mover, three trained; plus the workshop's one.
    assert (trained.numerator, trained.denominator) == (4, 5)
    workshop = kept.get(path=world["workshop"].path)
    assert (workshop.workers, workshop.trained, workshop.certified, workshop.high_skill, workshop.technician) == (
        1, 1, 0, 0, 0)


@pytest.mark.django_db
def test_records_entered_after_the_run_count_from_the_next_run(world, leader):
    indicator = _indicator("IND-TRAINED-SHARE")
    first = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    before, _ = selectors.children_figures(indicator=indicator, unit=world["chaoyang"], year=2012, user=leader)
    _training(WorkerFactory(unit=world["chaoyang_enterprise"], joined_union_on=dt.date(2010, 1, 1)), dt.date(2012, 6, 1))
    after, source = selectors.children_figures(indicator=indicator, unit=world["chaoyang"], year=2012, user=leader)
    assert source == first and _shown(after) == _shown(before)
    second = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    now, source = selectors.children_figures(indicator=indicator, unit=world["chaoyang"], year=2012, user=leader)
    assert source == second
    # w1, w4, the mover and the workshop's worker of five trained in 2012; then the new one of six.
    assert _shown(before)[world["chaoyang_enterprise"].path] == (Decimal(4), Decimal(5))
    assert _shown(now)[world["chaoyang_enterprise"].path] == (Decimal(5), Decimal(6))


@pytest.mark.django_db
def test_only_the_runs_that_serve_a_year_keep_their_unit_figures(world):
    full = services.run_compute(trigger=Run.Trigger.COMMAND, years=YEARS)
    refresh = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2013])
    # The full run still serves 2010–2012, the refresh 2013.
    assert WorkforceFigure.objects.filter(run=full).exists() and WorkforceFigure.objects.filter(run=refresh).exists()
    again = services.run_compute(trigger=Run.Trigger.COMMAND, years=YEARS)
    assert set(WorkforceFigure.objects.values_list("run", flat=True).distinct()) == {again.pk}


@pytest.mark.django_db
def test_a_failed_run_keeps_no_unit_figures(world, monkeypatch):
    kept = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])

    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "_let_go_of_workforce", fail)
    with pytest.raises(RuntimeError):
        services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    assert set(WorkforceFigure.objects.values_list("run", flat=True).distinct()) == {kept.pk}


@pytest.mark.django_db
def test_without_the_runs_unit_figures_the_drill_down_computes_now(world, leader):
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    WorkforceFigure.objects.all().delete()  # a run of before the figures were kept
    indicator = _indicator("IND-HIGH-SKILL-SHARE")
    children, source = selectors.children_figures(indicator=indicator, unit=world["chaoyang"], year=2012, user=leader)
    assert source is None
    live = _live("IND-HIGH-SKILL-SHARE", world["chaoyang"], 2012)
    assert _shown(children) == {path: figures for path, figures in live.items()
                                if path != world["chaoyang"].path and (figures[0] or figures[1])}


@pytest.mark.django_db
def test_the_drill_down_page_says_which_run_its_units_come_from(client, world, leader):
    run = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    client.force_login(leader)
    trained = client.get(reverse("reporting:indicator", args=["IND-TRAINED-SHARE", world["chaoyang"].pk, 2012]),
                         HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "与上方数值同一次计算" in trained and "即时计算" not in trained
    assert run.finished_at is not None
    funds = client.get(reverse("reporting:indicator", args=["IND-FUND-FRONTLINE", world["chaoyang"].pk, 2012]),
                       HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "根据当前记录即时计算" in funds


@pytest.mark.django_db
def test_the_drill_down_pages_a_district_with_many_units(client, tree, leader):
    from reporting.views import CHILDREN_PER_PAGE

    for number in range(CHILDREN_PER_PAGE + 1):
        unit_create(tree["haidian"], f"海淀第{number:03d}企业工会")
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    client.force_login(leader)
    address = reverse("reporting:indicator", args=["IND-TRAINED-SHARE", tree["haidian"].pk, 2012])
    first = client.get(address, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    units = CHILDREN_PER_PAGE + 2  # and the tree's own 海淀 enterprise
    assert f"共 {units} 个单位" in first and "第 1 页，共 2 页" in first.replace("\n", "")
    # In the order of the tree: the enterprise of the fixture first, then 第000 … 第098 on the first page.
    assert "北京海淀软件有限公司工会" in first and first.count("海淀第") == CHILDREN_PER_PAGE - 1
    second = client.get(address + "?page=2", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert second.count("海淀第") == 2 and "海淀第099企业工会" in second and "海淀第100企业工会" in second


@pytest.mark.django_db
def test_each_reporting_page_has_one_heading(client, world, leader):
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    client.force_login(leader)
    for address in (reverse("reporting:dashboard") + "?year=2012",
                    reverse("reporting:indicator", args=["IND-TRAINED-SHARE", world["chaoyang"].pk, 2012]),
                    reverse("reporting:records", args=["IND-TRAINED-SHARE", world["chaoyang"].pk, 2012])):
        page = client.get(address, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert page.count("<h1") == 1, address


@pytest.mark.django_db
def test_the_page_can_compute_the_units_now_from_the_current_records(client, world, leader):
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    _training(WorkerFactory(unit=world["chaoyang_enterprise"], joined_union_on=dt.date(2010, 1, 1)), dt.date(2012, 6, 1))
    client.force_login(leader)
    address = reverse("reporting:indicator", args=["IND-TRAINED-SHARE", world["chaoyang"].pk, 2012])
    kept = client.get(address, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "按当前记录即时重新计算" in kept.content.decode()
    assert [(c.numerator, c.denominator) for c in kept.context["children"]
            if c.unit == world["chaoyang_enterprise"]] == [(4, 5)]
    now = client.get(address + "?now=1", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "根据当前记录即时计算" in now.content.decode() and "返回该次计算的数字" in now.content.decode()
    assert [(c.numerator, c.denominator) for c in now.context["children"]
            if c.unit == world["chaoyang_enterprise"]] == [(5, 6)]
