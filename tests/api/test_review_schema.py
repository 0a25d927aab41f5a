"""Review: the published schema (served to anyone, no token needed) carries a full 18-digit ID
number — with its 1949-12-31 birth date — in the bulk endpoints' examples and descriptions. The
project's own response checks (tests/api/test_endpoints.py FULL_ID) treat any such number in an
answer as a leak; the schema is an answer too."""
from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


@pytest.mark.django_db
def test_review_schema_carries_no_full_id_number():
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    body = response.content.decode()
    found = FULL_ID.findall(body)
    assert not found, f"full ID numbers in the schema: {sorted(set(found))}"


@pytest.mark.django_db
def test_review_docs_page_loads_no_external_assets():
    response = APIClient().get("/api/docs/")
    body = response.content.decode()
    external = re.findall(r"""(?:src|href)=["'](?:https?:)?//[^"']+""", body)
    assert not external, external
    script = APIClient().get("/api/docs/?script=")
    assert not re.findall(r"https?://(?!localhost|testserver)[\w.-]+/[^\s\"']*\.(?:js|css)", script.content.decode())
