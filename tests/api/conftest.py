from __future__ import annotations

import pytest

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
