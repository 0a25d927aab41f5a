"""Writes for the education system. Enrolment holds capacity under concurrency with a row lock on
the class: two workers taking the last seat at once get one seat and one waiting-list place."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from uploads import bulk

from . import ledger
from .models import (
    Activity,
    ActivityRegistration,
    Certificate,
    Course,
    CourseClass,
    CreditEntry,
    Dependant,
    Enrolment,
    TrainingRecord,
    TranscriptIssue,
)


def enrolment_create(*, worker, course_class: CourseClass, by=None, dependant=None) -> Enrolment:
    """EDU-3: a seat if one is free, otherwise a place on the waiting list. ``dependant``: the
    worker enrols their child (EDU-7), only in a class for 困难职工及其子女."""
    with transaction.atomic():
        locked = CourseClass.objects.select_for_update().select_related("course").get(pk=course_class.pk)
        if not locked.is_open or locked.course.status != Course.Status.APPROVED:
            raise ValidationError(_("This class is not open for enrolment."))
        today = timezone.localdate()
        if locked.ends_on < today:
            raise ValidationError(_("This class has already ended."))
        if locked.enrol_by is not None and locked.enrol_by < today:
            raise ValidationError(_("Enrolment for this class closed on %(date)s.") % {"date": f"{locked.enrol_by:%Y-%m-%d}"})
        if dependant is not None:
            if dependant.worker_id != worker.pk:
                raise ValidationError(_("Only the parent can enrol this child."))
            if not locked.for_dependants:
                raise ValidationError(_("Children can enrol only in classes for needy workers and their children."))
        live = Enrolment.objects.filter(course_class=locked, worker=worker, status__in=Enrolment.ACTIVE)
        live = live.filter(dependant=dependant) if dependant is not None else live.filter(dependant__isnull=True)
        if live.exists():
            raise ValidationError(_("You are already enrolled in this class or on its waiting list.") if dependant is None
                                  else _("This child is already enrolled in this class or on its waiting list."))
        has_seat = locked.enrolled_count < locked.capacity
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    course_class=locked, worker=worker, dependant=dependant, unit_id=worker.unit_id, enrolled_by=by,
                    status=Enrolment.Status.ENROLLED if has_seat else Enrolment.Status.WAITLISTED,
                )
        except IntegrityError:
            raise ValidationError(_("You are already enrolled in this class or on its waiting list.")) from None
        if has_seat:
            CourseClass.objects.filter(pk=locked.pk).update(enrolled_count=F("enrolled_count") + 1)
    return enrolment


def _waiting_in_order(course_class_id):
    """The waiting list of a class, first come first (the order seats are given in)."""
    return (Enrolment.objects.select_for_update()
            .filter(course_class_id=course_class_id, status=Enrolment.Status.WAITLISTED).order_by("created_at", "id"))


def _release(*, enrolment: Enrolment, status: str, reason: str = "") -> Enrolment | None:
    """End a seat or a waiting-list place with ``status``. A freed seat goes to the first on the
    waiting list; that enrolment is returned."""
    with transaction.atomic():
        locked_class = CourseClass.objects.select_for_update().get(pk=enrolment.course_class_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status not in Enrolment.ACTIVE:
            raise ValidationError(_("This enrolment is no longer active."))
        had_seat = enrolment.status == Enrolment.Status.ENROLLED
        enrolment.status = status
        enrolment.withdrawal_reason = reason
        enrolment.save(update_fields=["status", "withdrawal_reason"])
        if not had_seat:
            return None
        promoted = _waiting_in_order(locked_class.pk).first()
        if promoted is None:
            CourseClass.objects.filter(pk=locked_class.pk).update(enrolled_count=F("enrolled_count") - 1)
            return None
        promoted.status = Enrolment.Status.ENROLLED
        promoted.save(update_fields=["status"])
        return promoted


def enrolment_cancel(*, enrolment: Enrolment) -> Enrolment | None:
    """The worker cancels a seat or a waiting-list place (see _release)."""
    return _release(enrolment=enrolment, status=Enrolment.Status.CANCELLED)


def enrolment_withdraw(*, enrolment: Enrolment, reason: str) -> Enrolment | None:
    """EDU-3: staff take a worker out of a class, with a reason the worker reads in 我的报名."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the withdrawal: the worker will see it."))
    return _release(enrolment=enrolment, status=Enrolment.Status.WITHDRAWN,
                    reason=reason[:Enrolment._meta.get_field("withdrawal_reason").max_length])


