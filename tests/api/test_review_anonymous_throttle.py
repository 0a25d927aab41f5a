"""Review: api.throttling.TokenRateThrottle lets every anonymous request through ("refused by the
permissions before they count"), but /api/schema/ is served to anonymous callers and rebuilds the
whole OpenAPI description on each request (~0.15 s of CPU here): no limit at all applies to it."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_review_anonymous_schema_requests_are_bounded(settings):
    # The only rate knob there is; a session user would be refused at the third request.
    settings.API_SESSION_RATE_PER_MINUTE = 2
    client = APIClient()
    answers = [client.get("/api/schema/").status_code for _ in range(4)]
    assert answers[-1] in (401, 403, 429), answers
