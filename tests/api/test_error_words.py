"""Issue 12: the API's errors are in the user's language and in its one JSON shape, including those
DRF and Django word in English (a missing object, a body that is not JSON, a session call without
CSRF) and an address under /api/ that names no endpoint."""
from __future__ import annotations

import pytest
from django.utils import translation

from tests.api.conftest import auth
from tests.factories import WorkerFactory


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def test_another_districts_worker_is_a_chinese_404_naming_no_class(client, tree, chaoyang_token):
    worker = WorkerFactory(unit=tree["haidian_enterprise"])
    response = client.get(f"/api/v1/workers/{worker.pk}/", **auth(chaoyang_token[1]))
    assert response.status_code == 404
    body = response.json()
    assert body["errors"] == [] and _chinese(body["detail"]) and "Worker" not in body["detail"]


def test_a_body_that_is_not_json_is_a_chinese_400(client, tree, chaoyang_token):
    response = client.post("/api/v1/uploads/training/", "{rows: oops", content_type="application/json",
                           **auth(chaoyang_token[1]))
    assert response.status_code == 400
    assert _chinese(response.json()["detail"]) and "JSON parse error" not in response.json()["detail"]


def test_a_session_write_without_csrf_is_a_chinese_403(tree, chaoyang_officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(chaoyang_officer)
    response = client.post("/api/v1/uploads/training/", {"rows": []}, content_type="application/json")
    assert response.status_code == 403
    assert _chinese(response.json()["detail"]) and "CSRF Failed" not in response.json()["detail"]


@pytest.mark.parametrize("address", ["/api/v1/indicator-runs/", "/api/v2/", "/api/", "/api/v1/nothing-here"])
def test_an_unknown_address_under_api_is_the_json_404(client, tree, address):
    response = client.get(address, follow=True)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"] == [] and _chinese(response.json()["detail"])


def test_a_known_address_without_its_slash_still_redirects(client, tree, chaoyang_token):
    response = client.get("/api/v1/workers", **auth(chaoyang_token[1]))
    assert response.status_code == 301 and response["Location"].endswith("/api/v1/workers/")
