"""EDU-5 (三(一)2): an enterprise's self-developed job-training course goes to the review committee;
reviewers score it against the committee's criteria; the committee approves it into the menu or
returns it with a reason the enterprise sees."""
from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from membership import scoping

from .models import Course, CourseReview, ReviewCriterion, ReviewScore
from .roles import REVIEWER_GROUP


def course_submit(*, course: Course, by) -> Course:
    if not scoping.unit_in_scope(by, course.unit):
        raise PermissionDenied
    updated = Course.objects.filter(pk=course.pk, status__in=[Course.Status.DRAFT, Course.Status.REJECTED]).update(
        status=Course.Status.SUBMITTED, rejection_reason="")
    if not updated:
        raise ValidationError(_("Only a draft or a returned course can be submitted for review."))
    course.refresh_from_db()
    return course


def course_reviewers_assign(*, course: Course, reviewers, by) -> list[CourseReview]:
    """Assign committee members; each is told by e-mail once the assignment is saved."""
    if not by.has_perm("courses.assign_reviewers"):
        raise PermissionDenied
    if course.status != Course.Status.SUBMITTED:
        raise ValidationError(_("Reviewers are assigned to submitted courses only."))
    created = []
    with transaction.atomic():
        for reviewer in reviewers:
            if not reviewer.groups.filter(name=REVIEWER_GROUP).exists():
                raise ValidationError(_("%(name)s is not a member of the review committee.") % {"name": reviewer})
            review, is_new = CourseReview.objects.get_or_create(course=course, reviewer=reviewer)
            if is_new:
                created.append(review)
        from .tasks import review_assigned_notify_task

        for review in created:
            transaction.on_commit(lambda pk=review.pk: review_assigned_notify_task.delay(pk))
    return created


def course_review_submit(*, review: CourseReview, scores: dict[int, Decimal], comment: str, by) -> CourseReview:
    if review.reviewer_id != by.pk:
        raise PermissionDenied
    criteria = {criterion.pk: criterion for criterion in ReviewCriterion.objects.all()}
    if set(scores) != set(criteria):
        raise ValidationError(_("Score every criterion."))
    for pk, score in scores.items():
        if not 0 <= score <= criteria[pk].max_score:
            raise ValidationError(_("A score for %(name)s lies between 0 and %(max)d.")
                                  % {"name": criteria[pk].name, "max": criteria[pk].max_score})
    with transaction.atomic():
        for pk, score in scores.items():
            ReviewScore.objects.update_or_create(review=review, criterion_id=pk, defaults={"score": score})
        review.total = sum(scores.values(), Decimal(0))
        review.comment = comment
        review.submitted_at = timezone.now()
        review.save(update_fields=["total", "comment", "submitted_at"])
    return review


def course_decide(*, course: Course, approve: bool, reason: str = "", by) -> Course:
    """The committee's decision. A returned course carries the reason its unit reads."""
    if not by.has_perm("courses.decide_course"):
        raise PermissionDenied
    if course.status != Course.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted course can be approved or returned."))
    if not approve and not reason.strip():
        raise ValidationError(_("Give the reason for returning the course."))
    if approve and not course.reviews.filter(submitted_at__isnull=False).exists():
        raise ValidationError(_("At least one reviewer must have scored the course before it is approved."))
    course.status = Course.Status.APPROVED if approve else Course.Status.REJECTED
    course.rejection_reason = "" if approve else reason.strip()
    course.save(update_fields=["status", "rejection_reason", "updated_at"])
    return course


def committee_members():
    return get_user_model().objects.filter(groups__name=REVIEWER_GROUP, is_active=True).order_by("username")
