"""Issue 12 (Speed): a token request reads the token, its account, the account's unit and the
account's permissions in one statement (api.authentication.token_by_key_hash). What it gives must
be what ``select_related("user__unit")`` and ModelBackend give; and the permission check reads the
model from a view's declared queryset, which must be its scoped queryset's model."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from rest_framework.test import APIRequestFactory

from api.authentication import token_by_key_hash
from api.models import ApiToken
from api.registry import router
from api.services import hash_key
from membership.backends import ModelBackend
from tests.factories import api_token_create


def _values(instance) -> list:
    return [getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields]


def test_the_one_statement_gives_what_select_related_gives(tree):
    token, key = api_token_create(tree["chaoyang_enterprise"], role="level2")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.created_at)
    read = token_by_key_hash(hash_key(key))
    orm = ApiToken.objects.select_related("user__unit").get(pk=token.pk)
    assert _values(read) == _values(orm)
    assert _values(read.user) == _values(orm.user)
    assert _values(read.user.unit) == _values(orm.user.unit)
    assert read.user.api_token is read  # the reverse one-to-one, as select_related leaves it
    assert token_by_key_hash(hash_key(key + "x")) is None


def test_the_permissions_read_with_the_token_are_the_backends(tree, django_assert_num_queries):
    token, key = api_token_create(tree["chaoyang"], role="level1")
    token.user.user_permissions.add(Permission.objects.get(codename="reveal_id_number"))
    fresh = get_user_model().objects.get(pk=token.user_id)
    expected = ModelBackend().get_all_permissions(fresh)
    assert "membership.view_worker" in expected and "membership.reveal_id_number" in expected
    with django_assert_num_queries(1):
        read = token_by_key_hash(hash_key(key))
        assert read.user.get_all_permissions() == expected
        assert read.user.has_perm("membership.view_worker")
        assert not read.user.has_perm("api.delete_apitoken")


def test_an_account_without_a_unit_or_a_superuser_reads_as_before(tree):
    token, key = api_token_create(tree["chaoyang"], role="level1")
    get_user_model().objects.filter(pk=token.user_id).update(unit=None, is_superuser=True)
    read = token_by_key_hash(hash_key(key))
    assert read.user.unit_id is None and read.user.unit is None
    # A superuser's permissions are all of them, which the statement does not list: read as before.
    assert not hasattr(read.user, "_perm_cache")
    assert read.user.get_all_permissions() == {f"{p.content_type.app_label}.{p.codename}"
                                               for p in Permission.objects.select_related("content_type")}


@pytest.mark.parametrize("prefix, viewset", [(prefix, viewset) for prefix, viewset, _basename in router.registry])
def test_each_routes_declared_queryset_is_its_scoped_querysets_model(tree, municipal, prefix, viewset):
    declared = getattr(viewset, "queryset", None)
    if declared is None:
        return
    view = viewset()
    request = APIRequestFactory().get(f"/api/v1/{prefix}/")
    request.user = municipal
    view.request, view.args, view.kwargs, view.format_kwarg, view.action = request, (), {}, None, "list"
    assert view.get_queryset().model is declared.model


def _names_read(monkeypatch) -> list:
    """What each look-up's statement answered for the permissions' names (None: not read)."""
    from api import authentication

    seen = []
    keep = authentication.kept_permissions.names

    def spy(key, user_id, version, names):
        seen.append(None if names is None else set(names))
        return keep(key, user_id, version, names)

    monkeypatch.setattr(authentication.kept_permissions, "names", spy)
    return seen


def test_an_accounts_permissions_are_read_once_while_nothing_changes(tree, monkeypatch, django_assert_num_queries):
    token, key = api_token_create(tree["chaoyang"], role="level1")
    seen = _names_read(monkeypatch)
    first = token_by_key_hash(hash_key(key)).user.get_all_permissions()
    with django_assert_num_queries(1):
        second = token_by_key_hash(hash_key(key)).user.get_all_permissions()
    assert seen[0] and seen[1:] == [None]  # the second statement did not read the 200-odd names
    assert second == first == ModelBackend().get_all_permissions(get_user_model().objects.get(pk=token.user_id))


@pytest.mark.parametrize("change", ["own permission added", "group permission removed", "left the group",
                                    "joined a group", "own permission removed", "permission renamed"])
def test_a_change_to_an_accounts_permissions_is_seen_by_the_next_request(tree, change):
    from django.contrib.auth.models import Group

    token, key = api_token_create(tree["chaoyang"], role="level1")
    user = get_user_model().objects.get(pk=token.user_id)
    reveal = Permission.objects.get(codename="reveal_id_number")
    if change == "own permission removed":
        user.user_permissions.add(reveal)
    token_by_key_hash(hash_key(key))  # kept
    group = user.groups.first()
    if change == "own permission added":
        user.user_permissions.add(reveal)
    elif change == "own permission removed":
        user.user_permissions.remove(reveal)
    elif change == "group permission removed":
        group.permissions.remove(Permission.objects.get(codename="view_worker"))
    elif change == "left the group":
        user.groups.remove(group)
    elif change == "joined a group":
        extra = Group.objects.create(name="查看完整身份证号")
        extra.permissions.add(reveal)
        user.groups.add(extra)
    elif change == "permission renamed":
        Permission.objects.filter(pk=reveal.pk).update(codename="reveal_id_number_renamed")
    read = token_by_key_hash(hash_key(key)).user
    assert read.get_all_permissions() == ModelBackend().get_all_permissions(get_user_model().objects.get(pk=user.pk))
    expected = {
        "own permission added": ("membership.reveal_id_number", True),
        "own permission removed": ("membership.reveal_id_number", False),
        "group permission removed": ("membership.view_worker", False),
        "left the group": ("membership.view_worker", False),
        "joined a group": ("membership.reveal_id_number", True),
        "permission renamed": ("membership.reveal_id_number_renamed", False),
    }[change]
    assert read.has_perm(expected[0]) is expected[1]


def test_a_token_moved_to_another_account_reads_that_accounts_permissions(tree, monkeypatch):
    token, key = api_token_create(tree["chaoyang"], role="level1")
    other, _ = api_token_create(tree["chaoyang_enterprise"], role="level2")
    token_by_key_hash(hash_key(key))
    seen = _names_read(monkeypatch)
    ApiToken.objects.filter(pk=other.pk).delete()
    ApiToken.objects.filter(pk=token.pk).update(user=other.user_id)
    read = token_by_key_hash(hash_key(key)).user
    assert read.pk == other.user_id and seen[0] is not None
    assert read.get_all_permissions() == ModelBackend().get_all_permissions(get_user_model().objects.get(pk=other.user_id))
