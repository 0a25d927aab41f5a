"""Statements kept prepared in the database session (PostgreSQL's PREPARE), for a statement run on
every request whose planning costs about as much as running it. The session must be the web
process's own (README, "Database sessions": no pooler in transaction mode). A prepared statement
outlives a rolled-back transaction (it belongs to the session), and a new connection starts with
none, which is how they are tracked: by the driver's connection object."""
from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

_PLACEHOLDER = re.compile(r"%([s%])")
_numbers = itertools.count(1)


def _numbered(sql: str) -> str:
    # The driver's placeholders (%s, and %% for a percent sign) as PREPARE's parameters ($1, $2…).
    numbers = itertools.count(1)
    return _PLACEHOLDER.sub(lambda match: f"${next(numbers)}" if match.group(1) == "s" else "%", sql)


# How many statements a database session keeps prepared; beyond it the least recently run one is
# let go (DEALLOCATE). Statements written per scope and filters (the API's list pages) would
# otherwise pile up in a long-lived session.
PREPARED_PER_SESSION = 128


def execute_prepared(cursor, key: Hashable, sql: str | Callable[[], str], params: Sequence) -> None:
    """Run ``sql`` (the driver's ``%s`` placeholders; or a function that writes it, called only
    when the statement is not prepared yet) with ``params`` on ``cursor`` (a Django cursor), as the
    statement prepared under ``key`` in this database session, preparing it on first use.
    PostgreSQL then plans it for its values the first five times and may keep a plan for any
    values after that: only for statements whose best plan does not hang on their parameters (a
    look-up by a unique key, a keyset page whose other values are written into the statement),
    never for a list whose plan depends on its filters."""
    connection = cursor.db
    prepared = getattr(connection, "_prepared_statements", None)
    if prepared is None or prepared[0] is not connection.connection:
        prepared = connection._prepared_statements = (connection.connection, OrderedDict())
    names = prepared[1]
    name = names.get(key)
    if name is None:
        while len(names) >= PREPARED_PER_SESSION:
            _oldest, oldest_name = names.popitem(last=False)
            cursor.execute(f"DEALLOCATE {oldest_name}", ())
        name = f"prepared_{next(_numbers)}"
        text = sql() if callable(sql) else sql
        cursor.execute(f"PREPARE {name} AS {_numbered(text)}".replace("%", "%%"), ())
        names[key] = name
    else:
        names.move_to_end(key)
    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}", params)
