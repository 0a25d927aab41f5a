"""Issue 11 (Speed): the nightly run hashes its large joins in memory — work_mem raised for its own
transaction only, never for the requests that share the connection afterwards."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting import services
from reporting.models import Run


@pytest.mark.django_db(transaction=True)
def test_the_run_raises_work_mem_for_its_transaction_only(tree, settings):
    settings.REPORTING_WORK_MEM = "64MB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        before = cursor.fetchone()[0]
    assert before != "64MB"
    with CaptureQueriesContext(connection) as queries:
        run = services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    assert run.status == Run.Status.COMPLETE
    assert any(query["sql"] == "SET LOCAL work_mem = '64MB'" for query in queries.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == before
