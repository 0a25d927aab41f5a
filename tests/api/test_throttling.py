"""Issue 12: each token has its own rate limit; over it, 429 with Retry-After and the error shape."""
from __future__ import annotations

from api.models import ApiToken
from tests.api.conftest import auth
from tests.factories import api_token_create


def test_a_token_over_its_rate_is_answered_429_with_retry_after(client, tree):
    token, key = api_token_create(tree["chaoyang_enterprise"])
    ApiToken.objects.filter(pk=token.pk).update(rate_per_minute=3)
    other, other_key = api_token_create(tree["chaoyang_enterprise"])
    answers = [client.get("/api/v1/units/", **auth(key)).status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    refused = client.get("/api/v1/units/", **auth(key))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert set(body) == {"detail", "errors"} and body["detail"] and body["errors"] == []
    # Another token of the same unit has its own allowance.
    assert client.get("/api/v1/units/", **auth(other_key)).status_code == 200


def test_session_users_get_the_generous_default(client, tree, chaoyang_officer, settings):
    settings.API_SESSION_RATE_PER_MINUTE = 2
    client.force_login(chaoyang_officer)
    assert [client.get("/api/v1/units/").status_code for _ in range(2)] == [200, 200]
    assert client.get("/api/v1/units/").status_code == 429


def test_the_default_session_rate_is_generous():
    from api.throttling import session_rate_per_minute

    assert session_rate_per_minute() >= 600
