"""Review: ApiToken.rate_per_minute is whatever the officer types (a PositiveIntegerField with no
ceiling, on the add form and editable on the change form), so a 二级 officer mints a token that
TokenRateThrottle never stops: the per-token limit is the only throttle a system meets."""
from __future__ import annotations

from django.urls import reverse

from api.models import ApiToken


def test_review_officer_cannot_mint_an_effectively_unthrottled_token(client, tree, chaoyang_enterprise_officer):
    client.force_login(chaoyang_enterprise_officer)
    client.post(reverse("admin:api_apitoken_add"), {"name": "朝阳某企业人事系统", "unit": tree["chaoyang_enterprise"].pk,
                                                   "role": "level2", "rate_per_minute": 2_000_000_000})
    rates = list(ApiToken.objects.values_list("rate_per_minute", flat=True))
    assert all(rate <= 100_000 for rate in rates), f"a token allowed {rates} requests a minute"
