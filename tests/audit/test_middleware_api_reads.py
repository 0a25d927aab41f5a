"""The trail's request context (audit/middleware.py, PGHISTORY_MIDDLEWARE_METHODS): pghistory 3
enters it for GET too, and sends it in front of every statement. Reads go without it (issues 12 and
13, Speed: a tenth of the course menu's uncached page and of an API page of 1,000 workers); every
write keeps it, on the API and on the portal's own pages."""
from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from pghistory import runtime

from audit.middleware import HistoryMiddleware

pytestmark = pytest.mark.django_db

READS = [reverse("worker-list"), reverse("unit-list"), reverse("api-schema"), reverse("api-docs"), "/admin/",
         "/admin/membership/worker/", "/", "/reporting/"]


def _in_context(method: str, path: str) -> bool:
    seen = []

    def view(request):
        seen.append(hasattr(runtime._tracker, "value"))
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method.lower())(path)
    HistoryMiddleware(view)(request)
    return seen[0]


@pytest.mark.parametrize("path", READS)
def test_reads_run_without_the_context(path):
    assert _in_context("GET", path) is False
    assert _in_context("HEAD", path) is False


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", [reverse("worker-list"), "/admin/membership/worker/add/", "/"])
def test_writes_keep_the_context(method, path):
    assert _in_context(method, path) is True
