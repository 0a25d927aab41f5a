"""Robustness: no query parameter or path an anonymous visitor can send makes a public page of
the worker site answer 5xx (a NUL byte, nan, inf, huge numbers and any unicode included)."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses import forms as course_forms
from portal import urls_public
from talent.views import network as talent_network
from tests.factories import (
    _certificate,
    activity_create,
    class_create,
    course_create,
    courseware_create,
    funds_return_create,
)

# The query form each view validates its parameters with; views missing here read none (the
# log-in view reads "next", which Django validates itself).
QUERY_FORMS = {
    "courses:menu": course_forms.MenuFilterForm,
    "courses:activities": course_forms.ActivityFilterForm,
    "courses:training_certificate_check": course_forms.TrainingCertificateCheckForm,
    # 技术英才网 (TAL-7): every list reads the same search, level, type and page.
    **{f"talent:{name}": talent_network.NetworkQueryForm
       for name in ("studios", "chief_employees", "bases", "associations", "events")},
}
EXTRA_NAMES = ["next", "page", "q", "code", "credits"]

NASTY = st.sampled_from([
    "", "\x00", "a\x00b", "nan", "NaN", "inf", "-inf", "Infinity", "-1", "0", "1e308", "1e-308", "9" * 40,
    "-" + "9" * 40, "1.5", "0x10", "１", "٣", "☃", "焊接", "%00", "../../etc/passwd", "' OR 1=1 --", "\ud7ff",
    "\u202e", "a" * 5000, "\r\n", "//evil.example", "javascript:alert(1)",
])
VALUES = st.one_of(NASTY, st.text(max_size=50), st.integers().map(str),
                   st.floats(allow_nan=True, allow_infinity=True).map(repr))


class PublicRoute(NamedTuple):
    """One route of the public site, from the portal's frame or any app's urls.py that
    portal.urls_public includes; name is namespaced (courses:menu)."""

    pattern: str
    name: str


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield PublicRoute(prefix + str(entry.pattern), namespace + (entry.name or ""))


def _public_patterns() -> list[PublicRoute]:
    return list(_walk(get_resolver(urls_public).url_patterns))


def _query_strategy(name: str):
    form = QUERY_FORMS.get(name)
    names = [*(form.base_fields if form else []), *EXTRA_NAMES]
    keys = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=10))
    return st.dictionaries(keys, st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=3)), max_size=6)


@pytest.fixture
def samples(tree):
    course = course_create(tree["chaoyang"], title="焊接技术基础")
    certificate = _certificate(tree["chaoyang_enterprise"])
    return {
        "code": course.code, "class_id": class_create(course).pk, "courseware_id": courseware_create(course).pk,
        "activity_id": activity_create(tree["chaoyang"]).pk, "enrolment_id": certificate.enrolment_id,
        "file_format": "pdf", **_talent_programme_samples(tree),
        # The dashboards (reporting): staff pages, which an anonymous visitor is sent away from.
        "unit_id": tree["chaoyang"].pk, "year": 2012, "pk": funds_return_create(tree["chaoyang_enterprise"]).pk,
        # A password reset link's parts (EDU-8): any user id in base64 and a token.
        "uidb64": "MQ", "token": "set-password",
    }


def _talent_programme_samples(tree) -> dict:
    from tests.factories import (
        _tech_association,
        base_make,
        chief_designate,
        competition_make,
        studio_make,
        talent_event_make,
    )

    return {"studio_id": studio_make(tree["chaoyang_enterprise"], public=True).pk,
            "designation_id": chief_designate(tree["chaoyang"], public=True).pk,
            "base_id": base_make(tree["chaoyang_enterprise"], public=True).pk,
            "association_id": _tech_association(tree["chaoyang"]).pk,
            "event_id": talent_event_make(tree["chaoyang"]).pk,
            "competition_id": competition_make(tree["chaoyang_enterprise"], is_public=True).pk}


def _path(pattern: PublicRoute, samples: dict) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: quote(str(samples[match.group(1)])), str(pattern.pattern))


def test_every_public_view_reading_query_parameters_has_a_form():
    names = {pattern.name for pattern in _public_patterns()}
    assert set(QUERY_FORMS) <= names


def test_the_walk_finds_every_apps_public_pages_and_the_frame():
    names = {pattern.name for pattern in _public_patterns()}
    assert {"portal:login", "portal:register", "courses:menu", "courses:course", "courses:my_learning",
            "courses:training_certificate_check"} <= names


@pytest.mark.parametrize("pattern", _public_patterns(), ids=lambda pattern: pattern.name)
def test_query_parameters_never_cause_a_server_error(client, samples, pattern):
    path = _path(pattern, samples)

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
    @given(query=_query_strategy(pattern.name))
    def check(query):
        response = client.get(path, query)
        assert response.status_code < 500, (path, query)

    check()


@pytest.mark.parametrize("pattern", [p for p in _public_patterns() if "<" in str(p.pattern)], ids=lambda p: p.name)
def test_path_parameters_never_cause_a_server_error(client, samples, pattern):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
    @given(value=VALUES)
    def check(value):
        names = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
        response = client.get(_path(pattern, {**samples, **{name: value for name in names}}))
        assert response.status_code < 500, (pattern.name, value)

    check()


@pytest.mark.parametrize("url", ["/?credits=nan", "/?credits=inf", "/?credits=-1e999", "/?q=%00", "/?district=%00",
                                 "/activities/?kind=%00", "/activities/?q=a%00", "/certificates/training/check/?code=%00",
                                 "/courses/%00/", "/%00"])
def test_known_crashers_are_answered_without_a_server_error(client, tree, settings, url):
    assert client.get(url).status_code in (200, 400, 404)
    # The views' own validation holds without the NUL guard in front of them.
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != "portal.middleware.RejectNulMiddleware"]
    assert Client().get(url).status_code in (200, 404)


def test_a_nul_byte_in_the_query_or_path_is_a_bad_request(client, db):
    assert client.get("/", {"q": "焊接\x00"}).status_code == 400
    assert client.get("/activities/%00").status_code == 400


def test_invalid_filters_are_ignored_and_valid_ones_apply(client, tree):
    course_create(tree["chaoyang"], title="焊接技术基础")  # 2 credits in the factory
    page = client.get("/", {"credits": "nan", "q": "焊接"})
    assert page.status_code == 200 and page.context["filters"].min_credits is None
    assert page.context["page"].paginator.count == 1
    page = client.get("/", {"credits": "2.5", "sort": "nonsense"})
    assert page.context["filters"].min_credits == Decimal("2.5") and page.context["filters"].sort == "code"
