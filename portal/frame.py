"""The public site's frame (templates/portal/base.html) around a body that is the same for every
visitor, such as the proposals' disclosure board (INN-2), its busiest page.

For a visitor who is not logged in and has no message waiting, the whole page differs from one
request to the next in two places only: the CSRF token of the language switch and the address the
log-in link and the language switch return to. ``render_shared`` renders such a page once per
process with a marker in those two places, keeps it in a small per-process table keyed by the page's
own inputs (template, language and a digest of the context: a new body is a new entry, so nothing is
ever served stale), and writes the visitor's token and address into a copy. A logged-in visitor, or
one with a message waiting, gets the page rendered as usual. tests/portal/test_frame.py checks that
both give the same bytes.

``marked_context`` and ``filled`` serve pages kept elsewhere (the leadership dashboard keeps each
viewer's whole page in the cache): rendered once with the markers, filled in on every request.
"""
from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from threading import Lock

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import defaultfilters
from django.template.context_processors import i18n
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.translation import get_language

# Markers no address or token can contain (both are left alone by escaping and by urlencode).
_TOKEN = "xframetokenx7c1e"
_ADDRESS = "xframeaddressx7c1e"
_LOGIN_NEXT = f"?next={_ADDRESS}"
_MARKERS = re.compile("(" + "|".join(re.escape(marker) for marker in (_LOGIN_NEXT, _ADDRESS, _TOKEN)) + ")")
KEPT = 64  # pages per process: the board's first pages in two languages, and some room
_pages: OrderedDict[tuple, list[str]] = OrderedDict()
_lock = Lock()


class _ShellRequest:
    """What the frame reads of the request, with the address left as a marker."""

    def get_full_path(self) -> str:
        return _ADDRESS


class _MarkedRequest:
    """The request as a template sees it, with the address left as a marker."""

    def __init__(self, request: HttpRequest):
        self._request = request

    def get_full_path(self) -> str:
        return _ADDRESS

    def __getattr__(self, name):
        return getattr(self._request, name)


def messages_waiting(request: HttpRequest) -> bool:
    """Whether a message may wait to be shown (a page with one must be rendered, not kept)."""
    if CookieStorage.cookie_name in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return session is not None and SessionStorage.session_key in session


def marked_context(request: HttpRequest) -> dict:
    """Context that renders the CSRF token and the address as markers, for ``filled``."""
    return {"csrf_token": _TOKEN, "request": _MarkedRequest(request)}


def prepared(page: str) -> list[str]:
    """A page rendered with the markers, cut at them once: the text between, the markers at odd places."""
    return _MARKERS.split(page)


def filled(request: HttpRequest, parts: list[str]) -> HttpResponse:
    """A prepared page with this request's token and address written in (an address that happens to
    hold a marker's text is written as it is: the page was cut before)."""
    path = request.get_full_path()
    values = {_LOGIN_NEXT: "?next=" + defaultfilters.urlencode(path), _ADDRESS: conditional_escape(path),
              _TOKEN: get_token(request)}
    page = parts[:]
    page[1::2] = [values[marker] for marker in parts[1::2]]
    return HttpResponse("".join(page))


def _is_shared(request: HttpRequest) -> bool:
    # No session cookie: the visitor is anonymous without asking the database, and has no message
    # kept in a session; no messages cookie: none kept there either.
    return (settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES)


def _shell(template_name: str, context: dict) -> list[str]:
    digest = hashlib.blake2b(repr(sorted(context.items())).encode(), digest_size=16).hexdigest()
    key = (template_name, get_language(), digest)
    with _lock:
        page = _pages.get(key)
        if page is not None:
            _pages.move_to_end(key)
            return page
    page = prepared(get_template(template_name).render({
        **i18n(None), **context, "user": AnonymousUser(), "request": _ShellRequest(), "csrf_token": _TOKEN,
        "messages": (),
    }))
    with _lock:
        _pages[key] = page
        while len(_pages) > KEPT:
            _pages.popitem(last=False)
    return page


def render_shared(request: HttpRequest, template_name: str, context: dict) -> HttpResponse:
    """``render(request, template_name, context)``; for an anonymous visitor with no message waiting,
    the same bytes from the per-process table. ``context`` holds plain values (strings, numbers)
    that say everything the page shows."""
    if not _is_shared(request):
        return render(request, template_name, context)
    return filled(request, _shell(template_name, context))
