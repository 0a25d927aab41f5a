"""Persistent database connections survive a database restart (CONN_HEALTH_CHECKS)."""
from __future__ import annotations

import psycopg2
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory


def test_persistent_connections_are_health_checked():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def _get(handler: WSGIHandler, path: str) -> str:
    statuses = []
    body = handler(RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET"),
                   lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(body)
    body.close()
    return statuses[0]


@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_database_dropped_the_connection_is_answered():
    """A restarted database ends every server-side session; the first request of each web
    worker afterwards must reconnect rather than answer 500. The full WSGI handler is used
    because the test client skips the request_started housekeeping that runs the check."""
    handler = WSGIHandler()
    assert _get(handler, "/healthz").startswith("200")
    assert connection.connection is not None, "the connection should persist between requests"
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg2.connect(**params) as admin_connection, admin_connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    admin_connection.close()
    assert _get(handler, "/healthz").startswith("200")
