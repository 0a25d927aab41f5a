"""EDU-2, EDU-3: places, the teacher pool, classes, enrolment with a waiting list, certificates."""
from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope

from .catalogue import Course


class Place(models.Model):
    """EDU-2: where classes meet."""

    class Kind(models.TextChoices):
        STATION = "station", _("Training station")
        HIGH_SKILL_BASE = "high_skill_base", _("High-skill talent training base")
        WORKERS_SCHOOL = "workers_school", _("Workers' school")
        NIGHT_SCHOOL = "night_school", _("Migrant workers' night school")
        CULTURE_PALACE = "culture_palace", _("Workers' culture palace")

    SCOPE_FIELD = "unit"

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="places", verbose_name=_("unit"))
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("training place")
        verbose_name_plural = _("training places")

    def __str__(self) -> str:
        return self.name


class Teacher(models.Model):
    """EDU-2: the teacher pool (target 500–1000, IND-TEACHERS)."""

    SCOPE_FIELD = "unit"

    name = models.CharField(_("name"), max_length=50)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="teachers", verbose_name=_("unit"))
    subjects = models.CharField(_("subjects"), max_length=200)
    qualifications = models.CharField(_("qualifications"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")

    def __str__(self) -> str:
        return f"{self.name}（{self.subjects}）"


class ClassQuerySet(models.QuerySet):
    def with_free_seats(self):
        return self.filter(enrolled_count__lt=F("capacity"))


class CourseClass(models.Model):
    """EDU-3: one running of a course (开班). ``enrolled_count`` is kept under a row lock by the
    enrolment services, so the menu shows seats left without counting enrolments per class."""

    SCOPE_FIELD = "unit"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="classes", verbose_name=_("course"))
    name = models.CharField(_("class name"), max_length=200)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="course_classes", verbose_name=_("organising unit"))
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="classes", verbose_name=_("place"))
    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, null=True, blank=True, related_name="classes", verbose_name=_("teacher"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # EDU-3: the last day workers may enrol (none: until the class ends).
    enrol_by = models.DateField(_("enrolment deadline"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    enrolled_count = models.PositiveIntegerField(_("enrolled"), default=0, editable=False)
    is_open = models.BooleanField(_("open for enrolment"), default=True)

    objects = ClassQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.CheckConstraint(condition=Q(enrolled_count__lte=F("capacity")), name="class_never_over_capacity"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="class_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.enrolled_count, 0)

    @property
    def for_dependants(self) -> bool:
        """EDU-7 重点群体: a class of a course for 困难职工及其子女 takes workers' children too."""
        return self.course.target_groups.filter(code=DEPENDANT_TARGET_GROUP).exists()


# The target group (courses.migrations.0002) whose classes take workers' dependent children.
DEPENDANT_TARGET_GROUP = "needy"


class ClassSession(models.Model):
    """EDU-3: one meeting of a class (排课): its day and times, and the teacher who takes it when
    not the class's own."""

    SCOPE_FIELD = "course_class__unit"

    course_class = models.ForeignKey(CourseClass, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("class"))
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions",
                                verbose_name=_("teacher"), help_text=_("Leave empty when the class's teacher takes it."))

    class Meta:
        ordering = ["course_class", "date", "starts_at", "id"]
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def hours(self):
        from decimal import Decimal

        minutes = (self.ends_at.hour * 60 + self.ends_at.minute) - (self.starts_at.hour * 60 + self.starts_at.minute)
        return (Decimal(minutes) / 60).quantize(Decimal("0.1"))


class Dependant(models.Model):
    """EDU-7 重点群体: a worker's dependent child, enrolled by the worker in classes for 困难职工及其子女.
    The child is not a worker: not in the registry, and their learning never counts as the
    parent's (no ledger entry, no indicator)."""

    class Relation(models.TextChoices):
        SON = "son", _("Son")
        DAUGHTER = "daughter", _("Daughter")
        OTHER = "other", _("Other dependant")

    SCOPE_FIELD = "worker__unit"

    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="dependants",
                               verbose_name=_("parent (worker)"))
    name = models.CharField(_("name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["worker", "name"]
        verbose_name = _("dependant")
        verbose_name_plural = _("dependants")
        constraints = [models.UniqueConstraint(fields=["worker", "name"], name="one_dependant_per_worker_and_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_relation_display()}）"

    @property
    def age(self) -> int:
        from django.utils import timezone

        return timezone.localdate().year - self.birth_year


class EnrolmentQuerySet(models.QuerySet):
    def own(self):
        """The workers' own enrolments: a dependent child's seat is not the parent's learning
        (EDU-7), so records, credits and indicators start here."""
        return self.filter(dependant__isnull=True)


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")
        WITHDRAWN = "withdrawn", _("Withdrawn by staff")

    ACTIVE = (Status.ENROLLED, Status.WAITLISTED)
    # MEM-2: the unit the worker belonged to when enrolled, and the class's organiser, see and
    # change the enrolment; the worker's current unit sees the worker's whole record.
    SCOPE = Scope(owners=(Owner("unit"), Owner("course_class__unit"), Owner("worker__unit", change=False)))

    course_class = models.ForeignKey(CourseClass, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("class"))
    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("worker"),
                               db_index=False)
    # EDU-7: the worker's child who takes the seat (the worker enrolled them); None: the worker.
    dependant = models.ForeignKey("courses.Dependant", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="enrolments", verbose_name=_("dependant"))
    # The worker's unit when the fact happened: it keeps seeing and changing the fact after the
    # worker moves on (MEM-2). Indicators do not use it: they count by the unit at a year's end.
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit at the time"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("enrolled by"))
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    attended_hours = models.DecimalField(_("hours attended"), max_digits=6, decimal_places=1, default=0)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        # The list's order as an index (issue 13): a page is read in order, never sorted.
        # Its owners' columns included: the ids of a page come from the index alone.
        indexes = [models.Index(fields=["created_at", "id"], include=["unit", "course_class", "worker"],
                                name="enrolment_list_order"),
        # A worker's class completions of a year, from the index alone: the indicators' drill-down asks it of
        # each worker of a district (IND-TRAINED-SHARE, ~208,000 probes at city scale). It stands in
        # for the worker column's own index, so writes keep the same number of indexes.
                   models.Index(fields=["worker", "completed_on"], include=["status", "dependant"],
                                name="enrolment_worker_day")]
        constraints = [
            # A worker holds at most one live place (seat or waiting list) in a class, and so does
            # each of their children.
            models.UniqueConstraint(fields=["course_class", "worker"],
                                    condition=Q(status__in=["enrolled", "waitlisted"], dependant__isnull=True),
                                    name="one_live_enrolment_per_worker_and_class"),
            models.UniqueConstraint(fields=["course_class", "dependant"],
                                    condition=Q(status__in=["enrolled", "waitlisted"], dependant__isnull=False),
                                    name="one_live_enrolment_per_dependant_and_class"),
        ]

    def __str__(self) -> str:
        if self.dependant_id:
            return f"{self.dependant.name}（{self.worker.name}之{self.dependant.get_relation_display()}） · {self.course_class}"
        return f"{self.worker.name} · {self.course_class}"

    @property
    def learner_name(self) -> str:
        return self.dependant.name if self.dependant_id else self.worker.name


class Attendance(models.Model):
    """EDU-3: whether an enrolled learner attended one session of their class."""

    SCOPE = Scope(owners=(Owner("enrolment__unit"), Owner("session__course_class__unit"),
                          Owner("enrolment__worker__unit", change=False)))

    session = models.ForeignKey(ClassSession, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("session"))
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("enrolment"))
    present = models.BooleanField(_("present"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="one_attendance_per_session_and_enrolment")]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.session}"


def _certificate_code() -> str:
    return secrets.token_hex(6).upper()


class Certificate(models.Model):
    """EDU-3: a completion certificate; its code is checked on a public page."""

    SCOPE = Scope(owners=(Owner("enrolment__unit"), Owner("enrolment__course_class__unit"),
                          Owner("enrolment__worker__unit", change=False)))

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("enrolment"))
    code = models.CharField(_("verification code"), max_length=16, unique=True, default=_certificate_code, editable=False)
    issued_on = models.DateField(_("issued on"))

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code
