"""TAL-6: skills competitions (职业技能大赛), their results and the winners' fast track."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope

from .certificates import Occupation, SkillCertificate, SkillLevel


class CompetitionLevel(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")
    ENTERPRISE = "enterprise", _("Enterprise")


class Competition(models.Model):
    """TAL-6: one skills competition, owned by its organising unit."""

    SCOPE_FIELD = "organiser"

    code = models.CharField(_("competition code"), max_length=40, unique=True)
    name = models.CharField(_("competition name"), max_length=200)
    level = models.CharField(_("competition level"), max_length=16, choices=CompetitionLevel.choices)
    organiser = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="competitions",
                                  verbose_name=_("organising unit"))
    # 人力社保局, 经信委 …: bodies outside the union tree, so text.
    co_organisers = models.CharField(_("co-organisers"), max_length=300, blank=True)
    # IND-COMP-INDUSTRIES counts distinct divisions (GB/T 4754-2017, two digits).
    industry = models.ForeignKey("membership.Industry", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("industry"), limit_choices_to={"section__isnull": False})
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="competitions",
                                   verbose_name=_("occupation"))
    year = models.PositiveSmallIntegerField(_("year"))
    series = models.CharField(_("brand series"), max_length=100, blank=True)
    # TAL-7: only what the organiser marks public shows on the 技术英才网.
    is_public = models.BooleanField(_("shown on the public site"), default=False)
    upload = models.ForeignKey("uploads.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("upload"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("skills competition")
        verbose_name_plural = _("skills competitions")
        indexes = [models.Index(fields=["year", "industry"], name="competition_year_industry")]
        constraints = [models.CheckConstraint(condition=Q(year__gte=1949) & Q(year__lte=2100),
                                              name="competition_year_plausible")]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class QualifyingAward(models.Model):
    """TAL-6 fast track: an award at a competition level that earns a recommendation for the next
    skill level. Data municipal staff edit; seeded with 一、二、三等奖 at 市级."""

    level = models.CharField(_("competition level"), max_length=16, choices=CompetitionLevel.choices)
    award = models.CharField(_("award"), max_length=50)

    class Meta:
        ordering = ["level", "award"]
        verbose_name = _("qualifying award")
        verbose_name_plural = _("qualifying awards")
        constraints = [models.UniqueConstraint(fields=["level", "award"], name="one_qualifying_award_per_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.award}"


class CompetitionResult(models.Model):
    """TAL-6: one entrant's rank and award. Owned by the organiser (who records it) and seen by
    the entrant's unit at the time and by the entrant's unit of today."""

    SCOPE = Scope(owners=(Owner("competition__organiser"), Owner("unit", change=False),
                          Owner("worker__unit", change=False)))

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="results",
                                    verbose_name=_("competition"))
    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="competition_results",
                               verbose_name=_("entrant"))
    # The entrant's unit when the result was recorded (MEM-2).
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("entrant's unit at the time"))
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    award = models.CharField(_("award"), max_length=50, blank=True)
    upload = models.ForeignKey("uploads.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("upload"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["competition", "rank", "id"]
        verbose_name = _("competition result")
        verbose_name_plural = _("competition results")
        constraints = [models.UniqueConstraint(fields=["competition", "worker"], name="one_result_per_entrant")]

    def __str__(self) -> str:
        return f"{self.competition.name} · {self.worker.name} · {self.award or self.rank or ''}"


class FastTrackRecommendation(models.Model):
    """TAL-6 fast track: a qualifying result recommends its entrant for the next skill level; the
    first certificate at that level (or better) for the worker fulfils it."""

    SCOPE = Scope(owners=(Owner("result__competition__organiser", change=False), Owner("unit"),
                          Owner("worker__unit", change=False)))

    result = models.OneToOneField(CompetitionResult, on_delete=models.CASCADE, related_name="recommendation",
                                  verbose_name=_("competition result"))
    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="fast_track_recommendations",
                               verbose_name=_("worker"))
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit at the time"))
    # The day the entrant's level was read: the competition's year end, or the day of recording if
    # sooner. Only a certificate issued from that day on can fulfil the recommendation.
    level_on = models.DateField(_("level read on"))
    # None: the worker had no certificate, so the first level (5) is recommended.
    level_before = models.PositiveSmallIntegerField(_("level before"), choices=SkillLevel.choices, null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("recommended level"), choices=SkillLevel.choices)
    created_at = models.DateTimeField(_("recommended at"), auto_now_add=True)
    fulfilled_by = models.ForeignKey(SkillCertificate, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("fulfilled by"))
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)

    class Meta:
        ordering = ["fulfilled_on", "-created_at"]
        verbose_name = _("fast-track recommendation")
        verbose_name_plural = _("fast-track recommendations")
        indexes = [models.Index(fields=["worker", "fulfilled_on"], name="fasttrack_worker_open")]

    def __str__(self) -> str:
        return f"{self.worker.name} → {self.get_level_display()}"
