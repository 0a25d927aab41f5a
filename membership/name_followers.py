"""Other apps that keep a copy of a worker's or a unit's name, or show one on a cached page (the
proposal board's submitters' names and its cached pages, INN-2), register here to follow a
change. membership's services call :func:`names_changed` inside the transaction that makes the
change, so a follower's own writes commit or roll back with it."""
from __future__ import annotations

from collections.abc import Callable, Iterable

NamesFollower = Callable[..., None]

_FOLLOWERS: list[NamesFollower] = []


def names_follower_register(follower: NamesFollower) -> None:
    """For other apps, from their ``AppConfig.ready()``: call ``follower(worker_ids=…, unit_ids=…)``
    whenever workers are renamed or units are created, renamed, moved or deleted."""
    if follower not in _FOLLOWERS:
        _FOLLOWERS.append(follower)


def names_changed(*, worker_ids: Iterable[int] = (), unit_ids: Iterable[int] = ()) -> None:
    worker_ids, unit_ids = list(worker_ids), list(unit_ids)
    if not worker_ids and not unit_ids:
        return
    for follower in _FOLLOWERS:
        follower(worker_ids=worker_ids, unit_ids=unit_ids)
