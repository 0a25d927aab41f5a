"""EDU-8, EDU-9: the lifelong learning record and the credit bank — training records, credit rules,
conversions, pilot enterprises and the credit ledger."""
from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope

from .catalogue import Course


class TrainingRecord(models.Model):
    """UPL-6, EDU-8: a completion of an enterprise's own training, uploaded by its union."""

    class Kind(models.TextChoices):
        KNOWLEDGE_UPDATE = "knowledge_update", _("Knowledge-update education")
        SKILLS = "skills", _("Skills training")
        JOB = "job", _("Job training")
        SAFETY = "safety", _("Safety training")
        ACADEMIC = "academic", _("Academic education")
        OTHER = "other", _("Other")

    SCOPE = Scope(owners=(Owner("unit"), Owner("worker__unit", change=False)))

    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="training_records",
                               verbose_name=_("worker"), db_index=False)
    # The worker's unit when the fact happened: it keeps seeing and changing the fact after the
    # worker moves on (MEM-2). Indicators do not use it: they count by the unit at a year's end.
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit at the time"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, null=True, blank=True, related_name="training_records",
                               verbose_name=_("course"))
    project = models.CharField(_("training project"), max_length=200)
    kind = models.CharField(_("training type"), max_length=20, choices=Kind.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    completed_on = models.DateField(_("completed on"), db_index=True)
    result = models.CharField(_("result"), max_length=20, blank=True)
    institution = models.CharField(_("training institution"), max_length=200, blank=True)
    upload = models.ForeignKey("uploads.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("upload"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-completed_on", "id"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        # The list's order as an index: a page of the newest records in scope is read in order and
        # stops after the page (issue 13), with no sort of every record in scope.
        # Its owners' columns included: the ids of a page come from the index alone.
        indexes = [models.Index(fields=["-completed_on", "id"], include=["unit", "worker"],
                                name="training_record_list_order"),
        # A worker's records of a year, from the index alone: the indicators' drill-down asks it of
        # each worker of a district (IND-TRAINED-SHARE, ~208,000 probes at city scale). It stands in
        # for the worker column's own index, so writes keep the same number of indexes.
                   models.Index(fields=["worker", "completed_on"], name="training_record_worker_day")]
        constraints = [
            # The natural key of a re-uploaded row: the same person, project and day is one record.
            models.UniqueConstraint(fields=["worker", "project", "completed_on"], name="one_record_per_worker_project_day"),
        ]

    def __str__(self) -> str:
        return f"{self.worker.name} · {self.project}"

    def clean(self):
        # The rules the training upload applies to the same fact (courses/upload_kinds.py), for every
        # other path — the admin's form and the API through training_record_create — too.
        super().clean()
        errors = {}
        hours = self.hours if isinstance(self.hours, Decimal) else None  # else clean_fields reports the value
        if hours is not None and (not (0 < hours <= 2000) or hours.as_tuple().exponent < -1):
            errors["hours"] = _("Hours are a number above 0 with at most one decimal, e.g. 16 or 2.5")
        if isinstance(self.completed_on, dt.date) and self.completed_on > timezone.localdate():
            errors["completed_on"] = _("The completion date lies in the future")
        if errors:
            raise ValidationError(errors)


class CreditRule(models.Model):
    """EDU-9 学分当量替换: how many credits a source is worth, from a date. Municipal staff edit
    the rules; an item earns credits by the rule in force on the day it was earned."""

    class Source(models.TextChoices):
        COURSE = "course", _("Course completed in the portal")
        TRAINING = "training", _("Uploaded training completion")
        CERTIFICATE = "certificate", _("Skill certificate")
        ACTIVITY = "activity", _("Activity participation")
        COURSEWARE = "courseware", _("Courseware completed")
        COMPETITION = "competition", _("Skills competition")
        HONOUR = "honour", _("Honour")
        PROPOSAL = "proposal", _("Adopted rationalisation proposal")

    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    use_course_credits = models.BooleanField(_("use the course's own credits"), default=False)
    credits_per_hour = models.DecimalField(_("credits per hour"), max_digits=5, decimal_places=3, default=0)
    credits_each = models.DecimalField(_("credits per item"), max_digits=5, decimal_places=1, default=0)
    cap_per_year = models.DecimalField(_("cap per year"), max_digits=6, decimal_places=1, null=True, blank=True)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["source", "-valid_from"]
        verbose_name = _("credit rule")
        verbose_name_plural = _("credit rules")

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.valid_from}"


class CreditConversion(models.Model):
    """EDU-9: credits converted toward academic education at a partner institution."""

    SCOPE = Scope(owners=(Owner("unit"), Owner("worker__unit", change=False)))

    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="credit_conversions",
                               verbose_name=_("worker"))
    # The worker's unit when the fact happened: it keeps seeing and changing the fact after the
    # worker moves on (MEM-2). Indicators do not use it: they count by the unit at a year's end.
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit at the time"))
    institution = models.CharField(_("partner institution"), max_length=200)
    programme = models.CharField(_("programme"), max_length=200)
    credits = models.DecimalField(_("credits"), max_digits=6, decimal_places=1)
    converted_on = models.DateField(_("converted on"))

    class Meta:
        ordering = ["-converted_on"]
        verbose_name = _("credit conversion")
        verbose_name_plural = _("credit conversions")
        constraints = [models.CheckConstraint(condition=Q(credits__gt=0), name="conversion_credits_positive")]

    def __str__(self) -> str:
        return f"{self.worker.name} · {self.institution} · {self.credits}"


