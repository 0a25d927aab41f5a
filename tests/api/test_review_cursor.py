"""Review: a crafted cursor position on an integer ordering answers 500 (ValueError from the ORM),
not a bad-value or not-found answer."""
from __future__ import annotations

import base64
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.factories import WorkerFactory


def _cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["worker-list", "training-record-list", "credit-entry-list", "enrolment-list",
                                   "certificate-list"])
def test_review_crafted_cursor_position_is_not_a_server_error(tree, chaoyang_api, route):
    WorkerFactory(unit=tree["chaoyang_enterprise"])
    chaoyang_api.raise_request_exception = False
    url = reverse(route) + "?" + urlencode({"cursor": _cursor("p=abc")})
    response = chaoyang_api.get(url)
    assert response.status_code < 500, response.status_code
