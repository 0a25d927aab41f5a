"""MEM-2: log-in lock-outs behind the TLS proxy. One client cannot lock out another, an address
spraying many user names is locked, and a user name locked from many addresses gets back in
through its officer, within the officer's subtree only."""
from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from membership import services
from membership.models import User
from tests.factories import UserFactory, WorkerFactory

PROXY = "10.0.0.254"
PASSWORD = "pw-123456"


def _log_in(client, username, password, address):
    client.logout()
    return client.post(reverse("portal:login"), {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {address}")


@pytest.fixture
def worker_user(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    return User.objects.create_user("wang", password=PASSWORD, worker=worker, is_staff=False)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_two_clients_behind_the_proxy_do_not_lock_each_other_out(client, worker_user):
    for _ in range(4):
        assert _log_in(client, "wang", "wrong", "203.0.113.5").status_code == 200
    assert _log_in(client, "wang", "wrong", "203.0.113.5").status_code == 429
    assert _log_in(client, "wang", PASSWORD, "203.0.113.5").status_code == 429
    assert _log_in(client, "wang", PASSWORD, "198.51.100.7").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1, LOGIN_SPRAY_USERNAME_LIMIT=10)
def test_spraying_many_user_names_from_one_address_gets_locked(client, worker_user):
    for number in range(9):
        assert _log_in(client, f"guess{number}", "Spring-2026", "203.0.113.5").status_code == 200
    assert _log_in(client, "guess9", "Spring-2026", "203.0.113.5").status_code == 429
    # One failure per user name never reaches the per-account limit, but the address is now locked,
    # even for a correct password; other clients are not.
    assert _log_in(client, "wang", PASSWORD, "203.0.113.5").status_code == 429
    assert _log_in(client, "wang", PASSWORD, "198.51.100.7").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=0, LOGIN_ACCOUNT_FAILURE_LIMIT=12)
def test_one_account_guessed_from_many_addresses_gets_locked(client, worker_user):
    url = reverse("portal:login")
    for attempt in range(12):
        client.post(url, {"username": "wang", "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{attempt // 4 + 1}")
    # Four failures per address stay under the per-address limit; twelve in all lock the account.
    assert client.post(url, {"username": "wang", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7").status_code == 429


def _lock_out(client, username):
    for attempt in range(30):
        _log_in(client, username, "wrong", f"203.0.113.{attempt // 4 + 1}")
    assert _log_in(client, username, PASSWORD, "198.51.100.7").status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_an_officer_unlocks_a_locked_worker_of_their_district(client, worker_user, chaoyang_officer):
    _lock_out(client, "wang")
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:membership_worker_changelist"), {
        "action": "reset_worker_login_lockout", "_selected_action": [worker_user.worker_id]})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="wang").exists()
    assert _log_in(client, "wang", PASSWORD, "198.51.100.7").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_an_officer_of_another_district_cannot_unlock_the_worker(client, worker_user, haidian_officer):
    _lock_out(client, "wang")
    attempts = AccessAttempt.objects.filter(username="wang").count()
    client.force_login(haidian_officer)
    client.post(reverse("admin:membership_worker_changelist"), {
        "action": "reset_worker_login_lockout", "_selected_action": [worker_user.worker_id]})
    with pytest.raises(PermissionDenied):
        services.user_login_lockout_reset(user=worker_user, by=haidian_officer)
    assert AccessAttempt.objects.filter(username="wang").count() == attempts
    assert _log_in(client, "wang", PASSWORD, "198.51.100.7").status_code == 429


def test_staff_accounts_are_unlocked_within_the_subtree_only(tree, municipal, chaoyang_officer, haidian_officer):
    from django.contrib.auth.models import Permission

    chaoyang_staff = UserFactory(username="cy-clerk", unit=tree["chaoyang_enterprise"])
    AccessAttempt.objects.create(username="cy-clerk", ip_address="203.0.113.5", user_agent="", get_data="",
                                 post_data="", http_accept="", path_info="/", failures_since_start=5)
    haidian_officer.user_permissions.add(Permission.objects.get(codename="change_user"))
    with pytest.raises(PermissionDenied):
        services.user_login_lockout_reset(user=chaoyang_staff, by=User.objects.get(pk=haidian_officer.pk))
    # Without the permission to change users, scope alone is not enough (level-1 officers hold it
    # since they set up their subtree's staff accounts: a viewer of users does not).
    viewer = UserFactory(username="cy-viewer", unit=tree["chaoyang"])
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    with pytest.raises(PermissionDenied):
        services.user_login_lockout_reset(user=chaoyang_staff, by=User.objects.get(pk=viewer.pk))
    assert services.user_login_lockout_reset(user=chaoyang_staff, by=User.objects.get(pk=municipal.pk)) == 1
