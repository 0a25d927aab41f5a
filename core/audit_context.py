"""The audit trail's two hooks into the rest of the portal (item 16 of issue 6).

They name no model: they set pghistory's context for whatever the triggers of the audit app record.
They live below every app because the upload pipeline calls them, and the audit app (which tracks
courses' and membership's models, which build on uploads) sits above it."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

import pghistory
from django.db import DEFAULT_DB_ALIAS, connection, connections


def is_recorded(using: str = DEFAULT_DB_ALIAS) -> bool:
    """The trail is written by PostgreSQL triggers; the embedded SQLite demo records none."""
    return connections[using].vendor == "postgresql"


@contextmanager
def audit_context_for_upload(*, upload, user) -> Iterator[None]:
    """Every change written while this is entered carries the upload's id and its user, whichever
    process commits it (the web request or a Celery worker). Inside a request it adds to the
    middleware's context (user, URL)."""
    if not is_recorded():
        yield
        return
    with pghistory.context(upload=upload.pk if upload is not None else None, user=user.pk):
        yield
    # pghistory's variables live until the end of the transaction, not of this block: inside an
    # outer transaction, later writes would be put down to this upload. (After an error the
    # rollback to the savepoint has undone them already.) An enclosing pghistory.context sets
    # its own again in front of its next statement.
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pghistory.context_id', '', true), "
                           "set_config('pghistory.context_metadata', '', true)")


def audit_context_bind(cursor) -> None:
    """Make the current audit context visible to a COPY about to be sent on ``cursor``.

    pghistory puts its context in front of each statement Django executes, as transaction-local
    `set_config` calls; COPY is sent on psycopg's own cursor, past Django's execute wrappers, so
    the rows' triggers would read no context. One statement sent through Django first sets it for
    the rest of the transaction. (pghistory skips SELECTs, hence a SET.) Outside
    pghistory.context this is a harmless no-op."""
    if cursor.db.vendor == "postgresql":
        cursor.execute("SET LOCAL audit.bulk_write = 'copy'")


def audit_context_carry() -> Callable[[], None]:
    """A function that makes the current audit context this thread's in another thread, for a
    thread that writes on this thread's connection inside its transaction (the upload pipeline's
    batch writer). pghistory keeps its context in a thread-local, and the statements of the other
    thread would otherwise fail to find it (the execute wrapper lives on the shared connection).
    Outside pghistory.context, the function does nothing."""
    from pghistory import runtime

    value = getattr(runtime._tracker, "value", None)

    def enter() -> None:
        if value is not None:
            runtime._tracker.value = value

    return enter
