"""EDU-5: submit → assign (reviewers told by e-mail) → score → approve into the menu, or return
with a reason the enterprise reads."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from courses import review
from courses.models import Course, ReviewCriterion
from courses.roles import REVIEWER_GROUP
from membership import scoping
from tests.factories import UserFactory, course_create


@pytest.fixture
def reviewer(tree):
    user = UserFactory(username="expert", unit=tree["root"], email="expert@example.org")
    user.groups.add(tree["groups"][REVIEWER_GROUP])
    return user


@pytest.fixture
def enterprise_officer(tree):
    user = UserFactory(username="ent", unit=tree["chaoyang_enterprise"])
    user.groups.add(tree["groups"][scoping.LEVEL2_GROUP])
    return user


def _scores(value):
    return {criterion.pk: Decimal(value) for criterion in ReviewCriterion.objects.all()}


def test_the_whole_review_path_ends_in_the_menu(client, tree, reviewer, municipal, enterprise_officer,
                                                 django_capture_on_commit_callbacks):
    from courses.tasks import review_assigned_notify_task

    course = course_create(tree["chaoyang_enterprise"], title="智能制造产线运维", status="draft")
    review.course_submit(course=course, by=enterprise_officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (assigned,) = review.course_reviewers_assign(course=course, reviewers=[reviewer], by=municipal)
    assert len(callbacks) == 1  # the notification is queued only once the assignment is committed
    review_assigned_notify_task(assigned.pk)  # what the Celery worker runs
    assert [message.to for message in mail.outbox] == [["expert@example.org"]]
    assert "智能制造产线运维" in mail.outbox[0].subject
    assert reverse("admin:courses_coursereview_score", args=[assigned.pk]) in mail.outbox[0].body
    assert client.get(reverse("courses:menu")).context["page"].paginator.count == 0

    client.force_login(reviewer)
    form = {f"c{pk}": "9" for pk in ReviewCriterion.objects.values_list("pk", flat=True)}
    response = client.post(reverse("admin:courses_coursereview_score", args=[assigned.pk]), {**form, "comment": "实用"})
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.total == Decimal(9 * ReviewCriterion.objects.count())

    client.force_login(municipal)
    client.post(reverse("admin:courses_course_changelist"), {"action": "approve_courses", "_selected_action": [course.pk]})
    course.refresh_from_db()
    assert course.status == Course.Status.APPROVED
    client.logout()
    assert [c.title for c in client.get(reverse("courses:menu")).context["page"]] == ["智能制造产线运维"]


def test_returning_a_course_needs_a_reason_the_unit_then_reads(client, tree, municipal, enterprise_officer):
    course = course_create(tree["chaoyang_enterprise"], status="submitted")
    with pytest.raises(ValidationError):
        review.course_decide(course=course, approve=False, reason=" ", by=municipal)
    client.force_login(municipal)
    client.post(reverse("admin:courses_course_changelist"), {
        "action": "reject_courses", "_selected_action": [course.pk], "apply": "1", "reason": "考核方式不明确"})
    course.refresh_from_db()
    assert (course.status, course.rejection_reason) == (Course.Status.REJECTED, "考核方式不明确")
    client.force_login(enterprise_officer)
    page = client.get(reverse("admin:courses_course_change", args=[course.pk])).content.decode()
    assert "考核方式不明确" in page
    review.course_submit(course=course, by=enterprise_officer)  # fixed and sent again
    course.refresh_from_db()
    assert course.status == Course.Status.SUBMITTED and course.rejection_reason == ""


def test_approval_needs_a_scored_review_and_the_permission(tree, reviewer, municipal, chaoyang_officer):
    course = course_create(tree["chaoyang_enterprise"], status="submitted")
    with pytest.raises(PermissionDenied):
        review.course_decide(course=course, approve=True, by=chaoyang_officer)
    with pytest.raises(ValidationError):
        review.course_decide(course=course, approve=True, by=municipal)
    (assigned,) = review.course_reviewers_assign(course=course, reviewers=[reviewer], by=municipal)
    review.course_review_submit(review=assigned, scores=_scores(5), comment="", by=reviewer)
    assert review.course_decide(course=course, approve=True, by=municipal).status == Course.Status.APPROVED


def test_scores_stay_within_each_criterion_and_only_the_assigned_reviewer_scores(tree, reviewer, municipal):
    course = course_create(tree["chaoyang_enterprise"], status="submitted")
    (assigned,) = review.course_reviewers_assign(course=course, reviewers=[reviewer], by=municipal)
    with pytest.raises(ValidationError):
        review.course_review_submit(review=assigned, scores=_scores(99), comment="", by=reviewer)
    with pytest.raises(PermissionDenied):
        review.course_review_submit(review=assigned, scores=_scores(5), comment="", by=municipal)


def test_only_committee_members_can_be_assigned(tree, municipal, chaoyang_officer):
    course = course_create(tree["chaoyang_enterprise"], status="submitted")
    with pytest.raises(ValidationError):
        review.course_reviewers_assign(course=course, reviewers=[chaoyang_officer], by=municipal)


def test_other_district_cannot_submit_a_course(tree, haidian_officer):
    course = course_create(tree["chaoyang_enterprise"], status="draft")
    with pytest.raises(PermissionDenied):
        review.course_submit(course=course, by=haidian_officer)
