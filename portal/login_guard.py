"""Log-in lock-outs beyond django-axes' per (user name, address) counter (MEM-2).

axes counts failures per (user name, address) and compares the largest count with one limit, so it
cannot say "5 for one account from one address, but also 10 different accounts from one address".
This handler keeps axes' table and lock-out response and adds two rules read from that same table:

- password spraying: one address that failed for ``LOGIN_SPRAY_USERNAME_LIMIT`` different user
  names within the cool-off is locked for every user name;
- distributed guessing: one user name that failed ``LOGIN_ACCOUNT_FAILURE_LIMIT`` times from any
  addresses within the cool-off is locked from every address. Its owner gets back in without a
  CAPTCHA through their officer (``membership.services.user_login_lockout_reset``) or after the
  cool-off.
"""
from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.db.models import Sum


class GuardedDatabaseHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials: dict | None = None) -> bool:
        """Asked by axes' backend before it checks a password."""
        return super().is_locked(request, credentials) or self.is_guarded(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        # axes turns a failure into its lock-out response only from its own count; a failure
        # refused (or tipped over) by the rules below must get the same response.
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False) \
                and self.is_guarded(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def is_guarded(self, request, credentials: dict | None = None) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request),
                                              failures_since_start__gt=0)
        address = getattr(request, "axes_ip_address", None)
        if address:
            usernames = recent.filter(ip_address=address).values("username").distinct().count()
            if usernames >= settings.LOGIN_SPRAY_USERNAME_LIMIT:
                return True
        username = get_client_username(request, credentials)
        if username:
            failures = recent.filter(username=username).aggregate(total=Sum("failures_since_start"))["total"] or 0
            if failures >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
                return True
        return False
