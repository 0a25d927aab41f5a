from __future__ import annotations

from django.core.exceptions import MiddlewareNotUsed
from pghistory.middleware import HistoryMiddleware as PgHistoryMiddleware

from core.audit_context import is_recorded

# Where portal/urls.py mounts the API (api/urls.py).
API_PREFIX = "/api/"


class HistoryMiddleware(PgHistoryMiddleware):
    """pghistory's middleware (the user and URL of each POST, PUT, PATCH or DELETE) where the
    trail is recorded. Its context is sent as PostgreSQL `set_config` calls in front of each
    statement, which SQLite cannot run: the embedded demo goes without it.

    pghistory 3 enters its context for GET as well (PGHISTORY_MIDDLEWARE_METHODS' default): the
    API's reads go without it. A GET under /api/ is a list, a detail, the schema or its page —
    read-only views that write no tracked row (a reveal's record and a token's last use are not
    tracked) — and the context cost each of its statements a `set_config` pair and a JSON dump:
    a tenth of a page of 1,000 workers (bench/api.py). Writes under /api/ (POST, PUT, PATCH,
    DELETE) keep it."""

    def __init__(self, get_response):
        if not is_recorded():
            raise MiddlewareNotUsed
        super().__init__(get_response)

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        return super().__call__(request)
