"""membership/backends.py: an account's permissions in one query, the same as Django's ModelBackend."""
from __future__ import annotations

import pytest
from django.contrib.auth import backends
from django.contrib.auth.models import Group, Permission

from membership import scoping
from membership.backends import ModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_the_same_permissions_as_djangos_in_one_query(django_assert_num_queries):
    own = Permission.objects.get(codename="view_worker")
    shared = Permission.objects.get(codename="change_unit")
    both = Permission.objects.get(codename="view_unit")
    group, other = Group.objects.create(name="测试组"), Group.objects.create(name="另一组")
    group.permissions.add(shared, both)
    other.permissions.add(Permission.objects.get(codename="delete_worker"))  # not the account's group
    user = UserFactory()
    user.user_permissions.add(own, both)
    user.groups.add(group)
    account = _fresh(user)
    with django_assert_num_queries(1):
        found = ModelBackend().get_all_permissions(account)
    assert found == backends.ModelBackend().get_all_permissions(_fresh(user))
    assert found == {"membership.view_worker", "membership.change_unit", "membership.view_unit"}
    assert _fresh(user).has_perm("membership.change_unit") and not _fresh(user).has_perm("membership.delete_worker")


def test_none_for_an_inactive_account_and_all_for_a_superuser():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_worker"))
    user.is_active = False
    assert ModelBackend().get_all_permissions(user) == set()
    boss = UserFactory(is_superuser=True)
    assert ModelBackend().get_all_permissions(_fresh(boss)) == backends.ModelBackend().get_all_permissions(_fresh(boss))
    assert len(ModelBackend().get_all_permissions(_fresh(boss))) == Permission.objects.count()


def test_a_sessions_account_comes_with_its_unit_and_its_permissions(tree, django_assert_num_queries):
    user = UserFactory(unit=tree["chaoyang"])
    user.groups.add(tree["groups"][scoping.LEVEL1_GROUP])
    expected = backends.ModelBackend().get_all_permissions(_fresh(user))
    ModelBackend().get_user(user.pk)  # the statement is prepared in the database session once
    with django_assert_num_queries(1):
        account = ModelBackend().get_user(user.pk)
        assert account.unit.path == tree["chaoyang"].path
        assert account.get_all_permissions() == expected and account.has_perm("membership.view_worker")
    without_unit = UserFactory()
    assert ModelBackend().get_user(without_unit.pk).unit is None
    user.is_active = False
    user.save()
    assert ModelBackend().get_user(user.pk) is None
    assert ModelBackend().get_user(10**9) is None
