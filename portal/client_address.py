"""The one answer to "which address did this request come from?" (MEM-2, MEM-4).

Behind a TLS proxy ``REMOTE_ADDR`` is the proxy's address for every client, so log-in lock-outs,
the registration throttle and the ID-number reveal log would all see one client. The proxy appends
the address it received the request from to ``X-Forwarded-For``; everything to the left of what our
own proxies wrote is whatever the client chose to send. So the header is trusted only through
``TRUSTED_PROXY_COUNT`` hops counted from the right, and never when that setting is 0 (the default:
the app faces clients directly and the header is the client's own invention).
"""
from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address: with N trusted proxies, the entry N hops from the right of
    X-Forwarded-For (the last proxy's peer is REMOTE_ADDR itself). A missing, short or malformed
    header falls back to REMOTE_ADDR, which groups such requests under the proxy's address rather
    than trusting anything the client wrote."""
    remote = request.META.get("REMOTE_ADDR", "")
    remote_address = _valid_address(remote) if remote else None
    proxy_count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxy_count <= 0:
        return remote_address
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < proxy_count:
        return remote_address
    return _valid_address(entries[-proxy_count]) or remote_address
