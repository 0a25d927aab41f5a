"""Issue 8, MEM-2: level-1 officers create and disable staff accounts for units in their subtree,
granting no role above their own; MEM-1: member level and status follow the tree."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from membership import scoping, services
from membership.models import Unit, User
from tests.factories import UserFactory, unit_create


def _new_account(unit, *groups, **overrides):
    data = {"username": "cy-enterprise-staff", "first_name": "李敏", "email": "limin@example.org", "unit": unit.pk,
            "groups": [group.pk for group in groups], "password1": "Zhigong-2026!x", "password2": "Zhigong-2026!x"}
    data.update(overrides)
    return data


def test_a_level1_officer_creates_a_staff_account_in_their_subtree(client, tree, chaoyang_officer):
    level2 = Group.objects.get(name=scoping.LEVEL2_GROUP)
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:membership_user_add"), _new_account(tree["chaoyang_enterprise"], level2))
    assert response.status_code == 302, response.context["adminform"].form.errors
    account = User.objects.get(username="cy-enterprise-staff")
    assert account.unit == tree["chaoyang_enterprise"] and account.is_staff and account.is_active
    assert not account.is_superuser
    assert list(account.groups.values_list("name", flat=True)) == [scoping.LEVEL2_GROUP]
    assert account.check_password("Zhigong-2026!x")


def test_a_level1_officer_cannot_grant_municipal_staff(client, tree, chaoyang_officer):
    municipal = Group.objects.get(name=scoping.MUNICIPAL_GROUP)
    client.force_login(chaoyang_officer)
    form = client.get(reverse("admin:membership_user_add")).context["adminform"].form
    offered = set(form.fields["groups"].queryset.values_list("name", flat=True))
    assert offered == {scoping.LEVEL1_GROUP, scoping.LEVEL2_GROUP}
    response = client.post(reverse("admin:membership_user_add"), _new_account(tree["chaoyang_enterprise"], municipal))
    assert response.status_code == 200 and response.context["adminform"].form.errors["groups"]
    assert not User.objects.filter(username="cy-enterprise-staff").exists()
    # The service refuses it too, whatever door asks.
    try:
        services.staff_account_check(by=chaoyang_officer, account=None, unit=tree["chaoyang_enterprise"],
                                     groups=[municipal])
    except services.ValidationError as error:
        assert "groups" in error.message_dict
    else:
        raise AssertionError("granting municipal staff was allowed")


def test_a_level1_officer_cannot_make_a_superuser(client, tree, chaoyang_officer):
    level2 = Group.objects.get(name=scoping.LEVEL2_GROUP)
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:membership_user_add"),
                           _new_account(tree["chaoyang_enterprise"], level2, is_superuser="on"))
    assert response.status_code == 302
    assert User.objects.get(username="cy-enterprise-staff").is_superuser is False
    account = User.objects.get(username="cy-enterprise-staff")
    change = reverse("admin:membership_user_change", args=[account.pk])
    form = client.get(change).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    try:
        services.staff_account_check(by=chaoyang_officer, account=account, unit=account.unit, groups=[level2],
                                     is_superuser=True)
    except services.ValidationError as error:
        assert "is_superuser" in error.message_dict
    else:
        raise AssertionError("making a superuser was allowed")


def test_a_level1_officer_cannot_create_an_account_outside_their_subtree(client, tree, chaoyang_officer):
    level2 = Group.objects.get(name=scoping.LEVEL2_GROUP)
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:membership_user_add"), _new_account(tree["haidian_enterprise"], level2))
    assert response.status_code == 200 and response.context["adminform"].form.errors["unit"]
    assert not User.objects.filter(username="cy-enterprise-staff").exists()


def test_a_role_follows_the_units_level(client, tree, chaoyang_officer):
    level1 = Group.objects.get(name=scoping.LEVEL1_GROUP)
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:membership_user_add"), _new_account(tree["chaoyang_enterprise"], level1))
    assert response.status_code == 200 and response.context["adminform"].form.errors["groups"]
    assert not User.objects.filter(username="cy-enterprise-staff").exists()


def test_a_level1_officer_disables_an_account_in_their_subtree_only(client, tree, chaoyang_officer):
    level2 = Group.objects.get(name=scoping.LEVEL2_GROUP)
    mine = UserFactory(username="cy-staff", unit=tree["chaoyang_enterprise"])
    mine.groups.add(level2)
    theirs = UserFactory(username="hd-staff", unit=tree["haidian_enterprise"])
    client.force_login(chaoyang_officer)
    change = reverse("admin:membership_user_change", args=[mine.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"is_active": "", "groups": [level2.pk], "unit": mine.unit_id, "is_staff": "on",
                 "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00"})
    data.pop("password", None)
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    mine.refresh_from_db()
    assert mine.is_active is False
    response = client.post(reverse("admin:membership_user_change", args=[theirs.pk]), {**data, "username": "hd-staff"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active is True


def test_a_level2_officer_creates_no_accounts(client, tree):
    officer = UserFactory(unit=tree["chaoyang_enterprise"])
    officer.groups.add(Group.objects.get(name=scoping.LEVEL2_GROUP))
    client.force_login(officer)
    assert client.get(reverse("admin:membership_user_add")).status_code == 403


def test_a_level1_union_is_a_level1_member_from_its_creation(tree):
    union = services.unit_create(parent=tree["root"], code="BJCY99", name="北京市新产业工会", kind=Unit.Kind.INDUSTRY_UNION)
    assert (union.member_level, union.membership_status, union.membership_since) == (
        "1", "active", timezone.localdate())
    assert (tree["chaoyang"].member_level, tree["chaoyang"].membership_status) == ("1", "active")
    assert (tree["root"].member_level, tree["root"].membership_status) == ("", "none")


def test_a_unit_below_becomes_a_level2_member_when_its_status_is_set(tree):
    enterprise = tree["chaoyang_enterprise"]
    assert (enterprise.member_level, enterprise.membership_status, enterprise.membership_since) == ("", "none", None)
    services.unit_update(unit=enterprise, membership_status="active")
    enterprise.refresh_from_db()
    assert (enterprise.member_level, enterprise.membership_since) == ("2", timezone.localdate())
    services.unit_update(unit=enterprise, membership_status="active", member_level="1")
    enterprise.refresh_from_db()
    assert enterprise.member_level == "2"
    joined = unit_create(enterprise)
    services.unit_update(unit=joined, membership_status="suspended", membership_since=dt.date(2025, 3, 1))
    joined.refresh_from_db()
    assert (joined.member_level, joined.membership_status, joined.membership_since) == ("2", "suspended", dt.date(2025, 3, 1))


def test_the_unit_form_shows_the_member_level_but_does_not_take_it(client, tree, chaoyang_officer):
    client.force_login(chaoyang_officer)
    form = client.get(reverse("admin:membership_unit_change", args=[tree["chaoyang_enterprise"].pk])).context["adminform"].form
    assert "member_level" not in form.fields


def test_a_moved_unit_takes_the_level_of_its_new_place(tree):
    enterprise = tree["chaoyang_enterprise"]
    services.unit_update(unit=enterprise, membership_status="active")
    branch = unit_create(enterprise)
    services.unit_update(unit=branch, membership_status="active")
    services.unit_update(unit=Unit.objects.get(pk=enterprise.pk), parent=tree["root"])
    enterprise.refresh_from_db()
    branch.refresh_from_db()
    assert (enterprise.depth, enterprise.member_level) == (2, "1")
    assert (branch.depth, branch.member_level) == (3, "2")
    services.unit_update(unit=enterprise, parent=tree["haidian"])
    enterprise.refresh_from_db()
    assert (enterprise.depth, enterprise.member_level, enterprise.membership_status) == (3, "2", "active")
