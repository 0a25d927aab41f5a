"""TAL-3: chief employees (首席员工, 三(二)1): a unit designates a worker for a field and a term,
with benefits (待遇), and tracks them by a yearly evaluation (跟踪考评)."""
from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope


class EvaluationResult(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class ChiefEmployeeQuerySet(models.QuerySet):
    def current(self, *, on: dt.date) -> ChiefEmployeeQuerySet:
        """TAL-3: designations in force on ``on``: inside their term (both ends inclusive) and with
        no failing tracking evaluation dated on or before ``on``. A failed evaluation ends the
        designation from its date; the row stays as history."""
        failed = ChiefEvaluation.objects.filter(
            designation=OuterRef("pk"), result=EvaluationResult.FAILED, evaluated_on__lte=on)
        return self.filter(term_from__lte=on, term_to__gte=on).exclude(Exists(failed))


class ChiefEmployee(models.Model):
    """One designation of a worker as chief employee by a unit. The designating unit keeps it;
    the worker's unit sees it (MEM-2: designations are owned by the designating unit and by the
    worker's unit)."""

    SCOPE = Scope(owners=(Owner("unit"), Owner("worker__unit", change=False)))

    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="chief_designations",
                               verbose_name=_("worker"))
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="chief_designations",
                             verbose_name=_("designating unit"))
    field = models.CharField(_("field"), max_length=100, help_text=_("e.g. 数控加工, 焊接工艺"))
    term_from = models.DateField(_("term from"))
    term_to = models.DateField(_("term to"))
    monthly_allowance = models.DecimalField(_("monthly allowance (yuan)"), max_digits=9, decimal_places=2, default=0)
    other_benefits = models.TextField(_("other benefits"), blank=True, help_text=_("e.g. 带薪研修, 年度体检"))
    introduction = models.TextField(_("introduction"), blank=True,
                                    help_text=_("Shown on the public talent pages when the designation is public."))
    public = models.BooleanField(_("public"), default=False,
                                 help_text=_("Show this designation on the public talent pages."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ChiefEmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["-term_from", "id"]
        verbose_name = _("chief employee")
        verbose_name_plural = _("chief employees")
        constraints = [models.CheckConstraint(condition=Q(term_to__gte=F("term_from")), name="chief_term_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.worker.name} · {self.field}"


class ChiefEvaluation(models.Model):
    """TAL-3: the yearly tracking evaluation (跟踪考评) of a designation."""

    SCOPE = Scope(owners=(Owner("designation__unit"), Owner("designation__worker__unit", change=False)))

    designation = models.ForeignKey(ChiefEmployee, on_delete=models.CASCADE, related_name="evaluations",
                                    verbose_name=_("chief employee"))
    year = models.PositiveSmallIntegerField(_("year"))
    evaluated_on = models.DateField(_("evaluated on"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    result = models.CharField(_("result"), max_length=16, choices=EvaluationResult.choices)
    remarks = models.TextField(_("remarks"), blank=True)

    class Meta:
        ordering = ["designation", "year"]
        verbose_name = _("tracking evaluation")
        verbose_name_plural = _("tracking evaluations")
        constraints = [
            models.UniqueConstraint(fields=["designation", "year"], name="one_chief_evaluation_per_year"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="chief_evaluation_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.designation} · {self.year}"
