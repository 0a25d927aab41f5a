"""The class journey in a real browser (issue 8): a worker sees the enrolment deadline, joins a
full class's waiting list and sees their place, gets a seat when staff raise the capacity; staff
record attendance per session and complete the seat; the credits appear in the ledger on 我的学习;
the PDF transcript carries a verification code that the public check page confirms."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest
from django.utils import timezone

from courses import services
from courses.models import Attendance, CreditEntry, Enrolment, TranscriptIssue
from membership import scoping
from membership.models import User
from tests.factories import UserFactory, WorkerFactory, class_create, course_create, session_create

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.fixture
def full_class(tree):
    course = course_create(tree["root"], title="焊接技术基础", min_attendance_percent=50)
    today = timezone.localdate()
    course_class = class_create(course, unit=tree["chaoyang"], capacity=1, name="焊接技术基础（朝阳第1期）",
                                starts_on=today - dt.timedelta(days=2), ends_on=today + dt.timedelta(days=10),
                                enrol_by=today + dt.timedelta(days=3))
    sessions = [session_create(course_class, 0, "09:00", "12:00", topic="焊接安全"),
                session_create(course_class, 1, "14:00", "17:00", topic="焊条电弧焊")]
    services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"], name="先到者"), course_class=course_class)
    return course_class, sessions


def _log_in_admin(page, url, username, password):
    page.goto(url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("input[type=submit]")


def test_the_class_journey(live_server, browser, page, tree, full_class, tmp_path):
    course_class, sessions = full_class
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王秀兰")
    User.objects.create_user("wangxl", password="Gongren-2026!", worker=worker, is_staff=False, first_name="王秀兰")
    officer = UserFactory(username="cy-staff", unit=tree["chaoyang"])
    officer.set_password("Zhigong-2026!")
    officer.save()
    officer.groups.add(tree["groups"][scoping.LEVEL1_GROUP])

    # The worker: the deadline, then the waiting list with their place.
    page.goto(live_server.url + f"/courses/{course_class.course.code}/")
    deadline = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    assert page.locator("#classes .enrol-by").first.inner_text() == deadline
    schedule = page.locator("#classes .schedule").first.inner_text()
    assert "09:00–12:00 焊接安全" in schedule and "14:00–17:00 焊条电弧焊" in schedule
    page.click("#classes a.button")
    page.fill("#id_username", "wangxl")
    page.fill("#id_password", "Gongren-2026!")
    with page.expect_navigation():
        page.click("form.form button.primary")
    page.click("#classes button.primary")  # 加入候补
    assert page.locator("#classes .waiting-position").inner_text() == "您在候补名单中：第 1 位"
    assert page.evaluate("document.documentElement.scrollWidth") <= 412  # the phone-width page fits
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "course_class_412.png"), full_page=True)
    page.click("text=我的学习")
    assert page.locator("#my-enrolments .waiting-position").inner_text() == "候补第 1 位"

    # Staff raise the capacity: the worker gets the seat.
    staff_context = browser.new_context(viewport={"width": 1366, "height": 900})
    staff = staff_context.new_page()
    staff.set_default_timeout(15000)
    _log_in_admin(staff, live_server.url, "cy-staff", "Zhigong-2026!")
    staff.goto(live_server.url + f"/admin/courses/courseclass/{course_class.pk}/change/")
    staff.fill("#id_capacity", "2")
    with staff.expect_navigation():
        staff.click("input[name=_save]")
    assert "王秀兰" in staff.locator(".messagelist").inner_text()
    enrolment = Enrolment.objects.get(worker=worker)
    assert enrolment.status == "enrolled"
    page.reload()
    assert "已报名" in page.locator("#my-enrolments tbody tr").first.inner_text()

    # Staff record attendance per session, then complete the seat.
    staff.goto(live_server.url + f"/admin/courses/courseclass/{course_class.pk}/attendance/")
    staff.check(f"input[name=present][value='{enrolment.pk}-{sessions[0].pk}']")
    with staff.expect_navigation():
        staff.click("#attendance-sheet input[type=submit]")
    assert list(Attendance.objects.filter(enrolment=enrolment, present=True).values_list("session_id", flat=True)) == [
        sessions[0].pk]
    staff.goto(live_server.url + f"/admin/courses/enrolment/?q={worker.name}")
    staff.check(f"input[name=_selected_action][value='{enrolment.pk}']")
    staff.select_option("select[name=action]", "mark_completed")
    with staff.expect_navigation():
        staff.click("button[name=index]")
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    staff_context.close()

    # The credits are in the ledger and its balance on 我的学习.
    entry = CreditEntry.objects.get(worker=worker)
    page.reload()
    assert page.locator("#credits-balance").inner_text() == "2.0"
    assert "焊接技术基础" in page.locator("#credit-entries").inner_text()
    assert "1/2" in page.locator("#my-enrolments .attendance").first.inner_text()
    assert entry.credits == 2

    # The PDF transcript carries a verification code that the public check page confirms.
    with page.expect_download() as download:
        page.click("a[href$='record.pdf']")
    path = tmp_path / "record.pdf"
    download.value.save_as(path)
    issue = TranscriptIssue.objects.get(worker=worker)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert issue.code in text
    else:
        assert path.read_bytes().startswith(b"%PDF")
    page.goto(live_server.url + f"/certificates/training/check/?code={issue.code}")
    assert page.locator("#transcript-valid").count() == 1
