from __future__ import annotations

from django.core.exceptions import MiddlewareNotUsed
from pghistory.middleware import HistoryMiddleware as PgHistoryMiddleware

from core.audit_context import is_recorded


class HistoryMiddleware(PgHistoryMiddleware):
    """pghistory's middleware (the user and URL of each POST, PUT, PATCH or DELETE:
    PGHISTORY_MIDDLEWARE_METHODS in portal/settings/base.py) where the trail is recorded. Its
    context is sent as PostgreSQL `set_config` calls in front of each statement, which SQLite cannot
    run: the embedded demo goes without it."""

    def __init__(self, get_response):
        if not is_recorded():
            raise MiddlewareNotUsed
        super().__init__(get_response)
