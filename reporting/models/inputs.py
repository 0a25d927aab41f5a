"""The reporting inputs that no other app records: enterprises' training-fund returns (MEM-6), learning
organisations and the campaign "创建学习型组织、争做知识型职工" (IND-LEARNING-ORG-RATE, IND-CAMPAIGN-COVERAGE)."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# MEM-6: the plan's rules for a return, as fractions of payroll and of the amount spent.
EXTRACTION_MIN = Decimal("0.015")
EXTRACTION_MAX = Decimal("0.025")
FRONTLINE_MIN = Decimal("0.60")

MONEY = {"max_digits": 14, "decimal_places": 4}


class FundsReturn(models.Model):
    """MEM-6: one enterprise union's training-fund return for one year, in 万元."""

    SCOPE_FIELD = "unit"

    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="funds_returns",
                             verbose_name=_("enterprise union"))
    year = models.PositiveSmallIntegerField(_("year"))
    payroll = models.DecimalField(_("payroll (10,000 yuan)"), **MONEY)
    extracted = models.DecimalField(_("amount extracted (10,000 yuan)"), **MONEY)
    spent = models.DecimalField(_("amount spent (10,000 yuan)"), **MONEY)
    frontline = models.DecimalField(_("spent on front-line workers (10,000 yuan)"), **MONEY)
    upload = models.ForeignKey("uploads.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("upload"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("training-fund return")
        verbose_name_plural = _("training-fund returns")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="funds_return_one_per_unit_year"),
            models.CheckConstraint(condition=Q(payroll__gte=0) & Q(extracted__gte=0) & Q(spent__gte=0)
                                   & Q(frontline__gte=0), name="funds_return_not_negative"),
            models.CheckConstraint(condition=Q(frontline__lte=models.F("spent")), name="funds_return_frontline_within_spent"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year}"

    def clean(self):
        if self.frontline is not None and self.spent is not None and self.frontline > self.spent:
            raise ValidationError({"frontline": _("Front-line spending cannot exceed the amount spent")})

    @property
    def extraction_share(self) -> Decimal | None:
        return self.extracted / self.payroll if self.payroll else None

    @property
    def frontline_share(self) -> Decimal | None:
        return self.frontline / self.spent if self.spent else None

    def flags(self) -> list[str]:
        """MEM-6: what the return breaks of the plan's rules, in words staff read."""
        found = []
        share = self.extraction_share
        if share is not None and share < EXTRACTION_MIN:
            found.append(str(_("Extraction below 1.5% of payroll")))
        if share is not None and share > EXTRACTION_MAX:
            found.append(str(_("Extraction above 2.5% of payroll")))
        frontline = self.frontline_share
        if frontline is not None and frontline < FRONTLINE_MIN:
            found.append(str(_("Front-line share below 60%")))
        return found


class LearningOrgStatus(models.Model):
    """A unit's learning-organisation status (学习型组织) declared for a year; its standing in a year is
    its latest status in that year or before."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Being built")
        NAMED = "named", _("Named")
        REVOKED = "revoked", _("Revoked")

    SCOPE_FIELD = "unit"

    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="learning_org_statuses",
                             verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    upload = models.ForeignKey("uploads.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("upload"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("learning organisation status")
        verbose_name_plural = _("learning organisation statuses")
        ordering = ["-year", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="learning_org_one_per_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year} {self.get_status_display()}"


class CampaignYear(models.Model):
    """The campaign "创建学习型组织、争做知识型职工" in one level-1 unit for one year."""

    SCOPE_FIELD = "unit"

    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="campaign_years",
                             verbose_name=_("level-1 unit"), limit_choices_to={"depth": 2})
    year = models.PositiveSmallIntegerField(_("year"))
    active = models.BooleanField(_("campaign active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("learning campaign year")
        verbose_name_plural = _("learning campaign years")
        ordering = ["-year", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="campaign_one_per_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year}"

    def clean(self):
        if self.unit_id and self.unit.depth != 2:
            raise ValidationError({"unit": _("The campaign is run by level-1 units")})
