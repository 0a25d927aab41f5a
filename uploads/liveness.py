"""UPL-2: how a running upload shows it is alive, and how anyone can tell that its process died.

Two signals, because a process can die in any way (a Celery pool child killed, the whole worker
killed, a web worker killed during an in-request commit):

- the run lock: a PostgreSQL session-level advisory lock on the upload, held by the process that
  runs it for as long as it runs. The database releases it the moment that process's connection
  goes away, so "nobody holds the lock" is proof that no process is running the upload, however
  long it has been waiting for another commit;
- the heartbeat: ``Upload.heartbeat_at``, written every few seconds while rows are processed. The
  sweep only looks at uploads whose heartbeat stopped, and only fails those whose lock is free.
"""
from __future__ import annotations

import logging
import time
import zlib
from contextlib import contextmanager
from typing import Iterator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone

from .models import Upload

logger = logging.getLogger(__name__)

# The two-integer form of the advisory lock key: its own space, apart from the single-bigint keys
# of the commit locks (UploadKind.lock_keys).
RUN_LOCK_CLASS = zlib.crc32(b"upload-run") % (2**31)


def _run_lock_key(upload_id: int) -> list[int]:
    return [RUN_LOCK_CLASS, upload_id % (2**31)]


@contextmanager
def run_lock(upload_id: int, *, wait: float = 0) -> Iterator[bool]:
    """Hold the upload's run lock while the block runs; yields False if another process holds
    it after ``wait`` seconds. Without PostgreSQL (the embedded demo runs everything in one
    process) there is nobody to exclude: always True."""
    if connection.vendor != "postgresql":
        yield True
        return
    deadline = time.monotonic() + wait
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _run_lock_key(upload_id))
            held = cursor.fetchone()[0]
            if held or time.monotonic() >= deadline:
                break
            time.sleep(0.2)
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _run_lock_key(upload_id))


class Heartbeat:
    """Writes ``Upload.heartbeat_at`` at most every ``UPLOAD_HEARTBEAT_SECONDS``.

    A commit runs inside one transaction: a heartbeat written on that connection would stay
    invisible to the sweep until the commit ends, so while a transaction is open the beat goes
    through a connection of its own, in autocommit. A heartbeat must never break an upload: a
    failed beat is logged and the upload goes on."""

    def __init__(self, upload_id: int):
        self.upload_id = upload_id
        self.last_beat = float("-inf")
        self._own_connection = None

    def beat(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_beat < settings.UPLOAD_HEARTBEAT_SECONDS:
            return
        self.last_beat = now
        if not connection.in_atomic_block:
            Upload.objects.filter(pk=self.upload_id).update(heartbeat_at=timezone.now())
            return
        if connection.vendor != "postgresql":
            return  # SQLite (the demo): a second writer would wait for the open transaction
        try:
            if self._own_connection is None:
                self._own_connection = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._own_connection.cursor() as cursor:
                # Never queue behind a lock on the upload's row (nothing should hold one).
                cursor.execute("SET lock_timeout = '1s'")
                cursor.execute(
                    f"UPDATE {connection.ops.quote_name(Upload._meta.db_table)} SET heartbeat_at = %s WHERE id = %s",
                    [timezone.now(), self.upload_id],
                )
        except DatabaseError:
            logger.warning("upload %s: heartbeat not written", self.upload_id, exc_info=True)

    def close(self) -> None:
        if self._own_connection is not None:
            self._own_connection.close()
            self._own_connection = None
