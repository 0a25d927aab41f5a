from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from api.services import token_create
from membership import scoping
from tests.factories import UserFactory, api_token_create


@pytest.fixture
def chaoyang_enterprise_officer(tree):
    """A 二级 officer of a 朝阳 enterprise's union."""
    user = UserFactory(username="cy-ent", unit=tree["chaoyang_enterprise"])
    user.groups.add(tree["groups"][scoping.LEVEL2_GROUP])
    return user


@pytest.fixture
def chaoyang_token(tree):
    """A 朝阳 district union's system: a token of the district with the 一级 role."""
    return api_token_create(tree["chaoyang"], role="level1", name="朝阳区工会信息系统")


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}



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
