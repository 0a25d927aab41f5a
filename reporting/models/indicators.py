"""REP-1: plans, their indicators and targets are data; every nightly run writes a complete set of
values, and the dashboards read only complete runs."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    """A programme with target indicators, e.g. 首都职工素质建设工程 2010–2013. A later plan is added in
    the admin with no code change."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    is_current = models.BooleanField(_("shown on the dashboard"), default=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start_year"]
        constraints = [models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="plan_years_in_order")]

    def __str__(self) -> str:
        return f"{self.name}（{self.start_year}–{self.end_year}）"


class Indicator(models.Model):
    class Measure(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENT = "percent", _("Percentage")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    # Which of reporting.formulas computes it: a plan's indicator may reuse a formula under its own code.
    formula = models.CharField(_("formula"), max_length=40)
    measure = models.CharField(_("measure"), max_length=8, choices=Measure.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.CharField(_("what it counts"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        from ..formulas import FORMULAS

        if self.formula and self.formula not in FORMULAS:
            raise ValidationError({"formula": _("Unknown formula: choose one of %(codes)s")
                                   % {"codes": "、".join(sorted(FORMULAS))}})


class Target(models.Model):
    """A target for one year: the city's (no unit) or a level-1 unit's share of it (分解目标)."""

    class Comparison(models.TextChoices):
        AT_LEAST = "gte", "≥"
        ABOVE = "gt", ">"
        RANGE = "range", _("within")

    SCOPE_FIELD = "unit"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator"))
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("level-1 unit"), help_text=_("Empty for the city's own target"),
                             limit_choices_to={"depth": 2})
    comparison = models.CharField(_("comparison"), max_length=8, choices=Comparison.choices)
    low = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    high = models.DecimalField(_("upper bound"), max_digits=14, decimal_places=2, null=True, blank=True,
                               help_text=_("Only for a range"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "unit"], name="target_one_per_unit_year"),
            models.UniqueConstraint(fields=["indicator", "year"], condition=Q(unit__isnull=True),
                                    name="target_one_city_target_per_year"),
            models.CheckConstraint(condition=~Q(comparison="range") | Q(high__gte=models.F("low")),
                                   name="target_range_has_upper_bound"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} {self.describe()}"

    def clean(self):
        if self.comparison == self.Comparison.RANGE and (self.high is None or self.low is None or self.high < self.low):
            raise ValidationError({"high": _("A range needs an upper bound no lower than its value")})

    def describe(self) -> str:
        return describe_target(self.comparison, self.low, self.high)

    def met_by(self, value: Decimal | None) -> bool | None:
        return target_met(self.comparison, self.low, self.high, value)


def describe_target(comparison: str | None, low, high) -> str:
    if not comparison:
        return ""
    if comparison == Target.Comparison.RANGE:
        return f"{_number(low)}–{_number(high)}"
    return f"{'≥' if comparison == Target.Comparison.AT_LEAST else '>'} {_number(low)}"


def target_met(comparison: str | None, low, high, value) -> bool | None:
    if not comparison or value is None:
        return None
    if comparison == Target.Comparison.AT_LEAST:
        return value >= low
    if comparison == Target.Comparison.ABOVE:
        return value > low
    return low <= value <= high


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


class Run(models.Model):
    """One computation of the indicators. Its values are written in the same transaction that marks
    it complete, so a run that fails or is killed leaves nothing the dashboards read."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        COMPLETE = "complete", _("Complete")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Gave way to a newer run")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly schedule")
        STAFF = "staff", _("Started by staff")
        COMMAND = "command", _("Command line")

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    trigger = models.CharField(_("started by"), max_length=16, choices=Trigger.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    first_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    values_written = models.PositiveIntegerField(_("values written"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("indicator run")
        verbose_name_plural = _("indicator runs")
        ordering = ["-started_at", "-pk"]
        permissions = [("start_run", _("Can start an indicator run"))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"


class IndicatorValue(models.Model):
    """One value of one run: an indicator for a unit (the federation itself for the city) and a year."""

    SCOPE_FIELD = "unit"

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="values", verbose_name=_("run"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator"))
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    numerator = models.DecimalField(_("numerator"), max_digits=18, decimal_places=4)
    denominator = models.DecimalField(_("denominator"), max_digits=18, decimal_places=4, null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, null=True, blank=True)
    comparison = models.CharField(_("comparison"), max_length=8, blank=True)
    target_low = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_high = models.DecimalField(_("target upper bound"), max_digits=14, decimal_places=2, null=True, blank=True)
    met = models.BooleanField(_("met"), null=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "unit__path", "year"]
        constraints = [models.UniqueConstraint(fields=["run", "indicator", "unit", "year"], name="value_one_per_run")]
        indexes = [models.Index(fields=["run", "year"], name="value_run_year")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit.code} {self.year}"

    @property
    def target_text(self) -> str:
        return describe_target(self.comparison, self.target_low, self.target_high)


class WorkforceFigure(models.Model):
    """One unit's own figures of a run for the indicators that count every worker of P(Y)
    (IND-TRAINED-SHARE, IND-HIGH-SKILL-SHARE, IND-TECHNICIAN-SHARE): the workers whose unit on E it
    was, and how many of them trained in the year, held a level on E, and held level 3 or better and
    level 2 or better. The run adds them up for the city and the level-1 units; a drill-down adds up
    those of a subtree's units instead of reading the subtree's workers and records again, so that its
    figures are the run's, the same as the stored value above them. A column is empty where the run
    did not compute its formula. Kept for the runs that serve a year (reporting.selectors.runs_serving)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="+", verbose_name=_("run"))
    path = models.CharField(_("unit path"), max_length=255)  # the unit's path when the run read it
    year = models.PositiveSmallIntegerField(_("year"))
    workers = models.PositiveIntegerField(_("workers"), null=True)
    trained = models.PositiveIntegerField(_("trained"), null=True)
    certified = models.PositiveIntegerField(_("with a skill level"), null=True)
    high_skill = models.PositiveIntegerField(_("level 3 or better"), null=True)
    technician = models.PositiveIntegerField(_("level 2 or better"), null=True)

    class Meta:
        verbose_name = _("workforce figure")
        verbose_name_plural = _("workforce figures")
        # One row per unit and year of a run; a subtree's rows are one range of this index (path
        # LIKE 'prefix%' under any collation, hence the pattern operator class).
        constraints = [models.UniqueConstraint(fields=["run", "year", "path"], name="workforce_one_per_unit",
                                               opclasses=["int8_ops", "int2_ops", "varchar_pattern_ops"])]
