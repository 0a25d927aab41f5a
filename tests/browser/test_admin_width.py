"""Issue 8: the worker list in the admin fits 1366 px without horizontal scrolling, and unit names
do not wrap one character per line."""
from __future__ import annotations

import os

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


def _text_height(page, cell) -> float:
    """The height of a cell's text, without its padding."""
    return page.evaluate("(el) => { const s = getComputedStyle(el); return el.getBoundingClientRect().height"
                         " - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom); }", cell.element_handle())


def test_the_worker_list_fits_a_laptop_screen(live_server, browser, tree, municipal):
    # Names as long as a long test run (or a city of millions) makes them: the list must not depend on luck.
    for number in range(5):
        WorkerFactory(unit=tree["chaoyang_enterprise"], name=f"欧阳职工{100000 + number}", post=f"高级焊接工艺技术员第{number}班组")
    client = Client()
    client.force_login(municipal)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/admin/membership/worker/")
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "admin_workers_1366.png"), full_page=True)
    assert page.locator("#result_list tbody tr").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    # The list's own box scrolls sideways when the table is wider than it (the last columns hidden).
    assert page.evaluate("(el) => el.scrollWidth <= el.clientWidth", page.locator("#changelist .results").element_handle())
    # No cell breaks one character per line (a 25-character unit name was 25 lines): a few lines at most.
    for selector in ("td.field-unit", "th.field-name", "td.field-post"):
        cell = page.locator(f"#result_list tbody tr {selector}").first
        line_height = page.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight) || 18", cell.element_handle())
        assert _text_height(page, cell) <= 5 * line_height, selector
    context.close()


def test_unit_names_in_the_unit_list_do_not_stand_one_character_per_line(live_server, browser, tree, municipal):
    client = Client()
    client.force_login(municipal)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/admin/membership/unit/")
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "admin_units_1366.png"), full_page=True)
    for cell in page.locator("#result_list tbody th.field-name").all():
        line_height = page.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight) || 18", cell.element_handle())
        assert _text_height(page, cell) <= 5 * line_height, cell.inner_text()
    context.close()
