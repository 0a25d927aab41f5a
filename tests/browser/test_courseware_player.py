"""EDU-4 (issue 8), in a real browser: the courseware page's script records the e-book pages a
worker opens (no field to type progress into), and the server counts them by its reading rule."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import CoursewareProgress
from membership.models import Unit, User
from tests.factories import WorkerFactory, course_create, courseware_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_opening_each_page_of_an_e_book_records_the_progress(live_server, page, tree):
    Unit.objects.filter(pk=tree["chaoyang_enterprise"].pk).update(membership_status="active")
    worker = WorkerFactory(unit=Unit.objects.get(pk=tree["chaoyang_enterprise"].pk), name="王秀兰")
    User.objects.create_user("wangxl", password="Gongren-2026!", worker=worker, is_staff=False)
    book = courseware_create(course_create(tree["root"], title="焊接技术基础"), title="焊接读本", kind="ebook")
    book.length = 2
    book.save(update_fields=["length"])

    page.goto(f"{live_server.url}/courseware/{book.pk}/")
    page.fill("#id_username", "wangxl")
    page.fill("#id_password", "Gongren-2026!")
    with page.expect_navigation():
        page.click("form.form button.primary")
    assert page.locator("#courseware-player input").count() == 0  # nothing to type progress into
    assert page.locator("#progress-percent").inner_text() == "0"

    with page.expect_response(lambda response: response.url.endswith("/progress")) as reported, \
            page.context.expect_page():
        page.click("#book-open")
    assert reported.value.status == 200
    page.wait_for_function("document.getElementById('progress-percent').textContent === '50'")
    assert CoursewareProgress.objects.get().pages_opened == [1]

    # The reading rule: the next page counts once a few seconds have passed since the last one.
    CoursewareProgress.objects.update(reported_at=timezone.now() - dt.timedelta(seconds=10))
    page.click("#book-next")
    assert page.locator("#book-open").get_attribute("href").endswith("#page=2")
    with page.expect_response(lambda response: response.url.endswith("/progress")):
        page.click("#book-open")  # into the book's tab, opened by the first page
    page.wait_for_function("document.getElementById('progress-percent').textContent === '100'")
    progress = CoursewareProgress.objects.get()
    assert (progress.pages_opened, progress.percent, progress.completed_on) == ([1, 2], 100, timezone.localdate())
