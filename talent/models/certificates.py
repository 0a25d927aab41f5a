"""TAL-1, TAL-2: skill certificates (职业技能鉴定/等级认证) and the occupations they are issued for."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope


class Occupation(models.Model):
    """TAL-1: one occupation of the national catalogue (国家职业资格目录), seeded by a data migration;
    municipal staff may add more."""

    name = models.CharField(_("occupation"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return self.name


class SkillLevel(models.IntegerChoices):
    """TAL-1: the five national skill levels; a lower number is the higher level."""

    SENIOR_TECHNICIAN = 1, _("Senior technician (level 1)")
    TECHNICIAN = 2, _("Technician (level 2)")
    SENIOR_WORKER = 3, _("Senior worker (level 3)")
    INTERMEDIATE_WORKER = 4, _("Intermediate worker (level 4)")
    JUNIOR_WORKER = 5, _("Junior worker (level 5)")


class SkillCertificate(models.Model):
    """TAL-1: one vocational qualification certificate. Certificates are never replaced by a newer
    one: an earlier or expired certificate stays as the worker's history (动态管理), and the level
    on a date is computed from all of them (talent.selectors.certificates)."""

    # A fact's unit (MEM-2): the worker's unit when the certificate was recorded keeps seeing and
    # changing it; the worker's unit of today sees it too.
    SCOPE = Scope(owners=(Owner("unit"), Owner("worker__unit", change=False)))

    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="skill_certificates",
                               verbose_name=_("worker"))
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit at the time"))
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="certificates",
                                   verbose_name=_("occupation"))
    level = models.PositiveSmallIntegerField(_("skill level"), choices=SkillLevel.choices)
    # TAL-1: unique city-wide, the natural key of the certificates upload.
    number = models.CharField(_("certificate number"), max_length=64, unique=True)
    issuer = models.CharField(_("issuing authority"), max_length=200)
    issued_on = models.DateField(_("issue date"))
    # 有效期至: valid through this day inclusive; empty means no expiry.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    upload = models.ForeignKey("uploads.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("upload"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("skill certificate")
        verbose_name_plural = _("skill certificates")
        indexes = [
            # The level on a date: each worker's certificates, best first, covering the validity too,
            # so that finding a worker's best certificate (and whether a better one exists) reads
            # the index only (talent.selectors.certificates.best_certificates_on).
            models.Index(fields=["worker", "level", "-issued_on", "-id"], include=["valid_until"],
                         name="skillcert_worker_best"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="skillcert_level_1_to_5"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("issued_on")),
                                   name="skillcert_valid_after_issue"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.occupation} · {self.get_level_display()}"

    def clean(self):
        # The certificates upload's rule (talent/upload_kinds.py) for every other path: the admin and the API.
        super().clean()
        if isinstance(self.issued_on, dt.date) and self.issued_on > timezone.localdate():
            raise ValidationError({"issued_on": _("The issue date lies in the future")})


class TalentRecord(SkillCertificate):
    """TAL-2 技能人才库: the skilled-talent database, one row per certified worker — their best
    certificate valid today (talent.selectors.certificates.talent_database). Read-only: kept per
    unit subtree by the worker's unit of today; the certificates themselves are changed as
    SkillCertificate."""

    SCOPE = Scope(owners=(Owner("worker__unit", change=False),))

    class Meta:
        proxy = True
        verbose_name = _("skilled-talent database entry")
        verbose_name_plural = _("skilled-talent database")
        permissions = [("export_talentrecord", _("Can export the skilled-talent database"))]
