"""Issue 8, EDU-8: workers who forgot their password. The log-in page says how to recover it; an
officer issues a one-time code (recorded, expiring, single-use, hashed) for a worker of their
subtree, with which the worker sets a new password on the site; an account with an e-mail
address resets by e-mail through Django's views in the site's look."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from membership import password_reset
from membership.models import PasswordResetCode
from tests.factories import UserFactory, WorkerFactory


@pytest.fixture
def worker_account(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王秀英")
    return UserFactory(username="w2026001", is_staff=False, unit=None, worker=worker)


def _issue(client, officer, worker):
    client.force_login(officer)
    page = client.post(reverse("admin:membership_worker_reset_code", args=[worker.pk]))
    assert page.status_code == 200
    return page.context["code"].replace(" ", "")


def _redeem(client, username, code, password="Xin-mima-2026!"):
    client.logout()
    return client.post(reverse("portal:password_reset_code"),
                       {"username": username, "code": code, "password1": password, "password2": password})


def test_the_log_in_page_says_how_to_recover_a_password(client):
    page = client.get(reverse("portal:login")).content.decode()
    assert 'id="forgot-password"' in page
    assert reverse("portal:password_reset_code") in page and reverse("portal:password_reset") in page


def test_an_officer_issues_a_code_with_which_the_worker_sets_a_new_password(client, tree, chaoyang_officer, worker_account):
    worker = worker_account.worker
    client.force_login(chaoyang_officer)
    change = client.get(reverse("admin:membership_worker_change", args=[worker.pk]))
    assert reverse("admin:membership_worker_reset_code", args=[worker.pk]) in change.content.decode()
    code = _issue(client, chaoyang_officer, worker)
    assert len(code) == password_reset.CODE_DIGITS
    record = PasswordResetCode.objects.get()
    assert (record.worker, record.account, record.issued_by, record.unit) == (
        worker, worker_account, chaoyang_officer, tree["chaoyang_enterprise"])
    # Hashed: the code itself is stored nowhere.
    from django.contrib.auth.hashers import check_password, identify_hasher

    assert identify_hasher(record.code_hash) and record.code_hash.count(code) == 0
    assert check_password(code, record.code_hash)
    assert record.expires_at - record.issued_at == password_reset.CODE_LIFETIME or \
        abs((record.expires_at - record.issued_at) - password_reset.CODE_LIFETIME) < dt.timedelta(seconds=1)
    response = _redeem(client, "w2026001", f"{code[:5]} {code[5:]}")
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")
    worker_account.refresh_from_db()
    assert worker_account.check_password("Xin-mima-2026!")
    record.refresh_from_db()
    assert record.used_at is not None


def test_a_code_works_once(client, tree, chaoyang_officer, worker_account):
    code = _issue(client, chaoyang_officer, worker_account.worker)
    assert _redeem(client, "w2026001", code).status_code == 302
    response = _redeem(client, "w2026001", code, password="Another-2026!pw")
    assert response.status_code == 200 and response.context["form"].errors["code"]
    worker_account.refresh_from_db()
    assert worker_account.check_password("Xin-mima-2026!") and not worker_account.check_password("Another-2026!pw")


def test_an_expired_code_does_not_work(client, tree, chaoyang_officer, worker_account):
    code = _issue(client, chaoyang_officer, worker_account.worker)
    PasswordResetCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = _redeem(client, "w2026001", code)
    assert response.status_code == 200 and response.context["form"].errors["code"]
    worker_account.refresh_from_db()
    assert worker_account.check_password("pw-123456")
    assert PasswordResetCode.objects.get().used_at is None


def test_a_code_is_spent_after_five_wrong_tries(client, tree, chaoyang_officer, worker_account):
    code = _issue(client, chaoyang_officer, worker_account.worker)
    wrong = "0" * 10 if code != "0" * 10 else "1" * 10
    for _attempt in range(password_reset.CODE_ATTEMPTS):
        assert _redeem(client, "w2026001", wrong).status_code == 200
    assert PasswordResetCode.objects.get().failed_attempts == password_reset.CODE_ATTEMPTS
    assert _redeem(client, "w2026001", code).status_code == 200
    worker_account.refresh_from_db()
    assert worker_account.check_password("pw-123456")


def test_a_new_code_ends_the_open_one(client, tree, chaoyang_officer, worker_account):
    first = _issue(client, chaoyang_officer, worker_account.worker)
    second = _issue(client, chaoyang_officer, worker_account.worker)
    assert PasswordResetCode.objects.count() == 2
    assert _redeem(client, "w2026001", first).status_code == 200
    assert _redeem(client, "w2026001", second).status_code == 302


def test_a_code_for_another_account_does_not_work(client, tree, chaoyang_officer, worker_account):
    other = UserFactory(username="w2026002", is_staff=False, unit=None, worker=WorkerFactory(unit=tree["chaoyang_enterprise"]))
    code = _issue(client, chaoyang_officer, worker_account.worker)
    assert _redeem(client, "w2026002", code).status_code == 200
    other.refresh_from_db()
    assert other.check_password("pw-123456")


def test_an_officer_cannot_issue_a_code_outside_their_subtree(client, tree, haidian_officer, worker_account):
    client.force_login(haidian_officer)
    response = client.post(reverse("admin:membership_worker_reset_code", args=[worker_account.worker.pk]))
    assert response.status_code == 404
    assert not PasswordResetCode.objects.exists()


def test_a_viewer_without_change_permission_cannot_issue_a_code(client, tree, worker_account):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(unit=tree["chaoyang"])
    viewer.user_permissions.set(Permission.objects.filter(codename="view_worker"))
    client.force_login(viewer)
    page = client.get(reverse("admin:membership_worker_change", args=[worker_account.worker.pk])).content.decode()
    assert reverse("admin:membership_worker_reset_code", args=[worker_account.worker.pk]) not in page
    assert client.post(reverse("admin:membership_worker_reset_code", args=[worker_account.worker.pk])).status_code == 403
    assert not PasswordResetCode.objects.exists()


def test_the_codes_are_listed_for_the_subtree(client, tree, chaoyang_officer, haidian_officer, worker_account):
    _issue(client, chaoyang_officer, worker_account.worker)
    response = client.get(reverse("admin:membership_passwordresetcode_changelist"))
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 1
    client.force_login(haidian_officer)
    response = client.get(reverse("admin:membership_passwordresetcode_changelist"))
    assert len(response.context["cl"].result_list) == 0


def test_a_worker_with_an_e_mail_address_resets_by_e_mail(client, tree, worker_account):
    worker_account.email = "xiuying@example.org"
    worker_account.save(update_fields=["email"])
    response = client.post(reverse("portal:password_reset"), {"email": "xiuying@example.org"},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 302 and response["Location"] == reverse("portal:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["xiuying@example.org"]
    link = re.search(r"https?://[^/]+(/password/reset/[^\s]+/)", mail.outbox[0].body).group(1)
    assert "w2026001" in mail.outbox[0].body
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"] is True
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "Xin-mima-2026!", "new_password2": "Xin-mima-2026!"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:password_reset_complete")
    worker_account.refresh_from_db()
    assert worker_account.check_password("Xin-mima-2026!")
    # The site's look, not the admin's.
    assert 'portal/site.css' in client.get(reverse("portal:password_reset")).content.decode()


def test_an_unknown_e_mail_address_gets_the_same_answer_and_no_mail(client, tree, worker_account):
    response = client.post(reverse("portal:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:password_reset_done")
    assert mail.outbox == []
