"""三(一) the quality-education system: the course menu, classes, enrolment, the review committee,
the lifelong learning record and the credit bank (EDU-1 … EDU-9)."""
from __future__ import annotations

import secrets

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from membership.scoping import Assigned, Owner, Scope


class TargetGroup(models.Model):
    """EDU-1: who a course is for (一线职工, 农民工, 护工, 家政服务员, 困难职工及其子女, 管理人员 …)."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class CourseQuerySet(models.QuerySet):
    def published(self):
        """EDU-5: only courses the review committee approved enter the menu."""
        return self.filter(status=Course.Status.APPROVED)


class Course(models.Model):
    class Category(models.TextChoices):
        GENERAL = "general", _("General competency")
        JOB = "job", _("Job training")
        THEMATIC = "thematic", _("Thematic education")
        KEY_GROUP = "key_group", _("Key groups")
        CULTURE = "culture", _("Culture")

    class Delivery(models.TextChoices):
        ONLINE = "online", _("Online")
        OFFLINE = "offline", _("Offline")
        BLENDED = "blended", _("Blended")

    class Provider(models.TextChoices):
        UNIVERSITY = "university", _("University")
        SKILLS_BODY = "skills_body", _("Skills training institution")
        SOCIAL_BODY = "social_body", _("Social training institution")
        WORKERS_UNIVERSITY = "workers_university", _("Workers' university")
        ENTERPRISE = "enterprise", _("Enterprise")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    SCOPE_FIELD = "unit"

    code = models.CharField(_("course code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="courses", verbose_name=_("target groups"))
    delivery = models.CharField(_("delivery mode"), max_length=16, choices=Delivery.choices, default=Delivery.OFFLINE)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    credits = models.DecimalField(_("credits"), max_digits=5, decimal_places=1, default=0)
    provider_kind = models.CharField(_("provider type"), max_length=24, choices=Provider.choices)
    provider_name = models.CharField(_("provider"), max_length=200)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="courses", verbose_name=_("owning unit"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        indexes = [models.Index(fields=["status", "category"])]
        permissions = [
            ("assign_reviewers", _("Can assign course reviewers")),
            ("decide_course", _("Can approve or reject courses for the committee")),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.code}）"


class CourseModule(models.Model):
    SCOPE_FIELD = "course__unit"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules", verbose_name=_("course"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")

    def __str__(self) -> str:
        return self.title


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


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")

    ACTIVE = (Status.ENROLLED, Status.WAITLISTED)
    # MEM-2: the unit the worker belonged to when enrolled, and the class's organiser, see and
    # change the enrolment; the worker's current unit sees the worker's whole record.
    SCOPE = Scope(owners=(Owner("unit"), Owner("course_class__unit"), Owner("worker__unit", change=False)))

    course_class = models.ForeignKey(CourseClass, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("class"))
    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("worker"))
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

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            # A worker holds at most one live place (seat or waiting list) in a class.
            models.UniqueConstraint(fields=["course_class", "worker"], condition=Q(status__in=["enrolled", "waitlisted"]),
                                    name="one_live_enrolment_per_worker_and_class"),
        ]

    def __str__(self) -> str:
        return f"{self.worker.name} · {self.course_class}"


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


class ReviewCriterion(models.Model):
    """EDU-5: the course review committee's scoring criteria (岗位自主培训课程评审委员会)."""

    name = models.CharField(_("criterion"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")

    def __str__(self) -> str:
        return f"{self.name}（{self.max_score}）"


class CourseReview(models.Model):
    """One committee member's review of one submitted course."""

    # EDU-5: the course's unit, and the committee member the review is assigned to, wherever the
    # course comes from (the member writes the review).
    SCOPE = Scope(owners=(Owner("course__unit"),), assigned=(Assigned("reviewer", change=True),))

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("course"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="course_reviews",
                                 verbose_name=_("reviewer"))
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=1, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = _("course review")
        verbose_name_plural = _("course reviews")
        constraints = [models.UniqueConstraint(fields=["course", "reviewer"], name="one_review_per_reviewer_and_course")]

    def __str__(self) -> str:
        return f"{self.course} · {self.reviewer}"


class ReviewScore(models.Model):
    SCOPE = Scope(owners=(Owner("review__course__unit"),), assigned=(Assigned("review__reviewer", change=True),))

    review = models.ForeignKey(CourseReview, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review"))
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")]


class TrainingRecord(models.Model):
    """UPL-6, EDU-8: a completion of an enterprise's own training, uploaded by its union."""

    class Kind(models.TextChoices):
        KNOWLEDGE_UPDATE = "knowledge_update", _("Knowledge-update education")
        SKILLS = "skills", _("Skills training")
        JOB = "job", _("Job training")
        SAFETY = "safety", _("Safety training")
        ACADEMIC = "academic", _("Academic education")
        OTHER = "other", _("Other")

    SCOPE = Scope(owners=(Owner("unit"), Owner("worker__unit", change=False)))

    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="training_records",
                               verbose_name=_("worker"))
    # The worker's unit when the fact happened: it keeps seeing and changing the fact after the
    # worker moves on (MEM-2). Indicators do not use it: they count by the unit at a year's end.
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit at the time"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, null=True, blank=True, related_name="training_records",
                               verbose_name=_("course"))
    project = models.CharField(_("training project"), max_length=200)
    kind = models.CharField(_("training type"), max_length=20, choices=Kind.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    completed_on = models.DateField(_("completed on"), db_index=True)
    result = models.CharField(_("result"), max_length=20, blank=True)
    institution = models.CharField(_("training institution"), max_length=200, blank=True)
    upload = models.ForeignKey("uploads.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("upload"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-completed_on", "id"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        constraints = [
            # The natural key of a re-uploaded row: the same person, project and day is one record.
            models.UniqueConstraint(fields=["worker", "project", "completed_on"], name="one_record_per_worker_project_day"),
        ]

    def __str__(self) -> str:
        return f"{self.worker.name} · {self.project}"


class CreditRule(models.Model):
    """EDU-9 学分当量替换: how many credits a source is worth, from a date. Municipal staff edit
    the rules; an item earns credits by the rule in force on the day it was earned."""

    class Source(models.TextChoices):
        COURSE = "course", _("Course completed in the portal")
        TRAINING = "training", _("Uploaded training completion")
        CERTIFICATE = "certificate", _("Skill certificate")
        ACTIVITY = "activity", _("Activity participation")
        COURSEWARE = "courseware", _("Courseware completed")
        COMPETITION = "competition", _("Skills competition")
        HONOUR = "honour", _("Honour")

    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    use_course_credits = models.BooleanField(_("use the course's own credits"), default=False)
    credits_per_hour = models.DecimalField(_("credits per hour"), max_digits=5, decimal_places=3, default=0)
    credits_each = models.DecimalField(_("credits per item"), max_digits=5, decimal_places=1, default=0)
    cap_per_year = models.DecimalField(_("cap per year"), max_digits=6, decimal_places=1, null=True, blank=True)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["source", "-valid_from"]
        verbose_name = _("credit rule")
        verbose_name_plural = _("credit rules")

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.valid_from}"


class CreditConversion(models.Model):
    """EDU-9: credits converted toward academic education at a partner institution."""

    SCOPE = Scope(owners=(Owner("unit"), Owner("worker__unit", change=False)))

    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="credit_conversions",
                               verbose_name=_("worker"))
    # The worker's unit when the fact happened: it keeps seeing and changing the fact after the
    # worker moves on (MEM-2). Indicators do not use it: they count by the unit at a year's end.
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit at the time"))
    institution = models.CharField(_("partner institution"), max_length=200)
    programme = models.CharField(_("programme"), max_length=200)
    credits = models.DecimalField(_("credits"), max_digits=6, decimal_places=1)
    converted_on = models.DateField(_("converted on"))

    class Meta:
        ordering = ["-converted_on"]
        verbose_name = _("credit conversion")
        verbose_name_plural = _("credit conversions")
        constraints = [models.CheckConstraint(condition=Q(credits__gt=0), name="conversion_credits_positive")]

    def __str__(self) -> str:
        return f"{self.worker.name} · {self.institution} · {self.credits}"


class CreditPilot(models.Model):
    """EDU-9, IND-CREDIT-PILOTS: enterprises piloting the credit bank, by year (+1–2 a year)."""

    SCOPE_FIELD = "unit"

    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="credit_pilots",
                             verbose_name=_("enterprise"))
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "unit"]
        verbose_name = _("credit-bank pilot enterprise")
        verbose_name_plural = _("credit-bank pilot enterprises")
        constraints = [models.UniqueConstraint(fields=["unit"], name="one_pilot_entry_per_enterprise")]

    def __str__(self) -> str:
        return f"{self.unit.name}（{self.year}）"


