"""Shared pages kept in Django's cache (Redis in production and tests, locmem in the single-process
demo) under a *version*: a random token that every change of what the pages show replaces, once
the change commits. A page stored under another version than the current one is built again, so
a page is never served stale after a change, and nothing has to know which keys to delete.

A reader takes the version *before* it queries, so a page built from rows read just before a
change is stored with the old version and is never served. The version and the page come back
from one round trip (``get_many``).

With Redis, each process also keeps the version itself, told by Redis the moment its key changes
(``VersionWatch``: client-side caching, ``CLIENT TRACKING … BCAST``): a page this process already
holds under the current version is then served without any cache command (issue 13: the round
trip for the version alone cost the menu a quarter of its requests per second).

First written for INN-2 公示 (innovation/proposals/board_cache.py), shared since the course menu
(EDU-1, courses/menu_cache.py) caches its pages the same way (issue 13)."""
from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction


class VersionWatch:
    """The version as this process last read it, trusted only while Redis has not said that its key
    changed. A connection of its own asks Redis (``CLIENT TRACKING ON BCAST PREFIX <key>``) to send
    it a message whenever the key is written, deleted, expired, evicted or flushed. Redis queues
    that message before it answers the write (both leave in the same turn of its event loop), so
    once a change's ``bump`` has returned anywhere, every process finds the message waiting on its
    socket at its next look — a non-blocking ``recv`` before each use. Bytes waiting, a closed
    connection or any error: the version is read from the cache again. ``REVALIDATE_SECONDS``
    bounds the damage of a connection that dies silently (no message, no close): the version is
    then read again, and a version that changed without a message closes the connection and opens
    a new one."""

    REVALIDATE_SECONDS = 1.0
    RETRY_SECONDS = 30.0  # after a failed connection (no Redis 6+, Redis away), before the next try

    def __init__(self, key: str):
        self.key = key  # the name of the version's key as Django writes it in Redis
        self._lock = threading.Lock()
        self._pid = None
        self._connection = None
        self._socket = None
        self._version = None
        self._read_at = 0.0
        self._generation = 0  # each connection's number: a version is kept only by the one that heard
        self._retry_at = 0.0

    def current(self) -> tuple[str | None, int]:
        """The version, or None when it must be read from the cache; and the connection's number,
        for ``remember``."""
        with self._lock:
            if not self._alive() or self._changed():
                return None, self._generation
            if time.monotonic() - self._read_at > self.REVALIDATE_SECONDS:
                return None, self._generation
            return self._version, self._generation

    def remember(self, version: str, generation: int) -> None:
        """``version`` was read from the cache after ``current`` looked at the socket and said
        ``generation``: kept only while that same connection, which heard every change since,
        has heard nothing."""
        with self._lock:
            if self._socket is None or generation != self._generation or self._changed():
                return
            if self._version is not None and version != self._version:
                # Changed, yet no message came: the connection no longer hears; a new one.
                self._close()
                return
            self._version, self._read_at = version, time.monotonic()

    def forget(self) -> None:
        with self._lock:
            self._version = None

    def _alive(self) -> bool:
        if self._pid != os.getpid():  # a forked child never shares its parent's socket
            self._connection = self._socket = self._version = None
            self._pid = os.getpid()
            self._generation += 1
        if self._socket is None and time.monotonic() >= self._retry_at:
            self._connect()
        return self._socket is not None

    def _changed(self) -> bool:
        """Whether Redis said something since the last look (an invalidation: any byte counts)."""
        changed = False
        while True:
            try:
                data = self._socket.recv(65536, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                self._close()
                return True
            if not data:  # closed by the server
                self._close()
                return True
            changed = True
        if changed:
            self._version = None
        return changed

    def _connect(self) -> None:
        from django.core.cache import caches
        from django.core.cache.backends.redis import RedisCache

        backend = caches["default"]  # ``cache`` is a proxy to it, never an instance of its class
        if not isinstance(backend, RedisCache):
            return
        connection = None
        try:
            import redis

            # Writes, the version's included, go to the first server (Django's RedisCacheClient).
            pool = redis.ConnectionPool.from_url(backend._servers[0], protocol=3)
            connection = pool.make_connection()
            connection.connect()
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self.key)
            if connection.read_response() not in (b"OK", "OK"):
                raise ConnectionError("CLIENT TRACKING refused")
            # Only this class reads it from now on, without waiting (redis-py gave it a timeout).
            connection._sock.setblocking(False)
            self._connection, self._socket = connection, connection._sock
            self._generation += 1
        except Exception:  # no Redis 6+, or no connection: every read asks the cache, as before
            if connection is not None:
                connection.disconnect()
            self._connection = self._socket = None
            self._retry_at = time.monotonic() + self.RETRY_SECONDS
        self._version = None

    def _close(self) -> None:
        try:
            self._connection.disconnect()
        except Exception:
            pass
        self._connection = self._socket = self._version = None
        self._generation += 1


