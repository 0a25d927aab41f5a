"""Statements kept prepared in the database session (PostgreSQL's PREPARE), for a statement run on
every request whose planning costs about as much as running it. The session must be the web
process's own (README, "Database sessions": no pooler in transaction mode). A prepared statement
outlives a rolled-back transaction (it belongs to the session), and a new connection starts with
none, which is how they are tracked: by the driver's connection object."""
from __future__ import annotations

import itertools
import re
from collections.abc import Hashable, Sequence

_PLACEHOLDER = re.compile(r"%([s%])")
_numbers = itertools.count(1)


def _numbered(sql: str) -> str:
    # The driver's placeholders (%s, and %% for a percent sign) as PREPARE's parameters ($1, $2…).
    numbers = itertools.count(1)
    return _PLACEHOLDER.sub(lambda match: f"${next(numbers)}" if match.group(1) == "s" else "%", sql)


def execute_prepared(cursor, key: Hashable, sql: str, params: Sequence) -> None:
    """Run ``sql`` (the driver's ``%s`` placeholders) with ``params`` on ``cursor`` (a Django
    cursor), as the statement prepared under ``key`` in this database session, preparing it on
    first use. PostgreSQL then plans it for its values the first five times and may keep a plan
    for any values after that: only for statements whose best plan does not hang on their values
    (a look-up by a unique key), never for a list whose plan depends on its filters."""
    connection = cursor.db
    prepared = getattr(connection, "_prepared_statements", None)
    if prepared is None or prepared[0] is not connection.connection:
        prepared = connection._prepared_statements = (connection.connection, {})
    name = prepared[1].get(key)
    if name is None:
        name = f"prepared_{next(_numbers)}"
        cursor.execute(f"PREPARE {name} AS {_numbered(sql)}".replace("%", "%%"), ())
        prepared[1][key] = name
    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}", params)
