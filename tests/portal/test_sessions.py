"""portal/sessions.py: Django's database sessions, read by a prepared statement. What it loads must
be what Django's own store loads: a live session's data, nothing for an expired, unknown or
malformed key (and the key dropped, so that a new one is made on save)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_portal_uses_it():
    assert settings.SESSION_ENGINE == "portal.sessions"


def test_a_live_session_loads_as_djangos_does_in_one_statement(django_assert_num_queries):
    made = SessionStore()
    made["_auth_user_id"] = "42"
    made["某个键"] = ["值", 1]
    made.create()
    SessionStore(made.session_key).load()  # the statement is prepared in the database session once
    store = SessionStore(made.session_key)
    with django_assert_num_queries(1):
        loaded = store.load()
    assert loaded == DjangoSessionStore(made.session_key).load() == {"_auth_user_id": "42", "某个键": ["值", 1]}
    assert store.session_key == made.session_key


@pytest.mark.parametrize("case", ["expired", "unknown", "malformed", "none"])
def test_no_session_without_a_live_row_and_the_key_is_dropped(case, django_assert_num_queries):
    made = SessionStore()
    made["_auth_user_id"] = "42"
    made.create()
    key = {"expired": made.session_key, "unknown": "x" * 32, "malformed": "short", "none": None}[case]
    if case == "expired":
        Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    ours, djangos = SessionStore(key), DjangoSessionStore(key)
    assert ours.load() == djangos.load() == {}
    assert ours.session_key is None and djangos.session_key is None
