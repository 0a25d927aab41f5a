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
"""
from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from threading import Lock

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
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
_MARKERS = re.compile("|".join(re.escape(marker) for marker in (_LOGIN_NEXT, _ADDRESS, _TOKEN)))
KEPT = 64  # pages per process: the board's first pages in two languages, and some room
_pages: OrderedDict[tuple, str] = OrderedDict()
_lock = Lock()


class _ShellRequest:
    """What the frame reads of the request, with the address left as a marker."""

    def get_full_path(self) -> str:
        return _ADDRESS


def _is_shared(request: HttpRequest) -> bool:
    # No session cookie: the visitor is anonymous without asking the database, and has no message
    # kept in a session; no messages cookie: none kept there either.
    return (settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES)


def _shell(template_name: str, context: dict) -> str:
    digest = hashlib.blake2b(repr(sorted(context.items())).encode(), digest_size=16).hexdigest()
    key = (template_name, get_language(), digest)
    with _lock:
        page = _pages.get(key)
        if page is not None:
            _pages.move_to_end(key)
            return page
    page = get_template(template_name).render({
        **i18n(None), **context, "user": AnonymousUser(), "request": _ShellRequest(), "csrf_token": _TOKEN,
        "messages": (),
    })
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
    path = request.get_full_path()
    # One pass, so that an address that happens to hold a marker's text is written as it is.
    values = {_LOGIN_NEXT: "?next=" + defaultfilters.urlencode(path), _ADDRESS: conditional_escape(path),
              _TOKEN: get_token(request)}
    return HttpResponse(_MARKERS.sub(lambda found: values[found.group(0)], _shell(template_name, context)))