class VersionedCache:
    # Pages this process read or built, with their version: a page stored under the current
    # version is served from here after one small read of the version, without moving it out of
    # Redis again (issue 13: the page's bytes cost more than the round trip).
    LOCAL_PAGES = 256

    def __init__(self, name: str, *, timeout: int):
        self.name = name
        self.version_key = f"{name}:version"
        self.timeout = timeout
        self._local: OrderedDict[str, tuple[str, Any]] = OrderedDict()
        self._watch = None

    @property
    def watch(self) -> VersionWatch:
        if self._watch is None:
            self._watch = VersionWatch(cache.make_and_validate_key(self.version_key))
        return self._watch

    def _current(self) -> str | None:
        """The version this process may trust without asking, else the cache's (or None)."""
        current, generation = self.watch.current()
        if current is None:
            current = cache.get(self.version_key)
            if current is not None:
                self.watch.remember(current, generation)
        return current

    def version(self) -> str:
        current = cache.get(self.version_key)
        if current is None:
            # Never set, or evicted: a fresh token, so no page stored before can be read again.
            cache.add(self.version_key, uuid.uuid4().hex, timeout=None)
            current = cache.get(self.version_key)
        return current

    def bump(self) -> None:
        cache.set(self.version_key, uuid.uuid4().hex, timeout=None)
        self.watch.forget()  # Redis says so too; this process need not wait for the message

    def changed(self) -> None:
        """What the pages show is being changed by the current transaction. The version is
        replaced at once (a page another request builds meanwhile from the rows before the change
        is stored under the version this replaces) and again once the change commits (one built
        between the two from the uncommitted rows' old values never serves either); a change rolled
        back costs a rebuild, no more."""
        self.bump()
        transaction.on_commit(self.bump)

    def key(self, *parts: object) -> str:
        return ":".join([self.name, *(str(part) for part in parts)])

    def get_or_build(self, key: str, build: Callable[[], Any]) -> Any:
        """The value stored under ``key`` when it was stored under the current version, else
        ``build()``'s, stored with the version read before it ran. ``build`` may raise: nothing is
        stored then."""
        local = self._local.get(key)
        if local is not None:
            current = self._current()
            if current is not None and local[0] == current:
                return local[1]
            stored = cache.get(key)
        else:
            current, generation = self.watch.current()
            if current is not None:
                stored = cache.get(key)
            else:
                found = cache.get_many([self.version_key, key])
                current = found.get(self.version_key)
                stored = found.get(key)
                if current is not None:
                    self.watch.remember(current, generation)
        if current is not None and stored is not None and stored[0] == current:
            self._remember(key, stored)
            return stored[1]
        if current is None:
            current = self.version()
        value = build()
        cache.set(key, (current, value), timeout=self.timeout)
        self._remember(key, (current, value))
        return value

    def _remember(self, key: str, stored: tuple[str, Any]) -> None:
        self._local[key] = stored
        try:
            self._local.move_to_end(key)
            while len(self._local) > self.LOCAL_PAGES:
                self._local.popitem(last=False)
        except KeyError:  # another thread of a threaded server trimmed it first: only a hint is lost
            pass
