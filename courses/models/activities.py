"""EDU-6, EDU-7: thematic and culture activities and their registrations."""
from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope

from .catalogue import TargetGroup


class Activity(models.Model):
    """EDU-6 thematic activities (公益大讲堂, 演讲比赛, 知识竞赛, 征文) and EDU-7 culture events
    (职工艺术节, 职工运动会, 书画·摄影·音乐·舞蹈·健身 活动) with registration and results."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("Public lecture")
        SPEECH = "speech", _("Speech contest")
        KNOWLEDGE = "knowledge", _("Knowledge contest")
        ESSAY = "essay", _("Essay contest")
        ART_FESTIVAL = "art_festival", _("Workers' art festival")
        SPORTS = "sports", _("Workers' games")
        CULTURE = "culture", _("Culture event")

    SCOPE_FIELD = "unit"

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="activities", verbose_name=_("organising unit"))
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="activities", verbose_name=_("target groups"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    registration_open = models.BooleanField(_("open for registration"), default=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="activity_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class ActivityRegistration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ATTENDED = "attended", _("Took part")
        ABSENT = "absent", _("Absent")
        CANCELLED = "cancelled", _("Cancelled")

    # The organiser records participation and results of every registrant (EDU-6/7).
    SCOPE = Scope(owners=(Owner("unit"), Owner("activity__unit"), Owner("worker__unit", change=False)))

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("activity"))
    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="activity_registrations",
                               verbose_name=_("worker"))
    # The worker's unit when the fact happened: it keeps seeing and changing the fact after the
    # worker moves on (MEM-2). Indicators do not use it: they count by the unit at a year's end.
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit at the time"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    result = models.CharField(_("result"), max_length=50, blank=True, help_text=_("e.g. 一等奖, 优秀奖"))
    # EDU-6/7: a contest's score, recorded by the organiser and shown to the participant.
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("activity registration")
        verbose_name_plural = _("activity registrations")
        constraints = [models.UniqueConstraint(fields=["activity", "worker"], name="one_registration_per_worker_and_activity")]

    def __str__(self) -> str:
        return f"{self.worker.name} · {self.activity}"

    @property
    def outcome(self) -> str:
        """EDU-6/7: the result staff recorded, as the participant reads it (score and award)."""
        from django.utils.translation import gettext

        parts = [gettext("score %(score)s") % {"score": self.score}] if self.score is not None else []
        if self.result:
            parts.append(self.result)
        return " · ".join(parts)
