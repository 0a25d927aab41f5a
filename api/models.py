"""Issue 12: a token per external system (an enterprise's HR system, a district union's own system).

A token acts as a service account: a User bound to the token's unit and holding the token's role's
group, so every rule the admin applies (scoping by the unit's subtree, the role's permissions) applies
to the system unchanged. Only the SHA-256 of the key is stored; the key is shown once."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_RATE_PER_MINUTE = 6000


class ApiToken(models.Model):
    SCOPE_FIELD = "unit"

    name = models.CharField(_("system name"), max_length=100)
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="api_tokens",
                             verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=16)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_token",
                                editable=False, verbose_name=_("service account"))
    prefix = models.CharField(_("key prefix"), max_length=16, editable=False,
                              help_text=_("The first characters of the key, to tell tokens apart."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"), default=600,
        # A ceiling, so that no officer switches off the only throttle a system meets.
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RATE_PER_MINUTE)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
