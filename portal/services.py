from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from membership.models import User
from membership.services import worker_find_by_id_number

REGISTRATION_ATTEMPTS = 10
REGISTRATION_WINDOW = 15 * 60


def worker_account_register(*, name: str, id_number: str, username: str, password: str, address: str) -> User:
    """Bind a new log-in to the worker whose ID number and name match. The answer is the same
    whether the number is unknown, the name differs or the worker already has an account, and
    attempts per address are limited, so the form cannot be used to probe the registry."""
    key = f"worker-register:{address}"
    attempts = cache.get(key, 0)
    if attempts >= REGISTRATION_ATTEMPTS:
        raise ValidationError(_("Too many attempts from your address; try again in 15 minutes."))
    cache.set(key, attempts + 1, REGISTRATION_WINDOW)
    worker = worker_find_by_id_number(id_number=id_number)
    mismatch = ValidationError(_("No registered worker matches this name and ID number, or the worker already "
                                 "has an account. Ask your union to check your registration."))
    if worker is None or worker.name != name.strip() or User.objects.filter(worker=worker).exists():
        raise mismatch
    try:
        with transaction.atomic():
            user = User(username=username, first_name=worker.name, worker=worker, is_staff=False)
            user.set_password(password)
            user.save()
    except IntegrityError:
        raise mismatch from None
    return user
