"""The trail's request context (audit/middleware.py): pghistory 3 enters it for GET too, and sends
it in front of every statement. The API's reads go without it (issue 12, Speed: a tenth of a page
of 1,000 workers); every write, and every other page, keeps it."""
from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from pghistory import runtime

from audit.middleware import API_PREFIX, HistoryMiddleware

pytestmark = pytest.mark.django_db


def _in_context(method: str, path: str) -> bool:
    seen = []

    def view(request):
        seen.append(hasattr(runtime._tracker, "value"))
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method.lower())(path)
    HistoryMiddleware(view)(request)
    return seen[0]


@pytest.mark.parametrize("path", [reverse("worker-list"), reverse("unit-list"), reverse("api-schema"),
                                  reverse("api-docs")])
def test_api_reads_run_without_the_context(path):
    assert path.startswith(API_PREFIX)
    assert _in_context("GET", path) is False
    assert _in_context("HEAD", path) is False


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_api_writes_keep_the_context(method):
    assert _in_context(method, reverse("worker-list")) is True


@pytest.mark.parametrize("path", ["/admin/", "/admin/membership/worker/", "/"])
def test_other_pages_keep_the_context(path):
    assert _in_context("GET", path) is True
