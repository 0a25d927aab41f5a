"""Issue 12: tokens are made in the admin by staff of the unit's subtree, with a role no higher than
their own; the key is shown once and stored hashed; a revoked token is refused."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from api.models import ApiToken
from api.services import hash_key, token_create
from tests.api.conftest import auth
from tests.factories import api_token_create

ADD = "admin:api_apitoken_add"


def _add(client, unit, role, name="朝阳某企业人事系统"):
    return client.post(reverse(ADD), {"name": name, "unit": unit.pk, "role": role, "rate_per_minute": 600})


def test_officer_makes_a_token_and_sees_its_key_once(client, tree, chaoyang_officer):
    client.force_login(chaoyang_officer)
    response = _add(client, tree["chaoyang_enterprise"], "level2")
    assert response.status_code == 200
    key = response.context["key"]
    assert key.startswith("cwq_") and key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert (token.unit, token.role, token.created_by) == (tree["chaoyang_enterprise"], "level2", chaoyang_officer)
    # Stored hashed: nothing in the row is the key, the hash is its SHA-256.
    assert token.key_hash == hash_key(key) and key not in {token.key_hash, token.prefix}
    assert key.startswith(token.prefix)
    # Never again: the token's page and the list show the prefix only.
    for url in (reverse("admin:api_apitoken_change", args=[token.pk]), reverse("admin:api_apitoken_changelist")):
        page = client.get(url).content.decode()
        assert token.prefix in page and key not in page
    # The key works at once, as a service account of that unit and role.
    answer = client.get("/api/v1/units/", **auth(key))
    assert answer.status_code == 200
    assert [unit["code"] for unit in answer.json()["results"]] == [tree["chaoyang_enterprise"].code]


def test_a_unit_outside_the_officers_subtree_is_refused(client, tree, chaoyang_officer):
    client.force_login(chaoyang_officer)
    response = _add(client, tree["haidian_enterprise"], "level2")
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert not ApiToken.objects.exists()


def test_a_level2_officer_cannot_mint_a_municipal_or_district_token(client, tree, chaoyang_enterprise_officer):
    client.force_login(chaoyang_enterprise_officer)
    for role in ("municipal", "level1"):
        response = _add(client, tree["chaoyang_enterprise"], role)
        assert response.status_code == 200
        assert "role" in response.context["adminform"].form.errors, role
    assert not ApiToken.objects.exists()
    # Their own role for their own unit is fine.
    assert _add(client, tree["chaoyang_enterprise"], "level2").status_code == 200
    assert ApiToken.objects.get().role == "level2"


def test_the_service_refuses_escalation_too(tree, chaoyang_enterprise_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        token_create(name="x", unit=tree["chaoyang_enterprise"], role="municipal", by=chaoyang_enterprise_officer)
    assert "role" in error.value.message_dict
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused_with_the_chinese_message(client, tree, chaoyang_officer):
    token, key = api_token_create(tree["chaoyang_enterprise"])
    assert client.get("/api/v1/units/", **auth(key)).status_code == 200
    client.force_login(chaoyang_officer)
    revoke = reverse("admin:api_apitoken_revoke", args=[token.pk])
    confirmation = client.get(revoke)
    assert confirmation.status_code == 200 and str(token) in confirmation.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # asking is not revoking
    assert client.post(revoke).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    response = client.get("/api/v1/units/", **auth(key))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    with translation.override("zh-hans"):
        expected = translation.gettext("The token is not valid or has been revoked.")
    assert expected != "The token is not valid or has been revoked."  # the catalogue has the Chinese
    assert response.json() == {"detail": expected, "errors": []}


def test_revoke_action_asks_then_revokes_only_own_subtree_tokens(client, tree, chaoyang_officer):
    own, _ = api_token_create(tree["chaoyang_enterprise"])
    other, _ = api_token_create(tree["haidian_enterprise"])
    client.force_login(chaoyang_officer)
    url = reverse("admin:api_apitoken_changelist")
    data = {"action": "revoke_tokens", "_selected_action": [own.pk, other.pk]}
    page = client.post(url, data)
    assert page.status_code == 200
    assert page.template_name == "admin/api/apitoken/revoke_confirmation.html"
    # Only the user's own token is offered for revoking.
    assert [token.pk for token in page.context["tokens"]] == [own.pk]
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
    client.post(url, {**data, "post": "yes"})
    own.refresh_from_db(), other.refresh_from_db()
    assert own.revoked_at is not None
    assert other.revoked_at is None


def test_revoke_button_of_another_districts_token_is_404(client, tree, chaoyang_officer):
    other, key = api_token_create(tree["haidian_enterprise"])
    client.force_login(chaoyang_officer)
    assert client.post(reverse("admin:api_apitoken_revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_last_used_is_updated_at_most_once_a_minute(client, tree):
    token, key = api_token_create(tree["chaoyang_enterprise"])
    assert token.last_used_at is None
    client.get("/api/v1/units/", **auth(key))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < dt.timedelta(seconds=30)
    client.get("/api/v1/units/", **auth(key))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=5))
    client.get("/api/v1/units/", **auth(key))
    token.refresh_from_db()
    assert token.last_used_at > first - dt.timedelta(minutes=5)


def test_an_unknown_key_is_401(client, tree):
    response = client.get("/api/v1/units/", **auth("cwq_not-a-key"))
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_the_add_form_offers_only_the_roles_the_officer_may_hand_out(client, tree, chaoyang_officer,
                                                                      chaoyang_enterprise_officer):
    # A 朝阳 officer was offered 市总工会工作人员 first, as the default, and refused on saving.
    from membership import roles

    client.force_login(chaoyang_officer)
    form = client.get(reverse(ADD)).context["adminform"].form
    offered = [key for key, _name in form.fields["role"].choices]
    assert "municipal" not in offered and {"level1", "level2"} <= set(offered)
    assert form.fields["role"].initial == "level1"
    client.force_login(chaoyang_enterprise_officer)
    form = client.get(reverse(ADD)).context["adminform"].form
    assert [key for key, _name in form.fields["role"].choices if key in roles.GROUPS] == ["level2"]
    assert form.fields["role"].initial == "level2"


def test_the_list_filters_roles_by_their_chinese_names(client, tree, chaoyang_officer):
    from membership import roles

    api_token_create(tree["chaoyang_enterprise"], role="level2")
    client.force_login(chaoyang_officer)
    with translation.override("zh-hans"):
        page = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
        # The filter's links name the roles in Chinese, never by their keys.
        assert f'?role=level2">{roles.GROUPS["level2"]}</a>' in page and ">level2</a>" not in page
        assert client.get(reverse("admin:api_apitoken_changelist"), {"role": "level2"}).context["cl"].result_count == 1
        assert client.get(reverse("admin:api_apitoken_changelist"), {"role": "level1"}).context["cl"].result_count == 0


def test_refreshing_the_key_page_makes_no_second_token(client, tree, chaoyang_officer):
    # The key page answers the POST: a refresh sends the same form (its one-time mark) again.
    client.force_login(chaoyang_officer)
    once = client.get(reverse(ADD)).context["adminform"].form.fields["once"].initial
    data = {"name": "朝阳某企业人事系统", "unit": tree["chaoyang_enterprise"].pk, "role": "level2",
            "rate_per_minute": 600, "once": once}
    assert "key" in client.post(reverse(ADD), data).context
    again = client.post(reverse(ADD), data)
    assert again.status_code == 200 and "key" not in again.context
    with translation.override("zh-hans"):
        assert "已经提交过" in str(client.post(reverse(ADD), data).context["adminform"].form.non_field_errors())
    assert ApiToken.objects.count() == 1
    # A new add page is a new form.
    data["once"] = client.get(reverse(ADD)).context["adminform"].form.fields["once"].initial
    assert "key" in client.post(reverse(ADD), data).context
    assert ApiToken.objects.count() == 2
