"""INN-6 the honours ladder (五(二)3): individual 经济技术创新标兵 → 首席员工 / 创新工作室带头人 →
北京市劳动奖章 → 北京市劳动模范; collective 工人先锋号 → 北京市劳动奖状. Each honour is recorded with
its level and date; who is eligible for the next rung is read from them (selectors.honours)."""
from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Rung(models.TextChoices):
    INNOVATION_STAR = "innovation_star", _("Economic and technical innovation pacesetter")
    CHIEF_EMPLOYEE = "chief_employee", _("Chief employee")
    STUDIO_LEADER = "studio_leader", _("Innovation studio leader")
    LABOUR_MEDAL = "labour_medal", _("Beijing Labour Medal")
    MODEL_WORKER = "model_worker", _("Beijing Model Worker")
    PIONEER_TEAM = "pioneer_team", _("Workers' Pioneer")
    LABOUR_AWARD = "labour_award", _("Beijing Labour Certificate of Merit")


COLLECTIVE_RUNGS = (Rung.PIONEER_TEAM, Rung.LABOUR_AWARD)


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District, bureau or industry")
    ENTERPRISE = "enterprise", _("Enterprise")


class Honour(models.Model):
    """One honour: to a worker (individual rungs) or to a team of a unit (collective rungs). The
    unit is the holder's unit when it was awarded (a worker who moves keeps their honours, and the
    unit that honoured them keeps the record)."""

    SCOPE_FIELD = "unit"

    rung = models.CharField(_("honour"), max_length=16, choices=Rung.choices)
    level = models.CharField(_("level"), max_length=16, choices=HonourLevel.choices)
    awarded_on = models.DateField(_("awarded on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="honours", verbose_name=_("worker"))
    team_name = models.CharField(_("team"), max_length=200, blank=True)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="honours",
                             verbose_name=_("unit"))
    # INN-1: a 工人先锋号 title a labour competition awarded.
    competition = models.ForeignKey("innovation.LabourCompetition", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="pioneer_titles", verbose_name=_("labour competition"))
    awarded_by = models.CharField(_("awarded by"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-awarded_on", "id"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        indexes = [models.Index(fields=["rung", "worker"]), models.Index(fields=["rung", "unit", "team_name"])]
        permissions = [("export_honour", _("Can export the honours ladder"))]
        constraints = [
            # An individual rung names a worker; a collective rung names a team instead.
            models.CheckConstraint(
                condition=(Q(rung__in=COLLECTIVE_RUNGS, worker__isnull=True) & ~Q(team_name=""))
                | (~Q(rung__in=COLLECTIVE_RUNGS) & Q(worker__isnull=False)),
                name="honour_holder_matches_rung"),
            models.CheckConstraint(condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("awarded_on")),
                                   name="honour_revoked_after_award"),
            models.UniqueConstraint(fields=["rung", "worker", "awarded_on"], condition=Q(worker__isnull=False),
                                    name="one_individual_honour_per_day"),
            models.UniqueConstraint(fields=["rung", "unit", "team_name", "awarded_on"], condition=Q(worker__isnull=True),
                                    name="one_collective_honour_per_day"),
        ]

    def __str__(self) -> str:
        holder = self.worker.name if self.worker_id else self.team_name
        return f"{holder} · {self.get_rung_display()}（{self.awarded_on:%Y-%m-%d}）"
