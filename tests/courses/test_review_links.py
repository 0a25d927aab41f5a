"""Issue 8, "no dead ends": a reviewer's review page links nowhere the reviewer may not go."""
from __future__ import annotations

from django.urls import reverse

from courses.models import CourseReview
from courses.roles import REVIEWER_GROUP
from tests.factories import UserFactory, course_create


def test_the_reviewer_sees_the_course_without_a_link_they_cannot_follow(client, tree, municipal):
    reviewer = UserFactory(username="expert", unit=tree["root"])
    reviewer.groups.add(tree["groups"][REVIEWER_GROUP])
    course = course_create(tree["chaoyang"], status="submitted")
    review = CourseReview.objects.create(course=course, reviewer=reviewer)
    page_url = reverse("admin:courses_coursereview_change", args=[review.pk])
    course_admin = reverse("admin:courses_course_change", args=[course.pk])
    user_admin = reverse("admin:membership_user_change", args=[reviewer.pk])

    client.force_login(reviewer)
    page = client.get(page_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert course.title in html
    assert course_admin not in html and user_admin not in html
    assert client.get(course_admin).status_code in (302, 403)

    client.force_login(municipal)
    html = client.get(page_url).content.decode()
    assert course_admin in html
