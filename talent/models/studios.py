"""TAL-4: workers' innovation studios (职工创新工作室, 三(二)2): recognition by level, the leader and
members, activities of four kinds and the yearly assessment (考核办法)."""
from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope


class RecognitionLevel(models.IntegerChoices):
    """A lower number is the higher level, so the best of several is MIN(level)."""

    CITY = 1, _("Municipal")
    DISTRICT = 2, _("District or bureau")
    ENTERPRISE = 3, _("Enterprise")


class AssessmentGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class Studio(models.Model):
    """An innovation studio hosted by a unit. The host unit keeps it; the leader's unit sees it
    (MEM-2). Its level is not a column: it is the recognitions in force on a date."""

    SCOPE = Scope(owners=(Owner("unit"), Owner("leader__unit", change=False)))

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="studios",
                             verbose_name=_("host unit"))
    leader = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="led_studios",
                               verbose_name=_("leader"))
    members = models.ManyToManyField("membership.Worker", blank=True, related_name="studios",
                                     verbose_name=_("members"))
    field = models.CharField(_("field"), max_length=100)
    introduction = models.TextField(_("introduction"), blank=True)
    public = models.BooleanField(_("public"), default=False,
                                 help_text=_("Show this studio on the public talent pages."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("innovation studio")
        verbose_name_plural = _("innovation studios")

    def __str__(self) -> str:
        return self.name

    @property
    def level_on_label(self) -> str:
        """The label of ``level_on`` where a selector annotated it (talent.selectors.studios)."""
        level = getattr(self, "level_on", None)
        return RecognitionLevel(level).label if level else ""


class StudioRecognition(models.Model):
    """TAL-4: one dated recognition of a studio at one level. An upgrade (区级 → 市级) adds a row
    from its date and keeps the earlier one; a failing assessment sets ``removed_on`` to its date
    (the row stays as history). In force on E: recognised on or before E and not removed on E."""

    SCOPE = Scope(owners=(Owner("studio__unit"), Owner("studio__leader__unit", change=False)))

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="recognitions", verbose_name=_("studio"))
    level = models.PositiveSmallIntegerField(_("level"), choices=RecognitionLevel.choices)
    recognised_on = models.DateField(_("recognised on"))
    recognised_by = models.CharField(_("recognised by"), max_length=200, blank=True, help_text=_("e.g. 北京市总工会"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removed_by_assessment = models.ForeignKey("StudioAssessment", on_delete=models.SET_NULL, null=True, blank=True,
                                              related_name="removed_recognitions", verbose_name=_("removed by assessment"))

    class Meta:
        ordering = ["studio", "recognised_on", "level"]
        verbose_name = _("studio recognition")
        verbose_name_plural = _("studio recognitions")
        constraints = [
            models.UniqueConstraint(fields=["studio", "level", "recognised_on"], name="one_studio_recognition_per_level_and_day"),
            models.CheckConstraint(condition=Q(removed_on__isnull=True) | Q(removed_on__gte=F("recognised_on")),
                                   name="studio_recognition_removed_after_recognised"),
        ]
        indexes = [models.Index(fields=["level", "recognised_on"])]

    def __str__(self) -> str:
        return f"{self.studio} · {self.get_level_display()} · {self.recognised_on}"


class StudioActivity(models.Model):
    """TAL-4: what a studio does: project tackling, master–apprentice pairs, training, exchange."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project tackling")
        APPRENTICESHIP = "apprenticeship", _("Master and apprentices")
        TRAINING = "training", _("Skills training")
        EXCHANGE = "exchange", _("Technical exchange")

    SCOPE = Scope(owners=(Owner("studio__unit"), Owner("studio__leader__unit", change=False)))

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="activities", verbose_name=_("studio"))
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    started_on = models.DateField(_("starts on"))
    ended_on = models.DateField(_("ends on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    master = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("master"))
    apprentices = models.ManyToManyField("membership.Worker", blank=True, related_name="+", verbose_name=_("apprentices"))

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = _("studio activity")
        verbose_name_plural = _("studio activities")
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                                   name="studio_activity_ends_after_start"),
            # 名师带徒 names its master; no other kind has one.
            models.CheckConstraint(condition=Q(kind="apprenticeship", master__isnull=False) | (~Q(kind="apprenticeship") & Q(master__isnull=True)),
                                   name="studio_activity_master_for_apprenticeship_only"),
        ]

    def __str__(self) -> str:
        return self.title


class StudioAssessment(models.Model):
    """TAL-4: the yearly assessment (考核). A failing grade removes the studio's recognitions in
    force from the assessment's date (talent.services.studios.studio_assessment_save)."""

    SCOPE = Scope(owners=(Owner("studio__unit"), Owner("studio__leader__unit", change=False)))

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("studio"))
    year = models.PositiveSmallIntegerField(_("year"))
    assessed_on = models.DateField(_("assessed on"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=16, choices=AssessmentGrade.choices)
    remarks = models.TextField(_("remarks"), blank=True)

    class Meta:
        ordering = ["studio", "year"]
        verbose_name = _("studio assessment")
        verbose_name_plural = _("studio assessments")
        constraints = [
            models.UniqueConstraint(fields=["studio", "year"], name="one_studio_assessment_per_year"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="studio_assessment_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.studio} · {self.year}"
