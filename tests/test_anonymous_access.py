"""Every URL outside a short public allow-list refuses anonymous users, so that a new route fails
here until someone decides whether it is public."""
from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "healthz",
    # The worker site: the course menu and course pages are open to anyone (EDU-1), as are
    # logging in, registering and checking a certificate's code (EDU-3).
    "",
    "courses/<str:code>/",
    "activities/",
    "login/",
    "logout/",
    "register/",
    "register/confirm/",  # the second step of registering: the code from the SMS
    # A forgotten password (EDU-8): a one-time code from the worker's union, or a link by e-mail.
    "password/code/",
    "password/reset/",
    "password/reset/sent/",
    "password/reset/<uidb64>/<token>/",
    "password/reset/complete/",
    "certificates/training/check/",
    "certificates/check/",  # the check's old address, moved permanently to the one above
    "i18n/setlang/",
    "admin/login/",
    "admin/logout/",
    "admin/password_reset/",
    "jsi18n/",
    # 技术英才网 (TAL-7, INN-5): the achievements their units mark public, names only.
    "innovation/achievements/",
    "innovation/achievements/<str:code>/",
    # INN-2: the disclosure board (公示) of adopted proposals is published for everyone.
    "innovation/proposals/board/",
    # 技术英才网 (TAL-7): the talent pages are open to anyone; registering for an event needs a log-in.
    "talent/",
    "talent/studios/",
    "talent/studios/<int:studio_id>/",
    "talent/chief-employees/",
    "talent/chief-employees/<int:designation_id>/",
    "talent/bases/",
    "talent/bases/<int:base_id>/",
    "talent/associations/",
    "talent/associations/<int:association_id>/",
    "talent/events/",
    "talent/events/<int:event_id>/",
    # TAL-6, TAL-7: competitions their organisers marked public, with results (names, units, awards).
    "talent/competitions/",
    "talent/competitions/<int:competition_id>/",
    # Issue 12: the API's description and its documentation page describe the interface and hold
    # no data (the same description is committed as api/schema.yml); every /api/v1/ route refuses.
    "api/schema/",
    "api/docs/",
    # The API's JSON 404 for an address under /api/ that names no endpoint (api/urls.py): it
    # answers the same to everyone and holds no data.
    "api/^(.*/)?$",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _concrete(route: str) -> str:
    # Regex groups first, before their "<name>" looks like a path converter; a router's regex
    # routes (the API's) carry "^" and "$" in the middle of the joined route, and a format suffix
    # is answered only for a format the API renders.
    route = re.sub(r"\(\?P<format>[^)]*\)", "json", route)
    route = re.sub(r"<drf_format_suffix:[^>]+>", ".json", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", route)
    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<path:[^>]+>", "x", route)
    route = re.sub(r"<[^>]+>", "x", route)
    route = re.sub(r"\(\?:[^)]*\)\??", "", route)
    return "/" + route.replace("?", "")


ROUTES = sorted(set(_walk(get_resolver().url_patterns)))


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_users_are_sent_to_log_in(client, route):
    if route in PUBLIC:
        return
    response = client.get(_concrete(route))
    if response.status_code in (301, 302):
        assert "login" in response["Location"], f"{route} redirects anonymous users to {response['Location']}"
    else:
        assert response.status_code in (401, 403), f"{route} answered {response.status_code}"
