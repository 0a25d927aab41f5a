import pytest

from membership import scoping
from tests.factories import UserFactory


@pytest.fixture
def leader(tree):
    """Leadership: sees every dashboard of the city, changes nothing."""
    user = UserFactory(username="leader", unit=tree["root"])
    user.groups.add(tree["groups"][scoping.LEADERSHIP_GROUP])
    return user
