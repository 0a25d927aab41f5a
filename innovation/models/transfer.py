"""INN-5 成果转化: fairs and exhibitions with the achievements shown, and registered technology
contracts (技术合同登记) with their parties and amounts."""
from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .achievements import Achievement


class TransferEvent(models.Model):
    class Kind(models.TextChoices):
        PATENT_FAIR = "patent_fair", _("Patent technology fair")
        TRADE_FAIR = "trade_fair", _("Innovation trade fair")
        EXHIBITION = "exhibition", _("Workers' innovation exhibition")

    SCOPE_FIELD = "unit"

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="transfer_events",
                             verbose_name=_("organising unit"))
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    achievements = models.ManyToManyField(Achievement, blank=True, related_name="transfer_events",
                                          verbose_name=_("achievements shown"))

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("fair or exhibition")
        verbose_name_plural = _("fairs and exhibitions")

    def __str__(self) -> str:
        return self.title


class TechnologyContract(models.Model):
    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("Technology transfer")
        CONSULTING = "consulting", _("Technical consulting")
        SERVICE = "service", _("Technical service")

    SCOPE_FIELD = "unit"

    number = models.CharField(_("registration number"), max_length=40, unique=True)
    kind = models.CharField(_("contract type"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("contract name"), max_length=200)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="technology_contracts",
                             verbose_name=_("registering unit"))
    achievement = models.ForeignKey(Achievement, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="contracts", verbose_name=_("achievement"))
    provider = models.CharField(_("provider (seller)"), max_length=200)
    client = models.CharField(_("client (buyer)"), max_length=200)
    amount = models.DecimalField(_("amount (10,000 yuan)"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal(0))])
    signed_on = models.DateField(_("signed on"))
    registered_on = models.DateField(_("registered on"))

    class Meta:
        ordering = ["-registered_on", "number"]
        verbose_name = _("technology contract")
        verbose_name_plural = _("technology contracts")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="contract_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
