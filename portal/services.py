"""Claiming a worker's account on the public site (EDU-8).

Step 1 takes the ID number, the name and the mobile number; only when all three match the roster
(and the worker has no account yet) is a six-digit code sent to the roster's mobile number. The
answer is the same either way, so the form cannot be used to probe the registry. Step 2 takes the
code and a password and creates the account. The log-in name is chosen by the portal, not the
worker: a worker who could pick one would learn from a refusal that it is taken, which tells an
outsider which staff and worker log-in names exist.
"""
from __future__ import annotations

import logging
import re
import secrets

from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core.counters import cache_count
from membership.models import User, Worker
from membership.services import worker_find_by_id_number

from .sms import SmsError, send_sms

logger = logging.getLogger(__name__)

REGISTRATION_ATTEMPTS = 10
REGISTRATION_WINDOW = 15 * 60
CLAIM_CODE_LIFETIME = 10 * 60
CLAIM_CODE_ATTEMPTS = 5
# One worker's phone gets at most this many codes an hour, whoever asks for them.
CLAIM_CODES_PER_WORKER = 3
CLAIM_CODES_WINDOW = 60 * 60


class RegistrationThrottled(Exception):
    """Too many registration requests from one client address."""


class InvalidClaimCode(ValidationError):
    pass


def registration_throttle(*, address: str) -> None:
    """Counts one registration request (either step) from ``address``; raises when over the limit."""
    key = f"worker-register:{address}"
    if cache_count(key, REGISTRATION_WINDOW) > REGISTRATION_ATTEMPTS:
        raise RegistrationThrottled


def phone_normalise(phone: str) -> str:
    """Digits only, without China's +86 / 0086: '+86 138-0013-8000' and '13800138000' are one number."""
    digits = re.sub(r"\D", "", phone or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix):]
    return digits


def _code_digest(token: str, code: str) -> str:
    # Keyed by SECRET_KEY: a copy of the cache alone cannot be searched for the million codes.
    return salted_hmac("portal.worker-claim", f"{token}:{code}").hexdigest()


def _claim_key(token: str) -> str:
    return f"worker-claim:{token}"


def _may_send_code(worker: Worker) -> bool:
    key = f"worker-claim-codes:{worker.pk}"
    return cache_count(key, CLAIM_CODES_WINDOW) <= CLAIM_CODES_PER_WORKER


def worker_claim_start(*, name: str, id_number: str, phone: str) -> str:
    """Step 1. Returns a claim token for the session whether or not anything matched; a code goes
    to the roster's mobile number only when name, ID number and mobile number all match.

    The code is made and sent by a Celery task queued when the request's transaction commits
    (worker_claim_code_send): a slow or failing SMS gateway would otherwise make the matching
    answer slower than the others, or a server error, and tell the asker that all three matched."""
    token = secrets.token_urlsafe(32)
    worker = worker_find_by_id_number(id_number=id_number)
    matches = (
        worker is not None
        and worker.name == name.strip()
        and phone_normalise(worker.phone) != ""
        and phone_normalise(worker.phone) == phone_normalise(phone)
        and not User.objects.filter(worker=worker).exists()
    )
    if matches and _may_send_code(worker):
        from .tasks import worker_claim_code_send_task

        worker_id = worker.pk
        transaction.on_commit(lambda: worker_claim_code_send_task.delay(token=token, worker_id=worker_id))
    return token


def worker_claim_code_send(*, token: str, worker_id: int) -> None:
    """Makes the one-time code for the claim ``token``, keeps only its keyed hash, and texts it to
    the worker's mobile number. The code is made here, in the worker process, so it never travels
    through the broker: the message holds only the claim token and the worker's id. A gateway
    that refuses is logged without the code or the number; the worker can ask for a new code."""
    worker = Worker.objects.filter(pk=worker_id).first()
    if worker is None or not worker.phone:
        return
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(_claim_key(token), {"worker_id": worker.pk, "digest": _code_digest(token, code)}, CLAIM_CODE_LIFETIME)
    try:
        send_sms(to=worker.phone, message=_(
            "Your registration code for the workers' learning portal is %(code)s. It is valid for 10 minutes. "
            "If you did not ask for it, ignore this message.") % {"code": code})
    except SmsError as error:
        cache.delete(_claim_key(token))
        logger.warning("The SMS gateway did not accept a registration code for worker %s: %s",
                       worker.pk, type(error).__name__)


def _username_new() -> str:
    return f"w{secrets.randbelow(10**8):08d}"


def worker_claim_complete(*, token: str, code: str, password: str) -> User:
    """Step 2: the code from the SMS and a password make the account, with a log-in name chosen
    here. Raises InvalidClaimCode for a wrong, expired or overused code (one answer for all), and
    ValidationError when the password fails the validators."""
    invalid = InvalidClaimCode(_("The code is wrong or has expired. Ask for a new code if you need one."))
    claim = cache.get(_claim_key(token)) if token else None
    if claim is None:
        raise invalid
    attempts_key = f"worker-claim-attempts:{token}"
    if cache_count(attempts_key, CLAIM_CODE_LIFETIME) > CLAIM_CODE_ATTEMPTS:
        cache.delete(_claim_key(token))
        raise invalid
    if not constant_time_compare(claim["digest"], _code_digest(token, code.strip())):
        raise invalid
    worker = Worker.objects.get(pk=claim["worker_id"])
    user = User(username=_username_new(), first_name=worker.name, worker=worker, is_staff=False)
    password_validation.validate_password(password, user=user)
    user.set_password(password)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            if User.objects.filter(worker=worker).exists():
                cache.delete(_claim_key(token))
                raise invalid from None
            user.pk, user.username = None, _username_new()
        else:
            cache.delete(_claim_key(token))
            return user
    raise invalid