class CreditAccount(models.Model):
    """EDU-9 学分银行: a worker's balance, kept beside the ledger. Every ledger write locks this row
    first and moves ``balance`` with F() in the same transaction, so writes for one worker take
    turns and the CHECK refuses a conversion that would spend credits the worker does not have,
    however many run at once."""

    worker = models.OneToOneField("membership.Worker", on_delete=models.PROTECT, related_name="credit_account",
                                  verbose_name=_("worker"))
    balance = models.DecimalField(_("balance"), max_digits=8, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("credit account")
        verbose_name_plural = _("credit accounts")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="credit_balance_never_negative")]

    def __str__(self) -> str:
        return f"{self.worker_id} · {self.balance}"


class CreditEntry(models.Model):
    """EDU-8/EDU-9: one dated line of the learning record's credit bank. Written only by
    ``courses.ledger`` and never changed afterwards: a later edit of the course, the rule or the
    source row leaves the credits earned then as they were."""

    class Source(models.TextChoices):
        COURSE = "course", _("Class completion")
        TRAINING = "training", _("Training record")
        COURSEWARE = "courseware", _("Courseware completion")
        ACTIVITY = "activity", _("Activity participation")
        CERTIFICATE = "certificate", _("Skill certificate")
        COMPETITION = "competition", _("Skills competition")
        HONOUR = "honour", _("Honour")
        CONVERSION = "conversion", _("Conversion to academic credits")

    SCOPE_FIELD = "unit"

    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="credit_entries",
                               verbose_name=_("worker"))
    # The worker's unit when the entry was written: a transfer later does not move it.
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="credit_entries",
                             verbose_name=_("unit at the time"))
    earned_on = models.DateField(_("date earned"), db_index=True)
    source_kind = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # What earned (or spent) the credits: the enrolment, training record, conversion … of any app.
    source_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("source type"))
    source_id = models.PositiveBigIntegerField(_("source id"))
    cause = models.CharField(_("cause"), max_length=300)
    rule = models.ForeignKey(CreditRule, on_delete=models.PROTECT, null=True, blank=True, related_name="entries",
                             verbose_name=_("credit rule in force"))
    credits = models.DecimalField(_("credits"), max_digits=6, decimal_places=1)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-earned_on", "-id"]
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit entries")
        indexes = [models.Index(fields=["worker", "source_kind", "earned_on"])]
        constraints = [
            # One source earns once: a re-upload or a second completion finds its entry.
            models.UniqueConstraint(fields=["source_type", "source_id"], name="one_credit_entry_per_source"),
            # Earning adds (a capped item adds 0), only a conversion spends.
            models.CheckConstraint(condition=(Q(source_kind="conversion") & Q(credits__lt=0))
                                   | (~Q(source_kind="conversion") & Q(credits__gte=0)),
                                   name="credit_entry_sign_follows_source"),
        ]
        # Append-only in the database too (PostgreSQL): no path rewrites a credit once earned.
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.earned_on} · {self.cause} · {self.credits}"


