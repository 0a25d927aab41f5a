"""Issue 12 (Speed): a list's SQL written once per shape and run on a raw cursor.

Building a scoped, filtered queryset and compiling it cost more than PostgreSQL's own work on a
small page (bench/api.py). A list whose SQL depends only on a few known inputs — whose scope
(``membership.scoping.visibility_key``), which day, which filters — keeps the compiled statement
under those inputs and runs it again with no queryset at all. The statement is the ORM's own,
compiled from the same queryset the generic path pages through, so it can never say something
else; keyed by every input it was built from, it is never stale."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet


class StatementCache:
    """Compiled ``(sql, params)`` by key, the least recently used dropped beyond ``size``."""

    def __init__(self, size: int = 256):
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[str, tuple] | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], object],
            still: Callable[[], bool] = lambda: True) -> tuple[str, tuple] | None:
        """The statement of ``key``, compiled from ``build()`` (a queryset) when not kept yet; None
        when the queryset is known to be empty without asking the database (scoping's ``none()``).
        A statement compiled when ``still()`` no longer holds after the build (the day turned
        while it was built) serves this request only."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        try:
            sql, params = build().query.sql_with_params()
            statement = (sql, tuple(params))
        except EmptyResultSet:
            statement = None
        if not still():
            return statement
        with self._lock:
            self._entries[key] = statement
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return statement

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
