"""Review: a token's service account is an ordinary User row in the officer's subtree, so the
user admin lets a 一级 officer give it a password and staff status: the system's account then
logs in to the admin (and, by its password, to the site) as a person would."""
from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from api.services import token_create


@pytest.mark.django_db
def test_review_officer_cannot_give_a_token_service_account_a_password_or_staff_status(tree, chaoyang_officer):
    token, _key = token_create(name="朝阳企业人事系统", unit=tree["chaoyang_enterprise"], role="level2")
    account = token.user
    client = Client()
    client.force_login(chaoyang_officer)

    # The password page of the service account: a token's account is not a person's and should
    # not be reachable (404/403) — it answers the form.
    response = client.post(f"/admin/membership/user/{account.pk}/password/",
                           {"password1": "Zz-very-long-pass-9182", "password2": "Zz-very-long-pass-9182",
                            "usable_password": "true"})
    account.refresh_from_db()
    assert not account.has_usable_password(), (
        f"the officer set a password on the token's service account (answer {response.status_code})")


@pytest.mark.django_db
def test_review_token_service_account_cannot_be_made_an_admin_login(tree, chaoyang_officer):
    token, _key = token_create(name="朝阳企业人事系统", unit=tree["chaoyang_enterprise"], role="level2")
    account = token.user
    client = Client()
    client.force_login(chaoyang_officer)
    # The account is managed through its token only: the user admin neither lists nor opens it.
    assert client.get(f"/admin/membership/user/{account.pk}/change/").status_code in (403, 404)
    assert account.pk not in client.get("/admin/membership/user/").context["cl"].queryset.values_list("pk", flat=True)
    client.post(f"/admin/membership/user/{account.pk}/change/", {"username": account.username, "is_staff": "on",
                                                                  "is_active": "on", "unit": tree["chaoyang_enterprise"].pk})
    account.refresh_from_db()
    assert not account.is_staff and not account.has_usable_password()
    request = RequestFactory().post("/admin/login/")
    assert authenticate(request, username=account.username, password="Zz-very-long-pass-9182") is None