class CreditPilot(models.Model):
    """EDU-9, IND-CREDIT-PILOTS: enterprises piloting the credit bank, by year (+1–2 a year). The
    ledger writes credits only for learning done in a pilot unit (or a unit below it) from its
    ``year`` on; other learning is recorded without credits."""

    SCOPE_FIELD = "unit"

    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="credit_pilots",
                             verbose_name=_("enterprise"))
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "unit"]
        verbose_name = _("credit-bank pilot enterprise")
        verbose_name_plural = _("credit-bank pilot enterprises")
        constraints = [models.UniqueConstraint(fields=["unit"], name="one_pilot_entry_per_enterprise")]

    def __str__(self) -> str:
        return f"{self.unit.name}（{self.year}）"


class CreditAccount(models.Model):
    """EDU-9 学分银行: a worker's balance, kept beside the ledger. Every ledger write locks this row
    first and moves ``balance`` with F() in the same transaction, so writes for one worker take
    turns and the CHECK refuses a conversion that would spend credits the worker does not have,
    however many run at once."""

    worker = models.OneToOneField("membership.Worker", on_delete=models.PROTECT, related_name="credit_account",
                                  verbose_name=_("worker"))
    balance = models.DecimalField(_("balance"), max_digits=8, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("credit account")
        verbose_name_plural = _("credit accounts")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="credit_balance_never_negative")]

    def __str__(self) -> str:
        return f"{self.worker_id} · {self.balance}"


class CreditEntry(models.Model):
    """EDU-8/EDU-9: one dated line of the learning record's credit bank. Written only by
    ``courses.ledger`` and never changed afterwards: a later edit of the course, the rule or the
    source row leaves the credits earned then as they were."""

    class Source(models.TextChoices):
        COURSE = "course", _("Class completion")
        TRAINING = "training", _("Training record")
        COURSEWARE = "courseware", _("Courseware completion")
        ACTIVITY = "activity", _("Activity participation")
        CERTIFICATE = "certificate", _("Skill certificate")
        COMPETITION = "competition", _("Skills competition")
        HONOUR = "honour", _("Honour")
        PROPOSAL = "proposal", _("Adopted rationalisation proposal")
        CONVERSION = "conversion", _("Conversion to academic credits")

    SCOPE_FIELD = "unit"

    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="credit_entries",
                               verbose_name=_("worker"))
    # The worker's unit when the entry was written: a transfer later does not move it.
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="credit_entries",
                             verbose_name=_("unit at the time"))
    earned_on = models.DateField(_("date earned"), db_index=True)
    source_kind = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # What earned (or spent) the credits: the enrolment, training record, conversion … of any app.
    source_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("source type"))
    source_id = models.PositiveBigIntegerField(_("source id"))
    cause = models.CharField(_("cause"), max_length=300)
    rule = models.ForeignKey(CreditRule, on_delete=models.PROTECT, null=True, blank=True, related_name="entries",
                             verbose_name=_("credit rule in force"))
    credits = models.DecimalField(_("credits"), max_digits=6, decimal_places=1)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-earned_on", "-id"]
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit entries")
        indexes = [models.Index(fields=["worker", "source_kind", "earned_on"]),
                   # The ledger list's order (issue 13): a page is read in order, never sorted.
                   models.Index(fields=["-earned_on", "-id"], include=["unit"], name="credit_entry_list_order")]
        constraints = [
            # One source earns once: a re-upload or a second completion finds its entry.
            models.UniqueConstraint(fields=["source_type", "source_id"], name="one_credit_entry_per_source"),
            # Earning adds (a capped item adds 0), only a conversion spends.
            models.CheckConstraint(condition=(Q(source_kind="conversion") & Q(credits__lt=0))
                                   | (~Q(source_kind="conversion") & Q(credits__gte=0)),
                                   name="credit_entry_sign_follows_source"),
        ]
        # Append-only in the database too (PostgreSQL): no path rewrites a credit once earned.
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.earned_on} · {self.cause} · {self.credits}"


def _transcript_code() -> str:
    return secrets.token_hex(6).upper()


class TranscriptIssue(models.Model):
    """EDU-8: one PDF transcript as it was issued. Its code, printed on the PDF, is confirmed on the
    public certificate-check page; ``digest`` (SHA-256 of the listed items and sums) lets staff tell
    whether a presented transcript matches what was issued."""

    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="transcript_issues",
                               verbose_name=_("worker"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    code = models.CharField(_("verification code"), max_length=16, unique=True, default=_transcript_code, editable=False)
    digest = models.CharField(_("content digest"), max_length=64)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("issued transcript")
        verbose_name_plural = _("issued transcripts")

    def __str__(self) -> str:
        return self.code
