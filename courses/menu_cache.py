"""EDU-1 at city scale (issue 13): the course menu's shared part — the filters, the count of
matching courses and each card's open classes, seats and target groups — kept in the cache
(Redis) under a version (portal/versioned_cache.py) that every change of what it shows replaces
once the change commits: never stale after a change.

What the menu shows comes from courses, their classes (open, dates, capacity, seats taken), the
enrolments that take the seats, the target groups, and the units (the district filter). Every
write of those through the ORM — the services, the admin, the review, an upload's rows, the API,
a shell — passes through the models' save and delete, so the version follows their signals
(``connect``), the one place all those paths meet. The seat counts the enrolment services move
with ``update()`` always move with an enrolment's save in the same transaction. A bulk write
that bypasses the models (a seed, raw SQL) calls ``menu_changed()`` itself.

The per-user parts of the page (log-in state, CSRF token, messages, the address for 登录's
return) are in the frame around it, rendered for each request; only the first pages of each
search and filter are kept, for ``PAGE_SECONDS`` at most."""
from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from portal.versioned_cache import VersionedCache

CACHED_PAGES = 10
PAGE_SECONDS = 600
MENU = VersionedCache("courses:menu", timeout=PAGE_SECONDS)


def menu_changed(**_signal_arguments) -> None:
    """Something the course menu shows is being changed (see the module's docstring)."""
    MENU.changed()


def cached_content(*, build: Callable[[], str], language: str, filters, page: int | None) -> str:
    """The menu's shared HTML for these filters and page, from the cache when it was stored under
    the current version, else ``build()``'s."""
    if not settings.COURSE_MENU_CACHE or (page or 1) > CACHED_PAGES:
        return build()
    # The dataclass's repr names every field with its value, as astuple() did, without its deep copy.
    digest = hashlib.blake2b(repr(filters).encode(), digest_size=16).hexdigest()
    return MENU.get_or_build(MENU.key("content", language, page or 1, digest), build)


def connect() -> None:
    """Called once from CoursesConfig.ready()."""
    from membership.models import Unit

    from .models import Course, CourseClass, Enrolment, TargetGroup

    for model in (Course, CourseClass, Enrolment, TargetGroup, Unit):
        post_save.connect(menu_changed, sender=model, dispatch_uid=f"course_menu_{model.__name__}_saved")
        post_delete.connect(menu_changed, sender=model, dispatch_uid=f"course_menu_{model.__name__}_deleted")
    m2m_changed.connect(menu_changed, sender=Course.target_groups.through, dispatch_uid="course_menu_target_groups")
