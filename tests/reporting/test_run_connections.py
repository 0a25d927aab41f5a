"""Issue 11 (Speed): the nightly run computes its formulas on several database connections
(settings.REPORTING_RUN_CONNECTIONS), each reading the snapshot of the run's own transaction, and
writes the values from that one transaction: the same values as on one connection, records written
during the run not counted by some formulas and not by others, and a formula that fails failing the
whole run with nothing written."""
from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from reporting import formulas, services
from reporting.models import IndicatorValue, Run
from tests.factories import funds_return_create, unit_create
from tests.reporting.test_indicators import EXPECTED_2012, D
from tests.reporting.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def _stored(run) -> dict:
    return {(v.indicator.code, v.unit.code, v.year): (v.numerator, v.denominator, v.value, v.met)
            for v in IndicatorValue.objects.filter(run=run).select_related("indicator", "unit")}


def test_two_connections_store_what_one_connection_stores(tree, settings):
    build_world(tree)
    settings.REPORTING_RUN_CONNECTIONS = 1
    alone = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2010, 2011, 2012, 2013])
    settings.REPORTING_RUN_CONNECTIONS = 2
    with CaptureQueriesContext(connection) as captured:
        shared = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2010, 2011, 2012, 2013])
    assert shared.status == Run.Status.COMPLETE
    # The formulas ran on the other connections: the run's own read none of the records.
    assert not [q for q in captured.captured_queries if "courses_trainingrecord" in q["sql"]]
    assert any("pg_export_snapshot" in q["sql"] for q in captured.captured_queries)
    assert _stored(shared) == _stored(alone)
    assert len(_stored(shared)) == shared.values_written > 0
    for code, per_unit in EXPECTED_2012.items():
        for unit, (numerator, denominator, value, met) in per_unit.items():
            assert _stored(shared)[(code, unit, 2012)] == (
                D(numerator), None if denominator is None else D(denominator), value, met), (code, unit)


def test_a_record_written_during_the_run_is_counted_by_no_formula_of_it(tree, settings, monkeypatch):
    """A funds return committed by another session once the run's connections have started: the
    run reads its transaction's snapshot, so 朝阳's returns of 2012 are still two (the world's)."""
    build_world(tree)
    late_unit = unit_create(tree["chaoyang"], "运行中才报送的企业工会")
    settings.REPORTING_RUN_CONNECTIONS = 2
    compute = formulas.compute_with_total
    lock, written = threading.Lock(), []

    def write_once_then_compute(*args, **kwargs):
        with lock:
            if not written:
                def elsewhere():
                    funds_return_create(late_unit, 2012)  # autocommit, on this thread's own connection
                    connections.close_all()
                other = threading.Thread(target=elsewhere)
                other.start()
                other.join()
                written.append(True)
        return compute(*args, **kwargs)

    monkeypatch.setattr(formulas, "compute_with_total", write_once_then_compute)
    run = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    assert written and run.status == Run.Status.COMPLETE
    assert _stored(run)[("IND-FUND-EXTRACTION", "110105", 2012)][:2] == (D(1), D(2))
    monkeypatch.setattr(formulas, "compute_with_total", compute)
    after = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    assert _stored(after)[("IND-FUND-EXTRACTION", "110105", 2012)][:2] == (D(2), D(3))


def test_a_formula_failing_on_another_connection_fails_the_run_and_writes_nothing(tree, settings, monkeypatch):
    build_world(tree)
    settings.REPORTING_RUN_CONNECTIONS = 2
    compute = formulas.compute_with_total

    def failing(code, *args, **kwargs):
        if code == "IND-FUND-FRONTLINE":
            raise RuntimeError("公式出错")
        return compute(code, *args, **kwargs)

    monkeypatch.setattr(formulas, "compute_with_total", failing)
    with pytest.raises(RuntimeError):
        services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    run = Run.objects.latest("pk")
    assert run.status == Run.Status.FAILED and "公式出错" in run.error
    assert not IndicatorValue.objects.filter(run=run).exists()


def test_inside_a_callers_transaction_the_run_stays_on_its_connection(tree, settings):
    """The caller's uncommitted rows are visible to its connection only."""
    from django.db import transaction

    settings.REPORTING_RUN_CONNECTIONS = 2
    with transaction.atomic():
        build_world(tree)
        with CaptureQueriesContext(connection) as captured:
            run = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
        assert _stored(run)[("IND-TRAINED-SHARE", "110000", 2012)][:2] == (D(4), D(5))
    assert not any("pg_export_snapshot" in q["sql"] for q in captured.captured_queries)
