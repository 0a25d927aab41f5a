"""Writes for API tokens (issue 12): create (the key returned once) and revoke."""
from __future__ import annotations

import hashlib
import secrets
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from membership import roles, scoping
from membership.services import staff_account_check

from .models import ApiToken

KEY_PREFIX = "cwq_"


def hash_key(key: str) -> str:
    # The key is 256 random bits: a plain SHA-256 cannot be brute-forced, and is cheap per request.
    return hashlib.sha256(key.encode()).hexdigest()


def token_check(*, by, unit, role: str) -> None:
    """Whether ``by`` may make a token for ``unit`` with ``role``: the same rules as giving a staff
    account that unit and role (MEM-2 分级建立) — the unit lies in ``by``'s subtree, the role holds
    no permission ``by`` lacks (a 二级 officer cannot mint a municipal token) and fits the unit's
    level in the tree. Raises ValidationError by field (``unit``, ``role``)."""
    if role not in roles.GROUPS:
        raise ValidationError({"role": [f"unknown role {role!r}"]})
    group = Group.objects.get_or_create(name=roles.GROUPS[role])[0]
    try:
        staff_account_check(by=by, account=None, unit=unit, groups=[group])
    except ValidationError as error:
        raise ValidationError({("role" if field == "groups" else field): messages
                               for field, messages in error.message_dict.items()}) from None


@transaction.atomic
def token_create(*, name: str, unit, role: str, by=None, rate_per_minute: int = 600) -> tuple[ApiToken, str]:
    """A new token and its key (the only time the key exists outside the caller). With ``by``, the
    rules of :func:`token_check` apply."""
    if role not in roles.GROUPS:
        raise ValueError(f"unknown role {role!r}")
    if by is not None:
        token_check(by=by, unit=unit, role=role)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    user = get_user_model().objects.create(username=f"api-{uuid.uuid4().hex[:20]}", unit=unit, is_staff=False,
                                           first_name=name[:150])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=roles.GROUPS[role])[0])
    token = ApiToken.objects.create(name=name, unit=unit, role=role, user=user, prefix=key[:12],
                                    key_hash=hash_key(key), created_by=by, rate_per_minute=rate_per_minute)
    return token, key


@transaction.atomic
def token_revoke(token: ApiToken, *, by=None) -> None:
    """Revoke at once: the service account is disabled in the same transaction, so the next request
    with the key is refused. ``by`` must reach the token's unit."""
    if by is not None and not scoping.unit_in_scope(by, token.unit):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    token.user.is_active = False
    token.user.save(update_fields=["is_active"])
