"""INN-4 职工创新成果: achievements with their team, evaluation against weighted indicators (评价指标)
giving a score and a grade, and linked patents. TAL-7/INN-5: a unit marks an achievement public to
show it on the 技术英才网 pages. IND-EXCELLENT-ACHIEVEMENTS counts the year's 优秀 ones."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from membership.scoping import Assigned, Owner, Scope


class Grade(models.TextChoices):
    NONE = "", _("Not graded")
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class Achievement(models.Model):
    class Kind(models.TextChoices):
        INVENTION = "invention", _("Invention")
        TECHNICAL = "technical", _("Technical innovation")
        MANAGEMENT = "management", _("Management innovation")
        SMALLS = "smalls", _("Six-smalls result")
        OTHER = "other", _("Other")

    # INN-4: the achievement's unit changes it; the units its team members belonged to when it was
    # recorded see it (a member's unit shows it beside the member on the honours ladder).
    SCOPE = Scope(owners=(Owner("unit"), Owner("members__unit", change=False)))

    code = models.CharField(_("achievement code"), max_length=40, unique=True)  # city-wide
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="achievements",
                             verbose_name=_("unit"))
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1949), MaxValueValidator(2100)])
    description = models.TextField(_("description"), blank=True)
    score = models.DecimalField(_("evaluation score"), max_digits=5, decimal_places=2, null=True, blank=True,
                                editable=False)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True, default="")
    is_public = models.BooleanField(_("shown on the public talent pages"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("innovation achievement")
        verbose_name_plural = _("innovation achievements")
        indexes = [models.Index(fields=["year", "grade"])]
        permissions = [("evaluate_achievement", _("Can assign achievement evaluators"))]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class AchievementMember(models.Model):
    """One worker of an achievement's team, with the unit they belonged to when it was recorded."""

    SCOPE = Scope(owners=(Owner("achievement__unit"), Owner("unit", change=False)))

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="members",
                                    verbose_name=_("achievement"))
    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="achievement_memberships",
                               verbose_name=_("worker"))
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit at the time"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["achievement", "order", "id"]
        verbose_name = _("achievement team member")
        verbose_name_plural = _("achievement team members")
        constraints = [models.UniqueConstraint(fields=["achievement", "worker"], name="one_membership_per_worker")]

    def __str__(self) -> str:
        return self.worker.name


class EvaluationIndicator(models.Model):
    """INN-4 评价指标: configurable, weighted; each is scored 0–100 by every evaluator."""

    name = models.CharField(_("indicator"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("evaluation indicator")
        verbose_name_plural = _("evaluation indicators")
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive")]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}）"


class AchievementEvaluation(models.Model):
    """One evaluator's evaluation of one achievement: assigned by the achievement's unit (or the
    city), written by the evaluator wherever they work."""

    SCOPE = Scope(owners=(Owner("achievement__unit"),), assigned=(Assigned("evaluator", change=True),))

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="evaluations",
                                    verbose_name=_("achievement"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="achievement_evaluations", verbose_name=_("evaluator"))
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = _("achievement evaluation")
        verbose_name_plural = _("achievement evaluations")
        constraints = [models.UniqueConstraint(fields=["achievement", "evaluator"],
                                               name="one_evaluation_per_evaluator")]

    def __str__(self) -> str:
        return f"{self.achievement} · {self.evaluator}"


class IndicatorScore(models.Model):
    SCOPE = Scope(owners=(Owner("evaluation__achievement__unit"),),
                  assigned=(Assigned("evaluation__evaluator", change=True),))

    evaluation = models.ForeignKey(AchievementEvaluation, on_delete=models.CASCADE, related_name="scores",
                                   verbose_name=_("evaluation"))
    indicator = models.ForeignKey(EvaluationIndicator, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("indicator"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))])

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indicator"], name="one_score_per_indicator"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="indicator_score_0_to_100"),
        ]


class Patent(models.Model):
    class Kind(models.TextChoices):
        INVENTION = "invention", _("Invention patent")
        UTILITY = "utility", _("Utility model")
        DESIGN = "design", _("Design patent")

    SCOPE_FIELD = "achievement__unit"

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="patents",
                                    verbose_name=_("achievement"))
    number = models.CharField(_("patent number"), max_length=40, unique=True)
    kind = models.CharField(_("patent type"), max_length=16, choices=Kind.choices)
    granted_on = models.DateField(_("date"))

    class Meta:
        ordering = ["-granted_on"]
        verbose_name = _("patent")
        verbose_name_plural = _("patents")

    def __str__(self) -> str:
        return self.number
