"""Issue 11 (Speed): the leadership page reads stored values with a number of queries that does not
grow with the level-1 units, the indicators or the runs kept; its body is cached under the last
complete run, so a finished run is what makes it change."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import services
from reporting.models import Indicator, Run
from tests.factories import WorkerFactory, funds_return_create, unit_create


def _dashboard_queries(client, *, cached: bool = False) -> tuple[int, str]:
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reporting:dashboard") + "?year=2012")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _body(page: str) -> str:
    return page.split('<div id="content-main">', 1)[1]


def _sidebar(page: str) -> str:
    return page.split('id="nav-sidebar"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.django_db
def test_the_dashboard_does_not_query_more_for_more_units_indicators_or_runs(client, tree, leader):
    funds_return_create(tree["chaoyang_enterprise"], 2012, payroll="1000", extracted="15", spent="10", frontline="6")
    WorkerFactory(unit=tree["chaoyang_enterprise"], joined_union_on=dt.date(2010, 1, 1))
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2011, 2012])
    client.force_login(leader)
    client.get(reverse("reporting:dashboard"))  # the session and the permission caches settle first
    before, _page = _dashboard_queries(client)

    # Two more level-1 units, two more indicators of the plan, and two more runs.
    for name in ("新增一级单位甲", "新增一级单位乙"):
        unit_create(tree["root"], name, kind="district")
    plan = Indicator.objects.get(code="IND-FUND-FRONTLINE").plan
    for position, code in enumerate(("IND-EXTRA-A", "IND-EXTRA-B"), start=90):
        Indicator.objects.create(plan=plan, code=code, name=f"附加指标{code[-1]}", formula="IND-FUND-EXTRACTION",
                                 measure=Indicator.Measure.PERCENT, position=position)
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2011, 2012])
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    after, page = _dashboard_queries(client)

    assert "新增一级单位乙" in page and "附加指标B" in page
    assert after == before, f"{before} queries before, {after} after adding units, indicators and runs"
    assert before <= 14
    # From the cache: the session, the user, the permissions, the last run, the plan, the scope.
    cached, again = _dashboard_queries(client, cached=True)
    # The same body (the frame around it, with its log-out form's CSRF token, is rendered anew).
    assert _body(again) == _body(page) and cached < before and cached <= 8
    # The admin's sidebar of sections, kept in the cache for the user, is the same as built anew.
    assert _sidebar(again) == _sidebar(page) and reverse("admin:reporting_run_changelist") in _sidebar(page)


@pytest.mark.django_db
def test_the_cached_dashboard_changes_when_a_run_finishes_and_only_then(client, tree, leader):
    funds_return_create(tree["chaoyang_enterprise"], 2012, payroll="1000", extracted="15", spent="10", frontline="6")
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2011, 2012])
    client.force_login(leader)
    _queries, page = _dashboard_queries(client)
    assert "6 / 10" in page  # IND-FUND-FRONTLINE for the city: 6 of 10 万元

    funds_return_create(tree["haidian_enterprise"], 2012, payroll="100", extracted="3", spent="10", frontline="1")
    _queries, page = _dashboard_queries(client, cached=True)
    assert "6 / 10" in page and "7 / 20" not in page  # no run yet: the stored values are the last run's

    failed_then = Run.objects.create(trigger=Run.Trigger.NIGHTLY, status=Run.Status.FAILED)
    _queries, page = _dashboard_queries(client, cached=True)
    assert "6 / 10" in page and failed_then.pk  # a failed run changes nothing

    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2011, 2012])
    _queries, page = _dashboard_queries(client, cached=True)
    assert "7 / 20" in page and "6 / 10" not in page
