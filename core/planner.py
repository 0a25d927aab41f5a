"""PostgreSQL planner settings for a few statements (elsewhere nothing: the embedded SQLite demo)."""
from __future__ import annotations

from contextlib import contextmanager

from django.db import connections, transaction


@contextmanager
def planner_settings(db: str = "default", **settings: str):
    """Settings such as ``jit="off"`` for the queries run inside, restored after (in a transaction of
    their own, or the caller's). JIT compilation is the usual one: PostgreSQL costs a count over an
    index or a drill-down's probe per worker as big, and compiling it took longer than running it
    (the admin lists' counts, 100 of 200 ms; a district's drill-down, 200–300 of 600 ms)."""
    connection = connections[db]
    if connection.vendor != "postgresql":
        yield
        return
    names = list(settings)
    with transaction.atomic(using=db), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join("current_setting(%s), set_config(%s, %s, true)" for _ in names),
                       [value for name in names for value in (name, name, settings[name])])
        previous = cursor.fetchone()[::2]
        yield
        cursor.execute("SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names),
                       [value for name, old in zip(names, previous, strict=True) for value in (name, old)])
