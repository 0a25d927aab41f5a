"""TAL-7: forums and observation events (论坛、观摩) of the exchange platform, with registration by
logged-in workers."""
from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope


class TalentEvent(models.Model):
    class Kind(models.TextChoices):
        FORUM = "forum", _("Forum")
        OBSERVATION = "observation", _("Observation event")

    SCOPE_FIELD = "unit"

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="talent_events",
                             verbose_name=_("organising unit"))
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    registration_open = models.BooleanField(_("open for registration"), default=True)
    public = models.BooleanField(_("public"), default=False,
                                 help_text=_("Show this event on the public talent pages."))

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("forum or observation event")
        verbose_name_plural = _("forums and observation events")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="talent_event_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class TalentEventRegistration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ATTENDED = "attended", _("Took part")
        CANCELLED = "cancelled", _("Cancelled")

    # As an activity's registration (EDU-6): the organiser and the worker's unit of the day
    # record it; the worker's present unit sees it.
    SCOPE = Scope(owners=(Owner("unit"), Owner("event__unit"), Owner("worker__unit", change=False)))

    event = models.ForeignKey(TalentEvent, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event"))
    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="talent_event_registrations",
                               verbose_name=_("worker"))
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit at the time"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [models.UniqueConstraint(fields=["event", "worker"], name="one_talent_registration_per_worker_and_event")]

    def __str__(self) -> str:
        return f"{self.worker.name} · {self.event}"