CLASS_FIELDS = ("course", "name", "unit", "place", "teacher", "starts_on", "ends_on", "enrol_by", "capacity", "is_open")


def course_class_create(**fields) -> CourseClass:
    """EDU-3: a unit runs a class of a course (its own, or any approved course of the menu)."""
    course_class = CourseClass(**{name: value for name, value in fields.items() if name in CLASS_FIELDS})
    course_class.full_clean()
    course_class.save()
    return course_class


def course_class_update(*, course_class: CourseClass, **fields) -> tuple[CourseClass, list[Enrolment]]:
    """EDU-3: change a class. A higher capacity gives the new seats to the waiting list in its
    order (the promoted enrolments are returned); a capacity below the seats taken is refused."""
    with transaction.atomic():
        locked = CourseClass.objects.select_for_update().get(pk=course_class.pk)
        fields = {name: value for name, value in fields.items() if name in CLASS_FIELDS}
        changed = _changed_fields(locked, fields)
        if "capacity" in changed and locked.capacity < locked.enrolled_count:
            raise ValidationError({"capacity": _capacity_message(locked)})
        if not changed:
            return locked, []
        locked.full_clean(exclude=["enrolled_count"])
        locked.save(update_fields=changed)
        promoted = []
        free = locked.capacity - locked.enrolled_count
        if free > 0:
            promoted = list(_waiting_in_order(locked.pk)[:free])
            if promoted:
                Enrolment.objects.filter(pk__in=[e.pk for e in promoted]).update(status=Enrolment.Status.ENROLLED)
                CourseClass.objects.filter(pk=locked.pk).update(enrolled_count=F("enrolled_count") + len(promoted))
                locked.refresh_from_db(fields=["enrolled_count"])
                for enrolment in promoted:
                    enrolment.status = Enrolment.Status.ENROLLED
    return locked, promoted


def _capacity_message(course_class: CourseClass) -> str:
    return _("%(count)d workers hold a seat in this class: the capacity cannot be lower.") % {
        "count": course_class.enrolled_count}


def course_class_capacity_error(*, course_class: CourseClass, capacity: int) -> str | None:
    """The form's early answer to a capacity below the seats taken (course_class_update decides)."""
    if course_class.pk is None:
        return None
    taken = CourseClass.objects.filter(pk=course_class.pk).values_list("enrolled_count", flat=True).first() or 0
    if capacity < taken:
        return _capacity_message(CourseClass(enrolled_count=taken))
    return None


def attendance_record(*, course_class: CourseClass, present: set[tuple[int, int]], enrolments, by=None) -> int:
    """EDU-3: the attendance sheet of a class. ``present`` holds (enrolment id, session id) pairs
    ticked; every other pair of the given ``enrolments`` (those the user may change) and the
    class's sessions is recorded absent. Returns the number of marks written."""
    from .models import Attendance

    sessions = list(course_class.sessions.values_list("pk", flat=True))
    enrolment_ids = [e.pk for e in enrolments if e.course_class_id == course_class.pk]
    written = 0
    with transaction.atomic():
        existing = {(a.enrolment_id, a.session_id): a for a in Attendance.objects.select_for_update().filter(
            session_id__in=sessions, enrolment_id__in=enrolment_ids)}
        for enrolment_id in enrolment_ids:
            for session_id in sessions:
                mark = (enrolment_id, session_id) in present
                row = existing.get((enrolment_id, session_id))
                if row is None:
                    Attendance.objects.create(session_id=session_id, enrolment_id=enrolment_id, present=mark, recorded_by=by)
                    written += 1
                elif row.present != mark:
                    row.present, row.recorded_by = mark, by
                    row.save(update_fields=["present", "recorded_by", "recorded_at"])
                    written += 1
    return written


def enrolment_attendance(*, enrolment: Enrolment) -> tuple[int, int, object]:
    """(sessions attended, sessions of the class, hours attended) of an enrolment."""
    from decimal import Decimal

    from .models import ClassSession

    sessions = list(ClassSession.objects.filter(course_class_id=enrolment.course_class_id))
    attended = set(enrolment.attendances.filter(present=True).values_list("session_id", flat=True))
    hours = sum((s.hours for s in sessions if s.pk in attended), Decimal(0))
    return len(attended), len(sessions), hours


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


