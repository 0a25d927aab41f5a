"""Issue 12: the API's documentation page renders in a real browser from the portal's own static
files (drf-spectacular-sidecar) under the portal's Content-Security-Policy, with no violation, and
shows the project's own Chinese descriptions."""
from __future__ import annotations

import pytest

from tests.browser.test_content_security_policy import _violations, watched  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_documentation_page_renders_under_the_csp(live_server, watched):  # noqa: F811
    requests = []
    watched.on("request", lambda request: requests.append(request.url))
    watched.goto(f"{live_server.url}/api/docs/")
    watched.wait_for_selector(".opblock")
    assert watched.locator(".opblock").count() >= 2
    text = watched.locator("#swagger-ui").inner_text()
    assert "首都职工素质建设工程" in text and "批量上传" in text
    assert _violations(watched) == []
    # Everything came from the portal itself: no CDN.
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requests), requests
