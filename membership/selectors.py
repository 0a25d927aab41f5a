"""Reads that other apps may call: membership owns who a worker is."""
from __future__ import annotations

from .models import Worker


def current_worker(request) -> Worker | None:
    """EDU-8: the worker behind the request's log-in, or None for an anonymous visitor or a staff
    account. The one place the public site asks "who is this worker"; every app's pages call it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    # The account's own field: a worker whose record was deleted leaves the account with None.
    return getattr(user, "worker", None)
