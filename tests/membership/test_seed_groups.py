"""membership.seed.seed_groups: the roles' groups with their declared permissions, read in one query
(it runs in every test's `tree` fixture and in the demo's seed)."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from membership.seed import declared_roles, seed_groups

pytestmark = pytest.mark.django_db


def test_each_group_holds_exactly_its_declared_permissions():
    names, declared = declared_roles()
    groups = seed_groups()
    for role, name in names.items():
        held = {f"{p.content_type.app_label}.{p.codename}" for p in groups[name].permissions.all()}
        assert held == set(declared.get(role, [])), role
        assert Group.objects.get(name=name) == groups[name]


def test_the_permissions_are_read_in_one_query_not_one_each():
    names, declared = declared_roles()
    assert sum(len(codes) for codes in declared.values()) > 50  # the point of the test
    seed_groups()
    with CaptureQueriesContext(connection) as queries:
        seed_groups()
    permission_reads = [q["sql"] for q in queries.captured_queries
                        if 'FROM "auth_permission"' in q["sql"] and "auth_group_permissions" not in q["sql"]]
    assert len(permission_reads) == 1, permission_reads


def test_a_declared_permission_that_does_not_exist_is_refused(monkeypatch):
    names, declared = declared_roles()
    role = next(iter(names))
    broken = {**declared, role: [*declared.get(role, []), "membership.no_such_permission"]}
    monkeypatch.setattr("membership.seed.declared_roles", lambda: (names, broken))
    with pytest.raises(Permission.DoesNotExist):
        seed_groups()
