"""portal/frame.py on the proposals' disclosure board: the public frame is joined from pieces kept per
process with the visitor's own CSRF token and address written in; the bytes must be those a normal
render gives, the token must work, and logged-in visitors must get their own frame."""
from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from portal import frame

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
ODD = {"unit": "", "utm": '<script>"中文&x=1</script>', "q": "xframeaddressx7c1e xframetokenx7c1e"}


def _normalised(body: bytes) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="T"', body.decode())


@pytest.fixture(autouse=True)
def _empty_table():
    frame._pieces.cache_clear()
    yield
    frame._pieces.cache_clear()


def test_an_anonymous_visitor_gets_the_bytes_a_normal_render_gives(client):
    url = reverse("innovation:proposal_board")
    shared = client.get(url, ODD)
    assert frame._pieces.cache_info().currsize == 1, "the anonymous page was not joined from pieces"
    # A session cookie that names no session: still anonymous, but rendered the usual way.
    normal = Client()
    normal.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    rendered = normal.get(url, ODD)
    assert shared.status_code == rendered.status_code == 200
    assert _normalised(shared.content) == _normalised(rendered.content)
    body = shared.content.decode()
    assert "%3Cscript%3E" in body  # the address as the browser sent it, percent-encoded
    assert "xframeaddressx7c1e" in body  # the visitor's own address, written as it is
    # Served a second time from the table, with another token.
    again = client.get(url, ODD)
    assert _normalised(again.content) == _normalised(shared.content)


def test_the_token_written_into_the_shared_page_is_accepted():
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(reverse("innovation:proposal_board"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert settings.CSRF_COOKIE_NAME in page.cookies
    switched = browser.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = browser.get(reverse("innovation:proposal_board"))
    assert 'lang="en"' in english.content.decode()


def test_languages_get_their_own_pages(client):
    url = reverse("innovation:proposal_board")
    chinese = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert 'lang="zh-hans"' in chinese and 'lang="en"' in english
    assert frame._pieces.cache_info().currsize == 2


def test_a_logged_in_visitor_gets_their_own_frame(client):
    from tests.factories import UserFactory

    user = UserFactory(first_name="王小明")
    client.force_login(user)
    body = client.get(reverse("innovation:proposal_board")).content.decode()
    assert "王小明" in body and reverse("portal:logout") in body
    assert frame._pieces.cache_info().currsize == 0


def test_the_frames_token_is_djangos_masked_secret(rf):
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _check_token_format, _unmask_cipher_token

    new_visitor = rf.get("/")
    tokens = {frame.csrf_token(new_visitor) for _ in range(3)}
    secret = new_visitor.META["CSRF_COOKIE"]
    assert len(secret) == 32 and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert new_visitor.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert len(tokens) == 3, "each token has its own mask"
    for token in tokens:
        _check_token_format(token)
        assert len(token) == 64 and _unmask_cipher_token(token) == secret
    returning = rf.get("/")
    returning.META["CSRF_COOKIE"] = "abcdefghijklmnopqrstuvwxyzABCDEF"
    assert _unmask_cipher_token(frame.csrf_token(returning)) == "abcdefghijklmnopqrstuvwxyzABCDEF"
    assert returning.META["CSRF_COOKIE"] == "abcdefghijklmnopqrstuvwxyzABCDEF"


def test_a_returning_visitors_token_is_accepted():
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("innovation:proposal_board"))
    cookie = browser.cookies[settings.CSRF_COOKIE_NAME].value
    page = browser.get(reverse("innovation:proposal_board"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert browser.cookies[settings.CSRF_COOKIE_NAME].value == cookie
    switched = browser.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
