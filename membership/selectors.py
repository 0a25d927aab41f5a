"""Reads that other apps may call: membership owns who a worker is."""
from __future__ import annotations

import datetime as dt

from django.db.models import BigIntegerField, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Worker, WorkerTransfer


def current_worker(request) -> Worker | None:
    """EDU-8: the worker behind the request's log-in, or None for an anonymous visitor or a staff
    account. The one place the public site asks "who is this worker"; every app's pages call it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    # The account's own field: a worker whose record was deleted leaves the account with None.
    return getattr(user, "worker", None)


def worker_units_on(on: dt.date, workers: QuerySet | None = None) -> QuerySet:
    """MEM-3, issue 11: each worker with ``unit_on_id``, the unit they belonged to on ``on`` (the
    end of the day): the unit they left by the first transfer that took effect after ``on``, or,
    when none did, their current unit. A release nobody has taken in yet moves nobody.

    One correlated look-up per worker on the (worker, effective_on) index; for the whole city on
    many dates, join :func:`unit_on_sql` instead."""
    workers = Worker.objects.all() if workers is None else workers
    left_after = WorkerTransfer.objects.filter(
        worker=OuterRef("pk"), to_unit__isnull=False, effective_on__gt=on,
    ).order_by("effective_on", "id").values("from_unit_id")[:1]
    return workers.annotate(unit_on_id=Coalesce(Subquery(left_after), F("unit_id"), output_field=BigIntegerField()))


def unit_on_sql() -> str:
    """Issue 11 ("a worker by the unit they belonged to on E"), set-based for millions of
    workers: SQL for a derived table ``(worker_id, unit_id)`` with one row per registry worker,
    for the date given as the one parameter %s (E). Plain SQL with a window function, as the
    indicators need it on PostgreSQL and on the demo's SQLite alike. The first transfer of each
    worker taking effect after E names the unit they were in on E; workers without one are in
    their current unit. Reads transfers once through the (worker, effective_on) index."""
    worker = Worker._meta.db_table
    transfer = WorkerTransfer._meta.db_table
    return (
        f'SELECT w."id" AS worker_id, COALESCE(t."from_unit_id", w."unit_id") AS unit_id '
        f'FROM "{worker}" w LEFT JOIN ('
        f'SELECT "worker_id", "from_unit_id", ROW_NUMBER() OVER ('
        f'PARTITION BY "worker_id" ORDER BY "effective_on", "id") AS position '
        f'FROM "{transfer}" WHERE "to_unit_id" IS NOT NULL AND "effective_on" > %s'
        f') t ON t."worker_id" = w."id" AND t.position = 1'
    )


def pending_release(worker: Worker) -> WorkerTransfer | None:
    """The release of this worker that waits for a receiving unit, if any."""
    return WorkerTransfer.objects.filter(worker=worker, to_unit__isnull=True).select_related("released_by").first()
