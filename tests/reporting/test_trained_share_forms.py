"""Issue 11 (Speed): IND-TRAINED-SHARE for the city looks each worker of P(Y) up in a hash of the
year's completers (a hashed IN subquery) when PostgreSQL's plan keeps that hash, and otherwise takes
the joined form, which needs no more memory than it is given; both count the same."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.planner import planner_settings
from membership.models import Unit
from reporting import formulas
from tests.reporting.test_indicators import D
from tests.reporting.world import build_world

BIG = "SELECT CASE WHEN x IN (SELECT generate_series(1, %s)) THEN 1 ELSE 0 END FROM (VALUES (1)) v(x)"


@pytest.mark.django_db
def test_the_plan_check_tells_a_hashed_subquery_from_one_scanned_for_every_row():
    with planner_settings(work_mem="64kB"):
        assert formulas._hashes_its_subqueries(BIG, [10_000_000]) is False
    with planner_settings(work_mem="64MB"):
        assert formulas._hashes_its_subqueries(BIG, [1_000]) is True


def _city_figures():
    city = Unit.objects.get(depth=1)
    grouping = formulas.Grouping(length=2 * Unit.steplen, within=city.path)
    return {(f.group[-4:], f.year): (f.numerator, f.denominator)
            for f in formulas.compute("IND-TRAINED-SHARE", grouping, [2011, 2012, 2013])}


@pytest.mark.django_db
def test_both_forms_count_the_same_and_the_hashed_one_is_taken_when_it_fits(tree, monkeypatch):
    build_world(tree)
    chaoyang, haidian = tree["chaoyang"].path[-4:], tree["haidian"].path[-4:]
    with CaptureQueriesContext(connection) as captured:
        hashed = _city_figures()
    statements = [q["sql"] for q in captured.captured_queries if "courses_coursewarecompletion" in q["sql"]]
    assert statements and all("trained AS" not in sql for sql in statements)
    assert hashed[(chaoyang, 2012)] == (D(3), D(4)) and hashed[(haidian, 2012)] == (D(1), D(1))

    monkeypatch.setattr(formulas, "_hashes_its_subqueries", lambda sql, params: False)
    with CaptureQueriesContext(connection) as captured:
        joined = _city_figures()
    assert any("trained AS" in q["sql"] for q in captured.captured_queries)
    assert joined == hashed
