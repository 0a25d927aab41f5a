"""Permission names kept by a web process between requests (membership/backends.py KeptPermissions),
under the permissions version they were read at (membership 0020, 0021): for API tokens and for
session log-ins alike, a change is seen by the very next request, and names read inside a
transaction that was rolled back are never served for a state they did not belong to."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from api.authentication import token_by_key_hash
from api.services import hash_key
from tests.factories import api_token_create

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
