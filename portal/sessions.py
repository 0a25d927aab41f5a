"""Django's database sessions (SESSION_ENGINE), with a session read by a statement kept prepared
in the database session (core/prepared.py): every logged-in page reads its session first, and the
ORM built and compiled the same look-up on every request (about a fifth of the leadership page's
own time in-process, issue 11). Everything else — saving, creating, expiry, the cookie — is
Django's."""
from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from core.prepared import execute_prepared


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        using = router.db_for_read(self.model)
        connection = connections[using]
        if connection.vendor != "postgresql":
            return super()._get_session_from_db()
        if self.session_key is None:  # no key, or one Django refused as malformed: no session
            return None
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            execute_prepared(cursor, "portal_session", f'SELECT "session_key", "session_data", "expire_date" '
                                                       f'FROM "{table}" WHERE "session_key" = %s AND "expire_date" > %s',
                             [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model.from_db(using, ["session_key", "session_data", "expire_date"], list(row))
