"""REP-1 with real processes: a Celery worker killed in the middle of a run leaves the dashboards
serving the previous complete run, and the next run completes (and records the dead one as failed)."""
from __future__ import annotations

import datetime as dt
import time

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from reporting import selectors, services
from reporting.models import IndicatorValue, Run
from tests.factories import WorkerFactory, funds_return_create
from tests.uploads.test_killed_worker import CeleryWorker, _until

pytestmark = pytest.mark.django_db(transaction=True)


def _connect():
    settings = connection.settings_dict
    return psycopg2.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or "127.0.0.1",
                            port=settings["PORT"] or 5432, password=settings.get("PASSWORD") or None)


def test_killing_the_worker_mid_run_keeps_the_last_good_values_served(tree):
    from reporting.tasks import indicators_compute_task

    funds_return_create(tree["chaoyang_enterprise"], 2012)
    WorkerFactory(unit=tree["chaoyang_enterprise"], joined_union_on=dt.date(2010, 1, 1))
    good = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    assert selectors.runs_serving([2012])[2012] == good

    # Another session holds the values table so the worker's run stops inside its transaction,
    # after its run row was recorded and before it can finish.
    blocker = _connect()
    blocker.autocommit = False
    blocker.cursor().execute("LOCK TABLE reporting_indicatorvalue IN SHARE ROW EXCLUSIVE MODE")
    watcher = _connect()
    watcher.autocommit = True
    worker = CeleryWorker()
    try:
        indicators_compute_task.delay(timezone.now().isoformat(), None, Run.Trigger.STAFF)

        def waiting_backend():
            cursor = watcher.cursor()
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = %s",
                           [connection.settings_dict["NAME"]])
            row = cursor.fetchone()
            return row[0] if row else None
        pid = _until(waiting_backend, 60, "the run never reached its values")
        dying = Run.objects.get(status=Run.Status.RUNNING)
        worker.kill()
        blocker.rollback()
        # The killed worker's database session ends with it (as TCP keepalive would end it).
        watcher.cursor().execute("SELECT pg_terminate_backend(%s)", [pid])
        _until(lambda: waiting_backend() is None, 30, "the dead worker's session never ended")
        time.sleep(0.5)

        assert not IndicatorValue.objects.filter(run=dying).exists()
        assert selectors.runs_serving([2012])[2012] == good
        assert Run.objects.get(pk=dying.pk).status == Run.Status.RUNNING

        following = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
        assert following.status == Run.Status.COMPLETE
        assert Run.objects.get(pk=dying.pk).status == Run.Status.FAILED
        assert selectors.runs_serving([2012])[2012] == following
    finally:
        worker.stop()
        blocker.close()
        watcher.close()
