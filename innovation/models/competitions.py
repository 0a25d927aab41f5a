"""INN-1 劳动竞赛: committees at three levels, competitions with their theme and works, the teams and
units taking part with their scores and results, and the 工人先锋号 titles a competition awards
(recorded as collective honours, see honours.Honour)."""
from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope


class CompetitionLevel(models.TextChoices):
    """INN-1: the three levels of competition committees (劳动竞赛委员会)."""

    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District, bureau or group company")
    ENTERPRISE = "enterprise", _("Enterprise or institution")


class CompetitionCommittee(models.Model):
    SCOPE_FIELD = "unit"

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=CompetitionLevel.choices)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="competition_committees",
                             verbose_name=_("unit"))
    established_on = models.DateField(_("established on"), null=True, blank=True)
    members = models.TextField(_("committee members"), blank=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("labour competition committee")
        verbose_name_plural = _("labour competition committees")

    def __str__(self) -> str:
        return self.name


class LabourCompetition(models.Model):
    """INN-1: one competition, run by a committee, on one theme, tied to a project or works."""

    class Theme(models.TextChoices):
        # 五比一创
        QUALITY = "quality", _("Compare project quality")
        SCHEDULE = "schedule", _("Compare construction schedule")
        INNOVATION = "innovation", _("Compare technical innovation")
        MANAGEMENT = "management", _("Compare scientific management")
        CIVILISED = "civilised", _("Compare civilised construction")
        HARMONY = "harmony", _("Create a harmonious team")
        ENERGY = "energy", _("I contribute to energy saving")
        SAFETY = "safety", _("Ankang Cup")

    # The committee's unit, stored on the competition so that scope is one join (CONVENTIONS).
    SCOPE_FIELD = "unit"

    committee = models.ForeignKey(CompetitionCommittee, on_delete=models.PROTECT, related_name="competitions",
                                  verbose_name=_("committee"))
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="labour_competitions",
                             verbose_name=_("organising unit"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices)
    works = models.CharField(_("project or works"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("labour competition")
        verbose_name_plural = _("labour competitions")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                              name="labour_competition_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.title}（{self.year}）"


class CompetitionEntry(models.Model):
    """INN-1: a team (or a whole unit) taking part, with its score and result. The organiser keeps
    the scores; the participating unit sees its own entries."""

    SCOPE = Scope(owners=(Owner("competition__unit"), Owner("unit", change=False)))

    competition = models.ForeignKey(LabourCompetition, on_delete=models.CASCADE, related_name="entries",
                                    verbose_name=_("competition"))
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="competition_entries",
                             verbose_name=_("participating unit"))
    team_name = models.CharField(_("team"), max_length=200, blank=True,
                                 help_text=_("Empty when the whole unit takes part."))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=100, blank=True)

    class Meta:
        ordering = ["competition", "rank", "id"]
        verbose_name = _("competition entry")
        verbose_name_plural = _("competition entries")
        constraints = [models.UniqueConstraint(fields=["competition", "unit", "team_name"],
                                               name="one_entry_per_team_and_competition")]

    def __str__(self) -> str:
        return self.team_name or str(self.unit)
