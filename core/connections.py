"""Work shared out among several database connections that read one snapshot (PostgreSQL runs a
statement on one core: a statement cut in parts, or several statements, on as many connections use
as many cores)."""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from django.db import connection, transaction


def can_share() -> bool:
    """Whether work may go to other connections: on PostgreSQL, and not inside a transaction the
    caller has open already (the tests' own), whose uncommitted rows other connections cannot see."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def on_connections(tasks: Sequence, work: Callable[[object, dict], object], workers: int,
                   prepare: Callable[[], None] | None = None) -> list:
    """``work(task, kept)`` for each task, on ``workers`` threads with a database connection each;
    the results in the tasks' order. The caller must be in a transaction (``transaction.atomic()``):
    its snapshot is exported, and each connection reads it in a read-only REPEATABLE READ
    transaction of its own, so that all the parts count the same rows, as one statement would.
    ``kept``: a dict each thread keeps across its tasks; ``prepare``: run first in each transaction
    (planner settings). The first error stops the threads from taking more tasks and is raised."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    pending = list(enumerate(tasks))
    pending.reverse()
    results: list = [None] * len(tasks)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                if prepare is not None:
                    prepare()
                kept: dict = {}
                while not errors:
                    try:
                        index, task = pending.pop()
                    except IndexError:
                        break
                    results[index] = work(task, kept)
        except Exception as error:  # noqa: BLE001 - raised in the caller's thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, name=f"shared-work-{n}") for n in range(min(workers, len(tasks)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
