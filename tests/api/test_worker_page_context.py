"""Issue 12 (Speed): a worker page runs its statements without the trail's request context
(audit/middleware.py), which pghistory would otherwise send in front of each of them."""
from __future__ import annotations

from django.urls import reverse
from pghistory import runtime

from portal import api as portal_api
from tests.factories import WorkerFactory


def test_a_worker_page_runs_no_statement_in_the_context(tree, chaoyang_api, monkeypatch):
    WorkerFactory(unit=tree["chaoyang_enterprise"])
    seen = []
    original = portal_api.execute_prepared

    def spy(*args, **kwargs):
        seen.append(hasattr(runtime._tracker, "value"))
        return original(*args, **kwargs)

    monkeypatch.setattr(portal_api, "execute_prepared", spy)
    response = chaoyang_api.get(reverse("worker-list"))
    assert response.status_code == 200 and len(response.json()["results"]) == 1
    assert seen == [False]
