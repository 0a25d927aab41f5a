"""What the committee does in a browser: a reviewer scores a submitted course in the admin, the
committee approves it, and it appears in the public course menu."""
from __future__ import annotations

import pytest

from courses.models import Course, CourseReview, ReviewCriterion
from courses.roles import REVIEWER_GROUP
from tests.factories import UserFactory, course_create

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-123456")
    with page.expect_navigation():
        page.click("#login-form input[type=submit]")


def test_reviewer_scores_and_committee_approves_into_the_menu(live_server, page, tree, municipal):
    reviewer = UserFactory(username="expert", unit=tree["root"])
    reviewer.groups.add(tree["groups"][REVIEWER_GROUP])
    course = course_create(tree["chaoyang_enterprise"], title="智能制造产线运维实务", status="submitted")
    CourseReview.objects.create(course=course, reviewer=reviewer)

    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, live_server, "expert")
    page.goto(live_server.url + "/admin/courses/coursereview/")
    page.click("text=评分")
    assert "智能制造产线运维实务" in page.locator("#content-main h2").first.inner_text()
    for criterion in ReviewCriterion.objects.all():
        page.fill(f"#id_c{criterion.pk}", str(criterion.max_score - 2))
    page.fill("#id_comment", "内容贴近岗位，建议通过")
    with page.expect_navigation():
        page.click("#score-form input[type=submit]")
    assert "已保存" in page.locator(".messagelist").inner_text()

    page.context.clear_cookies()
    municipal.set_password("pw-123456")
    municipal.save()
    _log_in(page, live_server, "city")
    page.goto(live_server.url + "/admin/courses/course/?status__exact=submitted")
    page.check(f"input[name=_selected_action][value='{course.pk}']")
    page.select_option("select[name=action]", "approve_courses")
    with page.expect_navigation():
        page.click("button[name=index]")
    course.refresh_from_db()
    assert course.status == Course.Status.APPROVED

    page.goto(live_server.url + "/?q=产线运维")
    assert page.locator("#course-list .card h2").all_inner_texts() == ["智能制造产线运维实务"]
