from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from api.services import token_create


@pytest.fixture
def token_client(tree):
    """``token_client(unit, role)``: an API client holding a new token of that unit and role."""

    def make(unit, role="level1", name="企业培训系统"):
        _token, key = token_create(name=name, unit=unit, role=role)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def chaoyang_api(tree, token_client):
    return token_client(tree["chaoyang"], "level1")


@pytest.fixture
def leadership_api(tree, token_client):
    return token_client(tree["root"], "leadership", name="领导小组看板")
