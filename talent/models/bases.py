"""TAL-5: high-skill talent demonstration bases (高技能人才示范基地) and workers' technical
associations (职工技协)."""
from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope

from .studios import RecognitionLevel


class DemonstrationBase(models.Model):
    """TAL-5: a base recognised at a level on a date and perhaps revoked later; in force on E when
    recognised on or before E and not revoked on E (IND-BASES counts the 市级 ones)."""

    SCOPE_FIELD = "unit"

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="demonstration_bases",
                             verbose_name=_("host unit"))
    level = models.PositiveSmallIntegerField(_("level"), choices=RecognitionLevel.choices)
    recognised_on = models.DateField(_("recognised on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    occupations = models.CharField(_("occupations trained"), max_length=200, blank=True, help_text=_("e.g. 数控车工、焊工"))
    introduction = models.TextField(_("introduction"), blank=True)
    public = models.BooleanField(_("public"), default=False,
                                 help_text=_("Show this base on the public talent pages."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("demonstration base")
        verbose_name_plural = _("demonstration bases")
        constraints = [models.CheckConstraint(condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("recognised_on")),
                                              name="demonstration_base_revoked_after_recognised")]
        indexes = [models.Index(fields=["level", "recognised_on"])]

    def __str__(self) -> str:
        return self.name


class TechAssociation(models.Model):
    """TAL-5: a workers' technical association (职工技协) run by a unit, with member units. The
    running unit keeps it; each member unit sees it."""

    SCOPE = Scope(owners=(Owner("unit"), Owner("member_units", change=False)))

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="tech_associations",
                             verbose_name=_("running unit"))
    member_units = models.ManyToManyField("membership.Unit", blank=True, related_name="tech_association_memberships",
                                          verbose_name=_("member units"))
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    public = models.BooleanField(_("public"), default=False,
                                 help_text=_("Show this association on the public talent pages."))

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("technical association")
        verbose_name_plural = _("technical associations")

    def __str__(self) -> str:
        return self.name
