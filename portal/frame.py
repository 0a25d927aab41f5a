"""A public page's frame (portal/base.html around the page's own part) for an anonymous visitor
without messages, rendered once per template and language in each process with markers where
the per-request parts go — the CSRF token and the page's address (登录's ``next`` and the
language form) — and the page's part; each request then joins the pieces with its own values,
escaped exactly as the template escapes them. Issue 13: the Django template nodes of the frame
cost more than the whole course menu taken from the cache. A logged-in user, or a visitor with
messages to show, gets the template rendered as usual; tests/portal/test_frame.py and
tests/courses/test_menu_cache.py prove that both give the same page. The proposals' disclosure
board (INN-2) is framed the same way, and the leadership dashboard keeps each viewer's whole page
with the same markers (``marked_context``, ``prepared``, ``filled``)."""
from __future__ import annotations

import functools
import os
import re
from urllib.parse import quote

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language

# Letters and digits only, so that neither escaping nor the urlencode filter changes them — but
# for the colon of the address marker, which urlencode turns into %3A: that tells the two
# places the address is printed apart.
_TOKEN = "PORTALFRAMETOKEN0c5e1d"
_PATH = "PORTALFRAMEPATH:7b2f90"
_PATH_URLENCODED = quote(_PATH, safe="/")
_CONTENT = "PORTALFRAMECONTENT4a81e3"
_MARKERS = re.compile("(" + "|".join(re.escape(marker) for marker in (_TOKEN, _PATH_URLENCODED, _PATH, _CONTENT)) + ")")


_CHAR_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
# The largest multiple of the alphabet's size a byte reaches: bytes at or above it are dropped, so
# each character is drawn uniformly, as secrets.choice draws it.
_BYTE_LIMIT = 256 - 256 % len(CSRF_ALLOWED_CHARS)


def _random_indexes(count: int) -> list[int]:
    indexes: list[int] = []
    while len(indexes) < count:
        indexes.extend(byte % len(CSRF_ALLOWED_CHARS) for byte in os.urandom(count + 16) if byte < _BYTE_LIMIT)
    return indexes[:count]


def csrf_token(request) -> str:
    """What django.middleware.csrf.get_token returns and does (the same secret in the request for
    the cookie, the same masked form of it), with the random characters drawn from one read of the
    system's randomness instead of one read each: Django's 64 calls of secrets.choice cost a
    visitor without the cookie a fifth of the course menu taken from the cache (issue 13)."""
    chars = CSRF_ALLOWED_CHARS
    if "CSRF_COOKIE" in request.META:
        secret = [_CHAR_INDEX[char] for char in request.META["CSRF_COOKIE"]]
        mask = _random_indexes(CSRF_SECRET_LENGTH)
    else:
        drawn = _random_indexes(2 * CSRF_SECRET_LENGTH)
        secret, mask = drawn[:CSRF_SECRET_LENGTH], drawn[CSRF_SECRET_LENGTH:]
        request.META["CSRF_COOKIE"] = "".join(chars[index] for index in secret)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return "".join(chars[index] for index in mask) + "".join(
        chars[(secret_index + mask_index) % len(chars)] for secret_index, mask_index in zip(secret, mask))


class _MarkedRequest:
    """The request as a template sees it, with the address left as a marker; anything else is read
    from the real request when there is one (the dashboards' admin frame)."""

    def __init__(self, request=None):
        self._request = request

    def get_full_path(self) -> str:
        return _PATH

    def __getattr__(self, name):
        if self._request is None:
            raise AttributeError(name)
        return getattr(self._request, name)


@functools.lru_cache(maxsize=32)
def _pieces(template_name: str, language: str) -> tuple[str, ...]:
    html = render_to_string(template_name, {
        "content": _CONTENT, "csrf_token": _TOKEN, "request": _MarkedRequest(), "user": AnonymousUser(),
        "messages": (),
    })
    return tuple(_MARKERS.split(html))


def render_framed(request, template_name: str, content: str) -> HttpResponse:
    """``render(request, template_name, {"content": content})``, faster for anonymous visitors.
    The template prints ``{{ content }}`` once and uses no other per-request value than those
    above."""
    if request.user.is_authenticated or len(get_messages(request)):
        return render(request, template_name, {"content": content})
    path = request.get_full_path()
    values = {_TOKEN: csrf_token(request), _PATH_URLENCODED: escape(quote(path, safe="/")), _PATH: escape(path),
              _CONTENT: content}
    pieces = _pieces(template_name, get_language())
    # re.split puts the markers at the odd places: only those are replaced, never a visitor's text.
    return HttpResponse("".join(values[piece] if index % 2 else piece for index, piece in enumerate(pieces)))


# Pages kept whole elsewhere (the leadership dashboard keeps each viewer's page in the cache):
# rendered once with the markers for the token and the address, filled in on every request.

def messages_waiting(request) -> bool:
    """Whether a message waits to be shown (a page with one is rendered, never kept)."""
    return bool(len(get_messages(request)))


def marked_context(request) -> dict:
    """Context that renders the CSRF token and the address as markers, for ``prepared``."""
    return {"csrf_token": _TOKEN, "request": _MarkedRequest(request)}


def prepared(page: str) -> list[str]:
    """A page rendered with ``marked_context``, cut at the markers once (the markers at odd places)."""
    return _MARKERS.split(page)


def filled(request, pieces: list[str]) -> HttpResponse:
    """A prepared page with this request's token and address written in."""
    path = request.get_full_path()
    values = {_TOKEN: csrf_token(request), _PATH_URLENCODED: escape(quote(path, safe="/")), _PATH: escape(path)}
    return HttpResponse("".join(values[piece] if index % 2 else piece for index, piece in enumerate(pieces)))


def sidebar_viewer(user, root: str | None) -> tuple:
    """Everything the admin's sidebar of sections depends on: who asks (the account, whether it is
    live and staff, its permissions and ``root``, its subtree's path from membership.scoping), the
    language and the script prefix the addresses are reversed under. The admin site keeps the app list under it (portal/admin_site.py) and the
    dashboards their sidebar's HTML (reporting/views.py); a change of any part is a new key."""
    from django.urls import get_script_prefix

    return (user.pk, user.is_active, user.is_staff, user.is_superuser, tuple(sorted(user.get_all_permissions())),
            root, get_language(), get_script_prefix())
