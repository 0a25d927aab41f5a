"""Issue 8, phone width: at 390 px 我的学习 keeps the cancel button, the dates, the credits and the
certificate number of each class (a card per row below 600 px)."""
from __future__ import annotations

import os

import pytest

from courses.models import Certificate
from courses.services import enrolment_complete, enrolment_create
from membership.models import User
from tests.factories import WorkerFactory, class_create, course_create

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


def test_my_learning_keeps_every_column_on_a_phone(live_server, browser, tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王秀兰")
    User.objects.create_user("wangxl", password="Gongren-2026!", worker=worker, is_staff=False)
    done = enrolment_create(worker=worker, course_class=class_create(course_create(tree["root"], title="焊接技术基础")))
    enrolment_complete(enrolment=done, passed=True)
    certificate, _created = Certificate.objects.get_or_create(enrolment=done, defaults={"issued_on": done.course_class.ends_on})
    booked = enrolment_create(worker=worker, course_class=class_create(course_create(tree["root"], title="职场沟通")))

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "wangxl")
    page.fill("#id_password", "Gongren-2026!")
    with page.expect_navigation():
        page.click("form.form button.primary")
    page.goto(live_server.url + "/me/")
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "my_learning_390.png"), full_page=True)
    rows = page.locator("#my-enrolments tbody tr")
    texts = {row.inner_text() for row in rows.all()}
    booked_row = next(text for text in texts if "职场沟通" in text)
    done_row = next(text for text in texts if "焊接技术基础" in text)
    assert booked.course_class.starts_on.isoformat() in booked_row
    assert certificate.code in done_row and str(done.course_class.course.credits) in done_row
    cancel = page.locator("#my-enrolments button.secondary")
    assert cancel.count() == 1 and cancel.is_visible()
    box = cancel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