class Activity(models.Model):
    """EDU-6 thematic activities (公益大讲堂, 演讲比赛, 知识竞赛, 征文) and EDU-7 culture events
    (职工艺术节, 职工运动会, 书画·摄影·音乐·舞蹈·健身 活动) with registration and results."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("Public lecture (公益大讲堂)")
        SPEECH = "speech", _("Speech contest")
        KNOWLEDGE = "knowledge", _("Knowledge contest")
        ESSAY = "essay", _("Essay contest")
        ART_FESTIVAL = "art_festival", _("Workers' art festival")
        SPORTS = "sports", _("Workers' games")
        CULTURE = "culture", _("Culture event")

    SCOPE_FIELD = "unit"

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="activities", verbose_name=_("organising unit"))
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="activities", verbose_name=_("target groups"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    registration_open = models.BooleanField(_("open for registration"), default=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="activity_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class ActivityRegistration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ATTENDED = "attended", _("Took part")
        ABSENT = "absent", _("Absent")
        CANCELLED = "cancelled", _("Cancelled")

    # The organiser records participation and results of every registrant (EDU-6/7).
    SCOPE = Scope(owners=(Owner("unit"), Owner("activity__unit"), Owner("worker__unit", change=False)))

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("activity"))
    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="activity_registrations",
                               verbose_name=_("worker"))
    # The worker's unit when the fact happened: it keeps seeing and changing the fact after the
    # worker moves on (MEM-2). Indicators do not use it: they count by the unit at a year's end.
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit at the time"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    result = models.CharField(_("result"), max_length=50, blank=True, help_text=_("e.g. 一等奖, 优秀奖"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("activity registration")
        verbose_name_plural = _("activity registrations")
        constraints = [models.UniqueConstraint(fields=["activity", "worker"], name="one_registration_per_worker_and_activity")]

    def __str__(self) -> str:
        return f"{self.worker.name} · {self.activity}"


class Courseware(models.Model):
    """EDU-4 首都职工素质教育工程网: video and e-book resources of a course, for workers of member
    units only (MEM-5). Files are served through a view that checks membership, never as media."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        EBOOK = "ebook", _("E-book")

    SCOPE_FIELD = "course__unit"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="courseware", verbose_name=_("course"))
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="courseware/%Y/")
    length = models.PositiveIntegerField(_("minutes or pages"), default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["course", "order", "id"]
        verbose_name = _("courseware")
        verbose_name_plural = _("courseware")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from .courseware import courseware_file_check

        if self.file and self.kind:
            courseware_file_check(field_file=self.file, kind=self.kind)


class CoursewareProgress(models.Model):
    SCOPE = Scope(owners=(Owner("unit"), Owner("worker__unit", change=False)))

    worker = models.ForeignKey("membership.Worker", on_delete=models.CASCADE, related_name="courseware_progress",
                               verbose_name=_("worker"))
    # The worker's unit when the fact happened: it keeps seeing and changing the fact after the
    # worker moves on (MEM-2). Indicators do not use it: they count by the unit at a year's end.
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit at the time"))
    courseware = models.ForeignKey(Courseware, on_delete=models.CASCADE, related_name="progress", verbose_name=_("courseware"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("courseware progress")
        verbose_name_plural = _("courseware progress")
        constraints = [
            models.UniqueConstraint(fields=["worker", "courseware"], name="one_progress_per_worker_and_courseware"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_at_most_100"),
        ]
