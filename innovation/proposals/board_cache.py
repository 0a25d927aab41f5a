"""INN-2 公示: the disclosure board's rendered pages kept in Django's cache (Redis in production and
tests, locmem in the single-process demo).

Every page is stored with the board's *version* it was built under, a random token. Anything
the board shows changing (a published step, a proposal's text or round, a round, a submitter's or
a unit's name) makes a new version through ``services.board_changed``, after the change commits:
a page stored with another version than the current one is built again. A reader takes the
version *before* it queries, so a page built from rows read just before a change is stored with
the old version and is not served. The version and the page come back from one round trip
(``get_many``): a hit costs one Redis command. The mechanism is portal/versioned_cache.py.

Deep pages and odd filter combinations are not worth memory: only the first pages are kept,
for ``PAGE_SECONDS`` at most."""
from __future__ import annotations

from collections.abc import Callable

from portal.versioned_cache import VersionedCache

CACHED_PAGES = 10
PAGE_SECONDS = 600
BOARD = VersionedCache("innovation:board", timeout=PAGE_SECONDS)
VERSION_KEY = BOARD.version_key
version = BOARD.version
bump = BOARD.bump


def page_key(*, language: str, unit_code: str, round_id: int | None, year: int | None, state: str | None,
             page: int) -> str:
    return f"innovation:board:page:{language}:{unit_code}:{round_id or ''}:{year or ''}:{state or ''}:{page}"


def cached_page(*, build: Callable[[], str], language: str, unit_code: str, round_id: int | None, year: int | None,
                state: str | None, page: int) -> str:
    """The page's HTML from the cache when it was stored under the current version, else
    ``build()``'s, stored with the version read before it ran. ``build`` may raise (a unit that
    does not exist: 404): nothing is stored then."""
    if page > CACHED_PAGES:
        return build()
    return BOARD.get_or_build(page_key(language=language, unit_code=unit_code, round_id=round_id, year=year,
                                       state=state, page=page), build)
