"""Permission names kept by a web process between requests (membership/backends.py KeptPermissions),
under the permissions version they were read at (membership 0020, 0021): for API tokens and for
session log-ins alike, a change is seen by the very next request, and names read inside a
transaction that was rolled back are never served for a state they did not belong to."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import reverse

from api.authentication import token_by_key_hash
from api.services import hash_key
from membership import backends, scoping
from membership.backends import ModelBackend
from tests.factories import UserFactory, api_token_create

pytestmark = pytest.mark.django_db


class _RolledBack(Exception):
    pass


def test_a_tokens_names_read_in_a_rolled_back_change_are_not_served_after_it(tree):
    token, key = api_token_create(tree["chaoyang"], role="level1")
    reveal = Permission.objects.get(codename="reveal_id_number")
    assert not token_by_key_hash(hash_key(key)).user.has_perm("membership.reveal_id_number")
    with pytest.raises(_RolledBack), transaction.atomic():
        get_user_model().objects.get(pk=token.user_id).user_permissions.add(reveal)
        assert token_by_key_hash(hash_key(key)).user.has_perm("membership.reveal_id_number")
        raise _RolledBack
    # Another change, committed, that does not concern the account: counted up by one, the version
    # came back to the number the rolled-back change had had.
    Group.objects.create(name="与此账号无关的组").permissions.add(reveal)
    assert not token_by_key_hash(hash_key(key)).user.has_perm("membership.reveal_id_number")


# Session log-ins: the account's statement reads the names only when the version moved on.

def _leader(tree, **extra):
    user = UserFactory(unit=tree["root"], **extra)
    user.groups.add(tree["groups"][scoping.LEADERSHIP_GROUP])
    return user


def _sees_dashboard(client) -> bool:
    status = client.get(reverse("reporting:dashboard")).status_code
    assert status in (200, 403)
    return status == 200


def _names_read(monkeypatch) -> list:
    """What each session's statement answered for the permissions' names (None: not read)."""
    seen = []
    keep = backends.kept_permissions.names

    def spy(key, user_id, version, names):
        seen.append(None if names is None else set(names))
        return keep(key, user_id, version, names)

    monkeypatch.setattr(backends.kept_permissions, "names", spy)
    return seen


def test_a_sessions_names_are_read_once_while_nothing_changes(client, tree, monkeypatch):
    user = _leader(tree)
    client.force_login(user)
    seen = _names_read(monkeypatch)
    for _ in range(3):
        assert _sees_dashboard(client)
    assert seen[0] and seen[1:] == [None, None]
    assert ModelBackend().get_user(user.pk).get_all_permissions() == DjangoModelBackend().get_all_permissions(
        get_user_model().objects.get(pk=user.pk))


@pytest.mark.parametrize("change, sees_after", [
    ("own permission added", True), ("own permission removed", False), ("group permission removed", False),
    ("left the group", False), ("joined a group", True), ("permission renamed", False)])
def test_a_change_to_a_session_accounts_permissions_is_seen_by_the_next_request(client, tree, change, sees_after):
    view = Permission.objects.get(codename="view_indicatorvalue")
    leadership = tree["groups"][scoping.LEADERSHIP_GROUP]
    user = UserFactory(unit=tree["root"])
    if change in ("group permission removed", "left the group", "permission renamed"):
        user.groups.add(leadership)
    elif change == "own permission removed":
        user.user_permissions.add(view)
    client.force_login(user)
    assert _sees_dashboard(client) is not sees_after
    assert _sees_dashboard(client) is not sees_after  # the names kept are served
    if change == "own permission added":
        user.user_permissions.add(view)
    elif change == "own permission removed":
        user.user_permissions.remove(view)
    elif change == "group permission removed":
        leadership.permissions.remove(view)
    elif change == "left the group":
        user.groups.remove(leadership)
    elif change == "joined a group":
        user.groups.add(leadership)
    elif change == "permission renamed":
        Permission.objects.filter(pk=view.pk).update(codename="view_indicatorvalue_renamed")
    assert _sees_dashboard(client) is sees_after
    assert ModelBackend().get_user(user.pk).get_all_permissions() == DjangoModelBackend().get_all_permissions(
        get_user_model().objects.get(pk=user.pk))


def test_a_sessions_names_read_in_a_rolled_back_change_are_not_served_after_it(client, tree):
    user = UserFactory(unit=tree["root"])
    client.force_login(user)
    assert not _sees_dashboard(client)
    with pytest.raises(_RolledBack), transaction.atomic():
        user.groups.add(tree["groups"][scoping.LEADERSHIP_GROUP])
        assert _sees_dashboard(client)
        raise _RolledBack
    Group.objects.create(name="与此账号无关的组").permissions.add(Permission.objects.get(codename="view_indicatorvalue"))
    assert not _sees_dashboard(client)


def test_a_superusers_session_has_every_permission(tree):
    boss = UserFactory(is_superuser=True, unit=tree["root"])
    for _ in range(2):
        assert len(ModelBackend().get_user(boss.pk).get_all_permissions()) == Permission.objects.count()


def test_an_inactive_or_missing_account_has_no_session(tree):
    user = UserFactory(is_active=False)
    assert ModelBackend().get_user(user.pk) is None
    assert ModelBackend().get_user(10**9) is None
