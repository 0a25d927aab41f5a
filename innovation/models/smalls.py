"""INN-3: inventions and the six smalls (六小), and invention contests (发明创新大赛)."""
from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope


class SmallsEntry(models.Model):
    """INN-3: one 小发明、小革新、小改进、小核算、小节约 or 小经验 of a unit's workers."""

    class Kind(models.TextChoices):
        INVENTION = "invention", _("Small invention")
        INNOVATION = "innovation", _("Small innovation")
        IMPROVEMENT = "improvement", _("Small improvement")
        ACCOUNTING = "accounting", _("Small accounting")
        SAVING = "saving", _("Small saving")
        EXPERIENCE = "experience", _("Small experience")

    SCOPE_FIELD = "unit"

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="smalls_entries",
                             verbose_name=_("unit"))
    workers = models.ManyToManyField("membership.Worker", blank=True, related_name="smalls_entries",
                                     verbose_name=_("workers"))
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    benefit = models.DecimalField(_("economic benefit (10,000 yuan)"), max_digits=12, decimal_places=2, null=True,
                                  blank=True, validators=[MinValueValidator(Decimal(0))])

    class Meta:
        ordering = ["-year", "kind", "title"]
        verbose_name = _("six-smalls entry")
        verbose_name_plural = _("six-smalls entries")

    def __str__(self) -> str:
        return self.title


class InventionContest(models.Model):
    SCOPE_FIELD = "unit"

    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="invention_contests",
                             verbose_name=_("organising unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("invention contest")
        verbose_name_plural = _("invention contests")

    def __str__(self) -> str:
        return f"{self.title}（{self.year}）"


class ContestEntry(models.Model):
    """INN-3: an invention entered in a contest by a unit's workers, with its award. The organiser
    judges; the entrant's unit sees its entries."""

    class Award(models.TextChoices):
        NONE = "", _("No award")
        FIRST = "first", _("First prize")
        SECOND = "second", _("Second prize")
        THIRD = "third", _("Third prize")
        MERIT = "merit", _("Merit award")

    SCOPE = Scope(owners=(Owner("contest__unit"), Owner("unit", change=False)))

    contest = models.ForeignKey(InventionContest, on_delete=models.CASCADE, related_name="entries",
                                verbose_name=_("contest"))
    title = models.CharField(_("invention"), max_length=200)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="invention_contest_entries",
                             verbose_name=_("entrant unit"))
    workers = models.ManyToManyField("membership.Worker", blank=True, related_name="invention_contest_entries",
                                     verbose_name=_("inventors"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    award = models.CharField(_("award"), max_length=8, choices=Award.choices, blank=True, default="")

    class Meta:
        ordering = ["contest", "award", "title"]
        verbose_name = _("invention contest entry")
        verbose_name_plural = _("invention contest entries")

    def __str__(self) -> str:
        return self.title