def activity_registration_cancel(*, worker, activity) -> ActivityRegistration:
    """EDU-6/7: a worker withdraws their own registration before the activity is over; the place
    goes back to the activity's capacity. Once staff recorded participation it stays as recorded."""
    with transaction.atomic():
        Activity.objects.select_for_update().get(pk=activity.pk)
        registration = (ActivityRegistration.objects.select_for_update().select_related("activity")
                        .filter(activity=activity, worker=worker).first())
        if registration is None or registration.status != ActivityRegistration.Status.REGISTERED:
            raise ValidationError(_("You have no registration for this activity that can be cancelled."))
        if registration.activity.ends_on < timezone.localdate():
            raise ValidationError(_("This activity is over: its registration can no longer be cancelled."))
        registration.status = ActivityRegistration.Status.CANCELLED
        registration.save(update_fields=["status"])
    return registration


def worker_is_member(worker) -> bool:
    """MEM-5: member resources are for workers whose unit is an active member unit."""
    from membership.models import Unit

    return worker is not None and worker.unit.membership_status == Unit.MembershipStatus.ACTIVE


def enrolment_complete(*, enrolment: Enrolment, passed: bool, score=None, attended_hours=None, on=None):
    """EDU-3: close a seat as completed (with a certificate) or not completed. Completion needs
    the attendance the course requires (its minimum share of the class's sessions). A child's
    completion (EDU-7) is the child's: no certificate in the parent's name, no credits."""
    on = on or timezone.localdate()
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().select_related("course_class__course").get(pk=enrolment.pk)
        if enrolment.status != Enrolment.Status.ENROLLED:
            raise ValidationError(_("Only an enrolled seat can be marked completed or not completed."))
        course = enrolment.course_class.course
        attended, total, hours = enrolment_attendance(enrolment=enrolment)
        required = course.min_attendance_percent
        if passed and required and (total == 0 or attended * 100 < required * total):
            raise ValidationError(_(
                "Attended %(attended)d of %(total)d sessions: the course requires at least %(percent)d%% of them."
            ) % {"attended": attended, "total": total, "percent": course.min_attendance_percent})
        enrolment.status = Enrolment.Status.COMPLETED if passed else Enrolment.Status.NOT_COMPLETED
        enrolment.completed_on = on if passed else None
        if score is not None:
            enrolment.score = score
        if attended_hours is not None:
            enrolment.attended_hours = attended_hours
        elif total:
            enrolment.attended_hours = hours  # the sessions attended, as the sheet recorded them
        elif passed:
            enrolment.attended_hours = course.hours
        enrolment.save(update_fields=["status", "completed_on", "score", "attended_hours"])
        if passed and enrolment.dependant_id is None:
            Certificate.objects.get_or_create(enrolment=enrolment, defaults={"issued_on": on})
            ledger.credit_entry_record(
                worker=enrolment.worker, source_kind=CreditEntry.Source.COURSE, source=enrolment, earned_on=on,
                hours=course.hours, course_credits=course.credits, cause=f"{course.title} · {enrolment.course_class.name}")
    return enrolment


def dependant_create(*, worker, name: str, relation: str, age) -> Dependant:
    """EDU-7: a worker names a dependent child (never a worker of the registry)."""
    try:
        age = int(age)
    except (TypeError, ValueError):
        raise ValidationError({"age": _("Give the child's age in years.")}) from None
    if not 0 <= age <= 30:
        raise ValidationError({"age": _("Give the child's age in years.")})
    dependant = Dependant(worker=worker, name=(name or "").strip(), relation=relation,
                          birth_year=timezone.localdate().year - age)
    dependant.full_clean()
    dependant.save()
    return dependant


def activity_participation_record(*, registration: ActivityRegistration) -> ActivityRegistration:
    """EDU-6/7: staff record whether a worker took part and the result; taking part earns the
    activity rule's credits on the activity's last day (EDU-9), once."""
    with transaction.atomic():
        registration.save()
        _activity_participation_credit(registration)
    return registration


def _activity_participation_credit(registration: ActivityRegistration) -> None:
    if registration.status == ActivityRegistration.Status.ATTENDED:
        activity = registration.activity
        ledger.credit_entry_record(
            worker=registration.worker, source_kind=CreditEntry.Source.ACTIVITY, source=registration,
            earned_on=activity.ends_on, cause=" · ".join(x for x in (activity.title, registration.result) if x))


