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
def test_review_token_service_account_with_a_password_logs_in_to_the_admin(tree, chaoyang_officer):
    token, _key = token_create(name="朝阳企业人事系统", unit=tree["chaoyang_enterprise"], role="level2")
    account = token.user
    client = Client()
    client.force_login(chaoyang_officer)
    client.post(f"/admin/membership/user/{account.pk}/password/",
                {"password1": "Zz-very-long-pass-9182", "password2": "Zz-very-long-pass-9182",
                 "usable_password": "true"})
    page = client.get(f"/admin/membership/user/{account.pk}/change/")
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or field.disabled:
            continue
        if isinstance(value, (list, tuple)) or hasattr(value, "all"):
            data[name] = [getattr(v, "pk", v) for v in (value.all() if hasattr(value, "all") else value)]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        else:
            data[name] = value
    data.pop("password", None)
    data["is_staff"] = "on"
    data["is_active"] = "on"
    for name in ("last_login", "date_joined"):
        value = form.initial.get(name)
        if value:
            data.pop(name, None)
            data[f"{name}_0"], data[f"{name}_1"] = value.date().isoformat(), value.strftime("%H:%M:%S")
    client.post(f"/admin/membership/user/{account.pk}/change/", data)
    account.refresh_from_db()
    request = RequestFactory().post("/admin/login/")
    logged_in = authenticate(request, username=account.username, password="Zz-very-long-pass-9182")
    assert not (logged_in is not None and account.is_staff), (
        "the token's service account now logs in to the admin with a password")
