"""Shared pages kept in Django's cache (Redis in production and tests, locmem in the single-process
demo) under a *version*: a random token that every change of what the pages show replaces, once
the change commits. A page stored under another version than the current one is built again, so
a page is never served stale after a change, and nothing has to know which keys to delete.

A reader takes the version *before* it queries, so a page built from rows read just before a
change is stored with the old version and is never served. The version and the page come back
from one round trip (``get_many``): a hit costs one cache command.

First written for INN-2 公示 (innovation/proposals/board_cache.py), shared since the course menu
(EDU-1, courses/menu_cache.py) caches its pages the same way (issue 13)."""
from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction


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

    def version(self) -> str:
        current = cache.get(self.version_key)
        if current is None:
            # Never set, or evicted: a fresh token, so no page stored before can be read again.
            cache.add(self.version_key, uuid.uuid4().hex, timeout=None)
            current = cache.get(self.version_key)
        return current

    def bump(self) -> None:
        cache.set(self.version_key, uuid.uuid4().hex, timeout=None)

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
            current = cache.get(self.version_key)
            if current is not None and local[0] == current:
                return local[1]
            stored = cache.get(key)
        else:
            found = cache.get_many([self.version_key, key])
            current = found.get(self.version_key)
            stored = found.get(key)
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
