"""core.prepared: a statement prepared once per database session, run with its values."""
from __future__ import annotations

from collections import OrderedDict

import pytest
from django.db import connection

from core.prepared import _numbered, execute_prepared


def test_placeholders_become_prepare_parameters():
    assert _numbered("SELECT %s, %s WHERE x LIKE 'a%%'") == "SELECT $1, $2 WHERE x LIKE 'a%'"


def _prepared_here(cursor) -> int:
    cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%$1::integer + $2%"])
    return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_statement_is_prepared_once_per_session_and_again_in_a_new_one():
    sql = "SELECT %s::integer + %s::integer, 'a%%b'"
    with connection.cursor() as cursor:
        execute_prepared(cursor, "test-add", sql, [1, 2])
        assert cursor.fetchone() == (3, "a%b")
        execute_prepared(cursor, "test-add", sql, [40, 2])
        assert cursor.fetchone() == (42, "a%b")
        assert _prepared_here(cursor) == 1
        # What a new connection looks like to the bookkeeping (the driver's connection object
        # changed): its session holds none, so the statement is prepared again, under a new name.
        connection._prepared_statements = (object(), OrderedDict())
        execute_prepared(cursor, "test-add", sql, [5, 5])
        assert cursor.fetchone() == (10, "a%b")
        assert _prepared_here(cursor) == 2
        execute_prepared(cursor, "test-add", sql, [6, 5])
        assert cursor.fetchone() == (11, "a%b")
        assert _prepared_here(cursor) == 2


@pytest.mark.django_db
def test_a_session_keeps_a_bounded_number_and_lets_the_least_recently_run_go(monkeypatch):
    import core.prepared

    monkeypatch.setattr(core.prepared, "PREPARED_PER_SESSION", 2)
    written = []

    def statement(number):
        def write():
            written.append(number)
            return f"SELECT %s::integer + {number} AS bounded"
        return write

    with connection.cursor() as cursor:
        connection._prepared_statements = None
        for number in (1, 2, 1, 3):  # 1 run again before 3 comes: 2 is the one let go
            execute_prepared(cursor, ("bounded", number), statement(number), [10])
            assert cursor.fetchone() == (10 + number,)
        assert written == [1, 2, 3]
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%AS bounded%"])
        assert cursor.fetchone()[0] == 2
        execute_prepared(cursor, ("bounded", 2), statement(2), [5])
        assert cursor.fetchone() == (7,) and written == [1, 2, 3, 2]
        execute_prepared(cursor, ("bounded", 3), statement(3), [5])
        assert cursor.fetchone() == (8,) and written == [1, 2, 3, 2]
