from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Upload(models.Model):
    """UPL-5: the audit trail of every spreadsheet, its preview and its outcome."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PREVIEWING = "previewing", _("Checking")
        PREVIEWED = "previewed", _("Preview ready")
        COMMITTING = "committing", _("Writing")
        COMMITTED = "committed", _("Written")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")

    SCOPE_FIELD = "unit"

    kind = models.CharField(_("kind"), max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploads", verbose_name=_("uploaded by")
    )
    # The uploader's unit at upload time: it scopes who may see this record.
    unit = models.ForeignKey(
        "membership.Unit", on_delete=models.PROTECT, related_name="uploads", verbose_name=_("unit"), null=True
    )
    file = models.FileField(_("file"), upload_to="uploads/%Y/%m/", max_length=300)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.BigIntegerField(_("file size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    message = models.TextField(_("message"), blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    written = models.PositiveIntegerField(_("written"), default=0)
    # [{"row": 5, "errors": [["身份证号", "…"]], "values": "<encrypted cells>"}], the rejected rows.
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    # The preview's updated rows and what changes in each (issue 8), ID numbers masked:
    # [{"row": 5, "label": "张三（110105********002X）", "changes": [["岗位", "焊工", "车工"]]}].
    changes = models.JSONField(_("changes"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    previewed_at = models.DateTimeField(_("previewed at"), null=True, blank=True)
    committed_at = models.DateTimeField(_("written at"), null=True, blank=True)
    # UPL-2: a preview or commit is claimed (claimed_at), then run by one process, which proves
    # it is alive by beating (heartbeat_at); uploads.services.upload_sweep fails a run whose
    # process died. attempts counts the runs of the current claim (a redelivered task re-runs it).
    # queued_at: when the broker accepted the claim's task; a queued claim may wait behind a
    # backlog of commits for long, so the sweep gives it far longer than one run in a request.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        ordering = ["-created_at"]
        permissions = [("export_upload", _("Can export upload records"))]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.PREVIEWED, self.Status.COMMITTED, self.Status.REFUSED, self.Status.FAILED}


class RejectedRowsReveal(models.Model):
    """MEM-4: a download of an upload's rejected rows with full ID numbers by someone other than
    its uploader (a holder of the reveal permission): who, which file, when, from where."""

    SCOPE_FIELD = "upload__unit"

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="reveals", verbose_name=_("upload"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    revealed_at = models.DateTimeField(_("revealed at"), auto_now_add=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("rejected rows reveal")
        verbose_name_plural = _("rejected rows reveals")
        ordering = ["-revealed_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.upload}"
