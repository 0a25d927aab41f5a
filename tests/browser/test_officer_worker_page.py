"""Issue 8: the officer's worker page in Chromium, at a laptop's 1366 px and at a phone's width —
the worker's whole record is there (enrolments, training, credits with the balance, certificates,
reveals), the page does not scroll sideways, and a wide record table scrolls inside its section."""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.test import Client

from courses import services as course_services
from courses.models import CreditAccount
from membership.models import IdNumberReveal
from tests.factories import UserFactory, WorkerFactory, class_create, course_create

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.fixture
def worker_with_record(tree):
    unit = tree["chaoyang_enterprise"]
    worker = WorkerFactory(unit=unit, name="欧阳秀英")
    for number in range(3):
        klass = class_create(course_create(unit, title=f"高级焊接工艺与安全生产规范第{number}讲"))
        enrolment = course_services.enrolment_create(worker=worker, course_class=klass)
        course_services.enrolment_complete(enrolment=enrolment, passed=True, on=dt.date(2026, 3, number + 1))
    course_services.training_record_create(worker=worker, project="数控车床操作技能提升培训班（第二期）", kind="skills",
                                           hours=Decimal(16), completed_on=dt.date(2026, 4, 1),
                                           institution="北京市职工技能培训中心")
    IdNumberReveal.objects.create(worker=worker, user=UserFactory(username="reveal-officer", unit=unit))
    return worker


def _open(browser, live_server, officer, worker, width: int, height: int):
    client = Client()
    client.force_login(officer)
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/admin/membership/worker/{worker.pk}/change/")
    return context, page


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_the_officer_sees_the_whole_record_without_sideways_scrolling(live_server, browser, tree, chaoyang_officer,
                                                                      worker_with_record, width, height):
    context, page = _open(browser, live_server, chaoyang_officer, worker_with_record, width, height)
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"admin_worker_record_{width}.png"), full_page=True)
    for key in ("enrolments", "training_records", "credits", "certificates", "reveals"):
        assert page.locator(f"#record-{key}").is_visible(), key
    assert page.locator("#record-enrolments tbody tr").count() == 3
    assert page.locator("#record-training_records tbody tr").count() == 1
    assert page.locator("#record-certificates tbody tr").count() == 3
    assert page.locator("#record-reveals tbody tr").count() == 1
    balance = CreditAccount.objects.get(worker=worker_with_record).balance
    assert page.locator("#record-credits .credit-balance").inner_text() == str(balance)
    assert page.locator("#record-credits .credit-amount").count() == 4
    # The page itself never scrolls sideways; a wide table scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for box in page.locator("#worker-record .record-table").all():
        assert page.evaluate("(el) => el.getBoundingClientRect().right <= window.innerWidth + 1", box.element_handle())
    context.close()


def test_an_officer_of_another_district_does_not_see_the_page(live_server, browser, tree, haidian_officer,
                                                               worker_with_record):
    context, page = _open(browser, live_server, haidian_officer, worker_with_record, 1366, 768)
    assert "欧阳秀英" not in page.content()
    assert page.locator("#worker-record").count() == 0
    context.close()
