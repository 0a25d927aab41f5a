"""INN-2 公示: the disclosure board's rendered pages kept in Django's cache (Redis in production and
tests, locmem in the single-process demo).

Every page is stored under the board's current *version*, a random token. Anything the board
shows changing (a published step, a proposal's text or round, a round, a submitter's or a unit's
name) makes a new version through ``services.board_changed``, after the change commits: pages
stored under the old version are never read again and expire on their own. A reader takes the
version *before* it queries, so a page built from rows read just before a change is stored
under the old version, where nobody looks for it.

Deep pages and odd filter combinations are not worth memory: only the first pages are kept,
for ``PAGE_SECONDS`` at most."""
from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache

VERSION_KEY = "innovation:board:version"
CACHED_PAGES = 10
PAGE_SECONDS = 600


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        # Never set, or evicted: a fresh token, so no page stored before can be read again.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(VERSION_KEY)
    return current


def bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def page_key(current_version: str, *, language: str, unit_code: str, round_id: int | None, year: int | None,
             state: str | None, page: int) -> str:
    return (f"innovation:board:{current_version}:{language}:{unit_code}:{round_id or ''}:{year or ''}:"
            f"{state or ''}:{page}")


def cached_page(*, build: Callable[[], str], language: str, unit_code: str, round_id: int | None, year: int | None,
                state: str | None, page: int) -> str:
    """The page's HTML from the cache, or ``build()``'s, stored under the version read before it ran.
    ``build`` may raise (a unit that does not exist: 404): nothing is stored then."""
    if page > CACHED_PAGES:
        return build()
    key = page_key(version(), language=language, unit_code=unit_code, round_id=round_id, year=year, state=state,
                   page=page)
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, timeout=PAGE_SECONDS)
    return html
