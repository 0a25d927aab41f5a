"""EDU-5 (三(一)2): an enterprise's self-developed job-training course goes to the review committee;
reviewers score it against the committee's criteria; the committee approves it into the menu or
returns it with a reason the enterprise sees."""
from __future__ import annotations

from decimal import Decimal

import pgtrigger
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from membership import scoping

from .models import (
    APPROVED_VALUES_GUARD,
    Course,
    CourseModule,
    CourseReview,
    CourseRevision,
    ReviewCriterion,
    ReviewScore,
)
from .roles import REVIEWER_GROUP

# EDU-5: what the committee reviewed, which an approved course changes only through a revision.
REVIEWED_FIELDS = ("hours", "credits", "description")
# The rest of a course (title, category, target groups, provider …) its unit keeps up to date.
EDITABLE_FIELDS = ("code", "title", "category", "delivery", "provider_kind", "provider_name", "unit")


def _modules_of(course: Course) -> list[dict]:
    return [{"order": module.order, "title": module.title, "hours": str(module.hours)}
            for module in course.modules.order_by("order", "id")]


def _modules_normalised(modules) -> list[dict]:
    return [{"order": int(module["order"]), "title": str(module["title"]).strip(), "hours": str(Decimal(str(module["hours"])))}
            for module in sorted(modules, key=lambda module: (int(module["order"]), str(module["title"])))]


def _modules_replace(course: Course, modules: list[dict]) -> None:
    course.modules.all().delete()
    CourseModule.objects.bulk_create([CourseModule(course=course, order=module["order"], title=module["title"],
                                                   hours=Decimal(module["hours"])) for module in modules])


def course_pending_revision(course: Course) -> CourseRevision | None:
    return course.revisions.filter(status=CourseRevision.Status.SUBMITTED).first()


def course_update(*, course: Course, by, fields: dict | None = None, modules: list[dict] | None = None
                  ) -> tuple[Course, CourseRevision | None]:
    """The one write of a course's catalogue values, for every path (admin, shell, any later
    upload). ``fields`` holds the values to change, ``modules`` the whole new list of modules
    (dicts of order, title, hours) or None to leave them.

    EDU-5: on an approved course, a change of hours, credits, content (description) or modules
    is not applied: it becomes a CourseRevision that goes back to the review committee, and the
    approved version stays in the menu with its credits until the committee approves it. Other
    fields apply at once. Returns the course and the revision (None when none was made)."""
    fields = dict(fields or {})
    unknown = set(fields) - set(REVIEWED_FIELDS) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"course_update does not change {sorted(unknown)}")
    if by is not None and not scoping.changeable_by(Course.objects.filter(pk=course.pk), by).exists():
        raise PermissionDenied
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        reviewed = {name: value for name, value in fields.items()
                    if name in REVIEWED_FIELDS and getattr(course, name) != value}
        current_modules = _modules_of(course)
        new_modules = _modules_normalised(modules) if modules is not None else None
        modules_changed = new_modules is not None and new_modules != _modules_normalised(current_modules)
        direct = {name: value for name, value in fields.items()
                  if name in EDITABLE_FIELDS and getattr(course, name) != value}
        revision = None
        if course.status == Course.Status.APPROVED and (reviewed or modules_changed):
            if course_pending_revision(course) is not None:
                raise ValidationError(_("A revision of this course is already with the review committee: wait for "
                                        "its decision before changing hours, credits, modules or content again."))
            revision = CourseRevision(
                course=course, hours=reviewed.get("hours", course.hours), credits=reviewed.get("credits", course.credits),
                description=reviewed.get("description", course.description),
                modules=new_modules if modules_changed else current_modules,
                previous_hours=course.hours, previous_credits=course.credits, previous_description=course.description,
                previous_modules=current_modules, proposed_by=by)
            revision.full_clean()
            revision.save()
        else:
            direct.update(reviewed)
            if modules_changed:
                _modules_replace(course, new_modules)
        if direct:
            for name, value in direct.items():
                setattr(course, name, value)
            course.full_clean(exclude=["target_groups"])
            course.save(update_fields=[*direct, "updated_at"])
    return course, revision


def _revision_apply(revision: CourseRevision) -> None:
    """The committee approved: the revision's values replace the approved course's, the one
    statement the database guard lets through."""
    course = Course.objects.select_for_update().get(pk=revision.course_id)
    course.hours, course.credits, course.description = revision.hours, revision.credits, revision.description
    with pgtrigger.ignore(f"courses.Course:{APPROVED_VALUES_GUARD}"):
        course.save(update_fields=["hours", "credits", "description", "updated_at"])
    if _modules_normalised(revision.modules) != _modules_normalised(_modules_of(course)):
        _modules_replace(course, _modules_normalised(revision.modules))


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
    revision = course_pending_revision(course) if course.status == Course.Status.APPROVED else None
    if course.status != Course.Status.SUBMITTED and revision is None:
        raise ValidationError(_("Reviewers are assigned to submitted courses only."))
    created = []
    with transaction.atomic():
        for reviewer in reviewers:
            if not reviewer.groups.filter(name=REVIEWER_GROUP).exists():
                raise ValidationError(_("%(name)s is not a member of the review committee.") % {"name": reviewer})
            review, is_new = CourseReview.objects.get_or_create(course=course, reviewer=reviewer, revision=revision)
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
    """The committee's decision on a submitted course, or on the revision of an approved course
    that is with it. A returned course or revision carries the reason its unit reads."""
    if not by.has_perm("courses.decide_course"):
        raise PermissionDenied
    revision = course_pending_revision(course) if course.status == Course.Status.APPROVED else None
    if course.status != Course.Status.SUBMITTED and revision is None:
        raise ValidationError(_("Only a submitted course can be approved or returned."))
    if not approve and not reason.strip():
        raise ValidationError(_("Give the reason for returning the course."))
    if approve and not course.reviews.filter(revision=revision, submitted_at__isnull=False).exists():
        raise ValidationError(_("At least one reviewer must have scored the course before it is approved."))
    if revision is not None:
        with transaction.atomic():
            locked = CourseRevision.objects.select_for_update().get(pk=revision.pk)
            if locked.status != CourseRevision.Status.SUBMITTED:
                raise ValidationError(_("Only a submitted course can be approved or returned."))
            if approve:
                _revision_apply(locked)
            locked.status = CourseRevision.Status.APPROVED if approve else CourseRevision.Status.REJECTED
            locked.rejection_reason = "" if approve else reason.strip()
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "rejection_reason", "decided_at"])
        course.refresh_from_db()
        return course
    course.status = Course.Status.APPROVED if approve else Course.Status.REJECTED
    course.rejection_reason = "" if approve else reason.strip()
    course.save(update_fields=["status", "rejection_reason", "updated_at"])
    return course


def committee_members():
    return get_user_model().objects.filter(groups__name=REVIEWER_GROUP, is_active=True).order_by("username")
