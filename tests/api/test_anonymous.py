"""Issue 12: every API route refuses anonymous callers, whatever the method: 401 in the error shape
(GET is covered with every other route by tests/test_anonymous_access.py)."""
from __future__ import annotations

import pytest

from tests.test_anonymous_access import ROUTES, _concrete

API_ROUTES = [route for route in ROUTES if route.startswith("api/v1/")]


def test_the_api_has_routes():
    assert any("uploads/training/" in route for route in API_ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", API_ROUTES)
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_anonymous_callers_get_401_and_no_data(client, route, method):
    if method == "get":
        response = client.get(_concrete(route))
    else:
        response = getattr(client, method)(_concrete(route), data="{}", content_type="application/json")
    assert response.status_code == 401, f"{method} {route}: {response.status_code}"
    assert set(response.json()) == {"detail", "errors"}