def training_records_credit(*, records) -> None:
    """The ledger entries of a batch of training records (those that earned before are skipped)."""
    ledger.credit_entries_record_bulk(source_kind=CreditEntry.Source.TRAINING, earnings=[
        ledger.Earning(worker_id=record.worker_id, source=record, earned_on=record.completed_on, hours=record.hours,
                       cause=record.project) for record in records])


def _changed_fields(instance, fields: dict) -> list[str]:
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, fields[name])
    return changed


def enrolment_update(*, enrolment: Enrolment, **fields) -> Enrolment:
    """EDU-3: staff correct a seat's record (hours attended, score); its status moves only through
    enrolment_create, enrolment_cancel and enrolment_complete."""
    changed = _changed_fields(enrolment, fields)
    if changed:
        enrolment.full_clean(exclude=[name for name in _field_names(Enrolment) if name not in changed])
        enrolment.save(update_fields=changed)
    return enrolment


def activity_registration_update(*, registration: ActivityRegistration, **fields) -> ActivityRegistration:
    """EDU-7: staff record participation and results of a registration."""
    changed = _changed_fields(registration, fields)
    with transaction.atomic():
        if changed:
            registration.full_clean(exclude=[name for name in _field_names(ActivityRegistration) if name not in changed])
            registration.save(update_fields=changed)
        _activity_participation_credit(registration)
    return registration


def _field_names(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields]


TRAINING_RECORD_FIELDS = ("worker", "unit", "course", "project", "kind", "hours", "completed_on", "result",
                          "institution", "upload")


def training_record_create(
    *, worker, project: str, kind: str, hours, completed_on, course=None, result: str = "",
    institution: str = "", upload=None, unit=None,
) -> TrainingRecord:
    """UPL-6, EDU-8: one completion of an enterprise's own training (the admin's add form). It
    belongs to the worker's unit of the day (MEM-2) unless the caller names the unit."""
    record = TrainingRecord(worker=worker, unit_id=unit.pk if unit is not None else worker.unit_id, course=course,
                            project=project, kind=kind, hours=hours, completed_on=completed_on, result=result,
                            institution=institution, upload=upload)
    record.full_clean()
    with transaction.atomic():
        record.save()
        training_records_credit(records=[record])
    return record


def training_record_update(*, record: TrainingRecord, **fields) -> TrainingRecord:
    if "worker" in fields and fields["worker"].pk != record.worker_id:
        fields["unit"] = fields["worker"].unit  # another worker's fact: their unit of the day
    changed = _changed_fields(record, fields)
    if changed:
        record.full_clean()
        record.save(update_fields=[*changed, "updated_at"])
    return record


def training_records_write(*, new: list[dict], updated: list[tuple[int, dict]], upload=None) -> int:
    """UPL-6: the bulk form for the training upload, whose rows were validated and classified by
    the upload kind: ``new`` as dicts of TRAINING_RECORD_FIELDS (ids for worker and course),
    ``updated`` as (record id, changed fields). Written by COPY and one UPDATE per batch."""
    now = timezone.now().isoformat()
    upload_id = upload.pk if upload is not None else None
    written = bulk.insert_rows(TrainingRecord, (*TRAINING_RECORD_FIELDS, "created_at", "updated_at"), [
        (row["worker_id"], row["unit_id"], row["course_id"], row["project"], row["kind"], row["hours"], row["completed_on"],
         row["result"], row["institution"], upload_id, now, now) for row in new])
    if new:
        # EDU-9: the batch's new records earn credits in the same transaction, read back in one
        # query by their natural key (COPY returns no ids).
        keys = {(row["worker_id"], row["project"], row["completed_on"]) for row in new}
        training_records_credit(records=[
            record for record in TrainingRecord.objects.filter(
                worker_id__in={key[0] for key in keys}, completed_on__in={key[2] for key in keys})
            .only("id", "worker_id", "unit_id", "project", "hours", "completed_on")
            if (record.worker_id, record.project, record.completed_on) in keys])
    if updated:
        names = tuple(updated[0][1])
        written += bulk.update_rows(TrainingRecord, ("updated_at", *names), [
            (pk, now, *(fields[name] for name in names)) for pk, fields in updated])
    return written


def transcript_issue_create(*, worker, digest: str) -> TranscriptIssue:
    """EDU-8: record a PDF transcript as issued, with the code printed on it that the public
    certificate-check page confirms."""
    issue = TranscriptIssue(worker=worker, digest=digest)
    issue.full_clean()
    issue.save()
    return issue
