"""EDU-1, EDU-2: the course menu's catalogue — target groups, courses and their modules."""
from __future__ import annotations

import pgtrigger
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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


APPROVED_VALUES_GUARD = "approved_values_change_by_revision_only"


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

    class Discipline(models.TextChoices):
        """EDU-7: the art or sport a culture course teaches (the menu filters by it)."""

        CALLIGRAPHY_PAINTING = "calligraphy_painting", _("Calligraphy and painting")
        PHOTOGRAPHY = "photography", _("Photography")
        MUSIC = "music", _("Music")
        DANCE = "dance", _("Dance")
        FITNESS = "fitness", _("Fitness")

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
    discipline = models.CharField(_("discipline"), max_length=24, choices=Discipline.choices, blank=True,
                                  help_text=_("Culture courses only: calligraphy and painting, photography, music, dance or fitness."))
    # EDU-3: the share of a class's sessions a worker must attend for the class to be completed.
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (% of sessions)"), default=0, validators=[MaxValueValidator(100)],
        help_text=_("A worker who attended fewer of the class's sessions cannot be marked completed."))
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
        # EDU-5: an approved course's hours, credits and content change only when the committee
        # approves a revision (courses.review.course_update, course_decide, which lift this guard
        # for the one statement that applies the revision). Any other path — the ORM in a shell,
        # SQL — is refused by the database itself, so no credit value changes silently.
        triggers = [pgtrigger.Protect(
            name=APPROVED_VALUES_GUARD,
            operation=pgtrigger.Update,
            condition=pgtrigger.Q(old__status="approved", new__status="approved") & (
                pgtrigger.Q(old__credits__df=pgtrigger.F("new__credits"))
                | pgtrigger.Q(old__hours__df=pgtrigger.F("new__hours"))
                | pgtrigger.Q(old__description__df=pgtrigger.F("new__description"))),
        )]

    def __str__(self) -> str:
        return f"{self.title}（{self.code}）"

    def clean(self):
        super().clean()
        if self.discipline and self.category != self.Category.CULTURE:
            raise ValidationError({"discipline": _("Only culture courses carry a discipline.")})


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
