"""EDU-8, MEM-2: a worker who forgot their password and has no e-mail address gets a one-time code
from an officer of their unit's subtree, and sets a new password with it on the site.

The code is shown once, to the officer, who hands it over in person or by phone; only its hash is
stored (Django's password hasher, so a copy of the table does not give the codes away). It works
once, for CODE_LIFETIME, and after CODE_ATTEMPTS wrong tries it is spent. Issuing a new code
ends the open ones. Every code is a recorded row (who issued it to whom, when, and when it was
used), listed in the admin."""
from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import scoping
from .models import PasswordResetCode, User, Worker

CODE_LIFETIME = dt.timedelta(hours=24)
CODE_ATTEMPTS = 5
# Digits only, read out over the phone; ten of them, so five tries guess one in two billion.
CODE_DIGITS = 10


class InvalidResetCode(ValidationError):
    pass


def password_reset_code_issue(*, worker: Worker, by: User, address: str | None = None) -> tuple[str, PasswordResetCode]:
    """A new code for ``worker``'s account, for an officer who may change the worker. Returns the
    code (shown once, never stored) and its record."""
    if not by.has_perm("membership.change_worker"):
        raise PermissionDenied
    if not scoping.changeable_by(Worker.objects.filter(pk=worker.pk), by).exists():
        raise PermissionDenied
    account = User.objects.filter(worker=worker).first()
    if account is None:
        raise ValidationError(_("This worker has no account on the site yet: they register with their ID number "
                                "and the mobile number their union registered."))
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    now = timezone.now()
    with transaction.atomic():
        PasswordResetCode.objects.filter(account=account, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        record = PasswordResetCode.objects.create(
            worker=worker, account=account, unit_id=worker.unit_id, code_hash=make_password(code), issued_by=by,
            expires_at=now + CODE_LIFETIME, address=address)
    return code, record


def code_normalise(code: str) -> str:
    """Spaces and dashes a worker types while reading the code from a note are ignored."""
    return "".join(character for character in code if character.isdigit())


def password_reset_code_redeem(*, username: str, code: str, password: str) -> User:
    """Set ``password`` on the account named ``username`` if ``code`` is its open code. Raises
    InvalidResetCode (the same answer for an unknown name, a wrong, used or expired code) or
    ValidationError (the password fails the validators; the code stays open)."""
    refused = InvalidResetCode(_("The log-in name or the code is not right, or the code has expired or been used. "
                                 "Ask your union for a new code."))
    now = timezone.now()
    wrong = False
    with transaction.atomic():
        record = (PasswordResetCode.objects.select_for_update().select_related("account")
                  .filter(account__username=username.strip(), used_at__isnull=True, expires_at__gt=now,
                          failed_attempts__lt=CODE_ATTEMPTS).order_by("-issued_at").first())
        if record is None:
            raise refused
        if not check_password(code_normalise(code), record.code_hash):
            PasswordResetCode.objects.filter(pk=record.pk).update(failed_attempts=F("failed_attempts") + 1)
            wrong = True
        else:
            account = record.account
            password_validation.validate_password(password, account)
            account.set_password(password)
            account.save(update_fields=["password"])
            record.used_at = now
            record.save(update_fields=["used_at"])
    if wrong:
        # Raised after the block, so that the counted attempt is committed.
        raise refused
    from axes.utils import reset as axes_reset

    # A worker locked out by wrong passwords can log in with the new one at once.
    axes_reset(username=account.get_username())
    return account
