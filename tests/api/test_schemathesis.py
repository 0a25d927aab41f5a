"""Issue 12: schemathesis drives every operation of the OpenAPI description through the app (WSGI,
no server) with a 朝阳 district officer's token: no server error, every response as the schema
describes it; and no detail of another district's object (海淀) is ever answered 2xx."""
from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.urls import resolve
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from membership import scoping
from tests.factories import IN_UNIT, api_token_create

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def chaoyang_key(tree):
    """The token a 朝阳 district union's system holds: 一级 role, the district's whole subtree."""
    return api_token_create(tree["chaoyang"], role="level1", name="朝阳区工会信息系统")[1]


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes the database connection at the end of each request (Django's test
    client stops it doing so); the test's transaction lives on that connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=5, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_api_answers_as_described_and_never_5xx(case, chaoyang_key, keep_test_connection):
    response = case.call(headers={"Authorization": f"Token {chaoyang_key}"})
    assert response.status_code != 401, "the token was not sent"
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


def _detail_operations():
    """(path template, path parameter) of every GET with one path parameter under /api/v1/."""
    for path, operations in schema.raw_schema["paths"].items():
        names = re.findall(r"{(\w+)}", path)
        if "get" in operations and path.startswith("/api/v1/") and len(names) == 1:
            yield path, names[0]


DETAILS = list(_detail_operations())


def test_the_description_has_detail_operations():
    assert DETAILS


@pytest.mark.django_db
@pytest.mark.parametrize("path, name", DETAILS, ids=[path for path, _ in DETAILS])
def test_a_detail_of_another_district_is_never_2xx(client, tree, chaoyang_key, path, name):
    """The object is made in 海淀 by the factory the admin's permission matrix uses for the view's
    model; the district officer's token of 朝阳 asks for it by its id."""
    probe = path.replace("{%s}" % name, "1")
    view = resolve(probe).func
    queryset = getattr(getattr(view, "cls", None), "queryset", None)
    if queryset is None:
        pytest.skip(f"{path}: no queryset to take a model from")
    model = queryset.model
    if not scoping.is_scoped(model):
        pytest.skip(f"{path}: {model._meta.label} is the city's own data (no owner unit), the same for every token")
    if model not in IN_UNIT:
        pytest.fail(f"{path}: add {model._meta.label} to tests.factories.IN_UNIT")
    other = IN_UNIT[model](tree["haidian_enterprise"])
    own = IN_UNIT[model](tree["chaoyang_enterprise"])
    headers = {"HTTP_AUTHORIZATION": f"Token {chaoyang_key}"}
    lookup = getattr(view.cls, "lookup_field", "pk")
    value = lambda obj: getattr(obj, lookup if lookup != "pk" else "pk")  # noqa: E731
    assert client.get(path.replace("{%s}" % name, str(value(own))), **headers).status_code == 200
    answer = client.get(path.replace("{%s}" % name, str(value(other))), **headers)
    assert not 200 <= answer.status_code < 300, f"{path} answered {answer.status_code} for 海淀's {model._meta.label}"
