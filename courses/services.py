"""Writes for the education system. Enrolment holds capacity under concurrency with a row lock on
the class: two workers taking the last seat at once get one seat and one waiting-list place."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Activity, ActivityRegistration, Certificate, Course, CourseClass, CoursewareProgress, Enrolment


def enrolment_create(*, worker, course_class: CourseClass, by=None) -> Enrolment:
    """EDU-3: a seat if one is free, otherwise a place on the waiting list."""
    with transaction.atomic():
        locked = CourseClass.objects.select_for_update().select_related("course").get(pk=course_class.pk)
        if not locked.is_open or locked.course.status != Course.Status.APPROVED:
            raise ValidationError(_("This class is not open for enrolment."))
        if locked.ends_on < timezone.localdate():
            raise ValidationError(_("This class has already ended."))
        if Enrolment.objects.filter(course_class=locked, worker=worker, status__in=Enrolment.ACTIVE).exists():
            raise ValidationError(_("You are already enrolled in this class or on its waiting list."))
        has_seat = locked.enrolled_count < locked.capacity
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    course_class=locked, worker=worker, unit_id=worker.unit_id, enrolled_by=by,
                    status=Enrolment.Status.ENROLLED if has_seat else Enrolment.Status.WAITLISTED,
                )
        except IntegrityError:
            raise ValidationError(_("You are already enrolled in this class or on its waiting list.")) from None
        if has_seat:
            CourseClass.objects.filter(pk=locked.pk).update(enrolled_count=F("enrolled_count") + 1)
    return enrolment


def enrolment_cancel(*, enrolment: Enrolment) -> Enrolment | None:
    """Cancel a seat or a waiting-list place. A freed seat goes to the first on the waiting list;
    that enrolment is returned."""
    with transaction.atomic():
        locked_class = CourseClass.objects.select_for_update().get(pk=enrolment.course_class_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status not in Enrolment.ACTIVE:
            raise ValidationError(_("This enrolment is no longer active."))
        had_seat = enrolment.status == Enrolment.Status.ENROLLED
        enrolment.status = Enrolment.Status.CANCELLED
        enrolment.save(update_fields=["status"])
        if not had_seat:
            return None
        promoted = (Enrolment.objects.select_for_update()
                    .filter(course_class=locked_class, status=Enrolment.Status.WAITLISTED)
                    .order_by("created_at", "id").first())
        if promoted is None:
            CourseClass.objects.filter(pk=locked_class.pk).update(enrolled_count=F("enrolled_count") - 1)
            return None
        promoted.status = Enrolment.Status.ENROLLED
        promoted.save(update_fields=["status"])
        return promoted


def enrolment_group_create(*, workers, course_class: CourseClass, by) -> tuple[list[Enrolment], list[tuple]]:
    """EDU-1: unit staff enrol chosen workers of their subtree; each gets a seat or a waiting-list
    place in the order given. Returns (enrolments, [(worker, reason)] for those refused)."""
    created, refused = [], []
    for worker in workers:
        try:
            created.append(enrolment_create(worker=worker, course_class=course_class, by=by))
        except ValidationError as error:
            refused.append((worker, "；".join(error.messages)))
    return created, refused


def activity_register(*, worker, activity) -> ActivityRegistration:
    """EDU-6/7: register for an activity; capacity holds under a row lock on the activity."""
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if not locked.registration_open or locked.ends_on < timezone.localdate():
            raise ValidationError(_("Registration for this activity is closed."))
        existing = ActivityRegistration.objects.select_for_update().filter(activity=locked, worker=worker).first()
        if existing is not None and existing.status != ActivityRegistration.Status.CANCELLED:
            raise ValidationError(_("You have already registered for this activity."))
        taken = ActivityRegistration.objects.filter(activity=locked).exclude(
            status=ActivityRegistration.Status.CANCELLED).count()
        if locked.capacity is not None and taken >= locked.capacity:
            raise ValidationError(_("This activity is full."))
        if existing is not None:
            # Registering again is a new fact of the worker's present unit.
            existing.status, existing.unit_id = ActivityRegistration.Status.REGISTERED, worker.unit_id
            existing.save(update_fields=["status", "unit"])
            return existing
        return ActivityRegistration.objects.create(activity=locked, worker=worker, unit_id=worker.unit_id)


def worker_is_member(worker) -> bool:
    """MEM-5: member resources are for workers whose unit is an active member unit."""
    from membership.models import Unit

    return worker is not None and worker.unit.membership_status == Unit.MembershipStatus.ACTIVE


def courseware_progress_record(*, worker, courseware, percent: int) -> CoursewareProgress:
    """Progress only moves forward: watching a video again from the start keeps the furthest point."""
    if not worker_is_member(worker):
        raise ValidationError(_("Courseware is for workers of member units."))
    percent = max(0, min(100, int(percent)))
    progress, created = CoursewareProgress.objects.get_or_create(worker=worker, courseware=courseware,
                                                                 defaults={"percent": percent, "unit_id": worker.unit_id})
    if not created:
        CoursewareProgress.objects.filter(pk=progress.pk).update(percent=Greatest("percent", percent),
                                                                 updated_at=timezone.now())
        progress.refresh_from_db()
    return progress


def enrolment_complete(*, enrolment: Enrolment, passed: bool, score=None, attended_hours=None, on=None):
    """EDU-3: close a seat as completed (with a certificate) or not completed."""
    on = on or timezone.localdate()
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().select_related("course_class__course").get(pk=enrolment.pk)
        if enrolment.status != Enrolment.Status.ENROLLED:
            raise ValidationError(_("Only an enrolled seat can be marked completed or not completed."))
        enrolment.status = Enrolment.Status.COMPLETED if passed else Enrolment.Status.NOT_COMPLETED
        enrolment.completed_on = on if passed else None
        if score is not None:
            enrolment.score = score
        enrolment.attended_hours = attended_hours if attended_hours is not None else (
            enrolment.course_class.course.hours if passed else enrolment.attended_hours)
        enrolment.save(update_fields=["status", "completed_on", "score", "attended_hours"])
        if passed:
            Certificate.objects.get_or_create(enrolment=enrolment, defaults={"issued_on": on})
    return enrolment
