"""What a worker does, in a real browser against the live server: search 焊接, filter by category,
open the course, enrol, and find it with its credits on 我的学习."""
from __future__ import annotations

import pytest

from courses.models import Enrolment, TargetGroup
from courses.services import enrolment_complete
from membership.models import User
from tests.factories import WorkerFactory, class_create, course_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(tree):
    welding = course_create(tree["root"], title="焊接技术基础", description="焊条电弧焊与气体保护焊")
    welding.target_groups.set(TargetGroup.objects.filter(code="frontline"))
    welding.modules.create(order=1, title="焊接安全")
    class_create(welding, capacity=20)
    course_create(tree["root"], title="焊接与文化：书法里的金属", category="culture")
    course_create(tree["root"], title="职场沟通", category="general")
    return welding


def test_worker_finds_enrols_and_sees_the_course_on_my_learning(live_server, page, tree, catalogue):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王秀兰")
    User.objects.create_user("wangxl", password="Gongren-2026!", worker=worker, is_staff=False, first_name="王秀兰")

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"  # Chinese whatever the browser's locale
    page.fill("input[name=q]", "焊接")
    page.click("form.filters .search button")
    assert page.locator("#course-list .card h2").count() == 2
    page.select_option("select[name=category]", "job")
    page.click("form.filters > button.primary")
    titles = page.locator("#course-list .card h2").all_inner_texts()
    assert titles == ["焊接技术基础"]

    page.click("text=焊接技术基础")
    assert page.locator("h1").inner_text() == "焊接技术基础"
    assert "焊接安全" in page.content()
    page.click("#classes a.button")  # not logged in: log in first, then back to the course
    page.fill("#id_username", "wangxl")
    page.fill("#id_password", "Gongren-2026!")
    with page.expect_navigation():
        page.click("form.form button.primary")
    assert page.url.endswith(f"/courses/{catalogue.code}/")
    page.click("#classes button.primary")
    assert "您已报名" in page.locator(".messages").inner_text()
    assert Enrolment.objects.get(worker=worker).status == "enrolled"

    page.click("text=我的学习")
    row = page.locator("#my-enrolments tbody tr").first
    assert "焊接技术基础" in row.inner_text() and "已报名" in row.inner_text()
    enrolment_complete(enrolment=Enrolment.objects.get(worker=worker), passed=True)
    page.reload()
    assert page.locator("#credits-total").inner_text() == "2.0"
