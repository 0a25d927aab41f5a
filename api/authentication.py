"""``Authorization: Token <key>`` (or ``Bearer <key>``) for systems; the portal's own pages use the
session (DRF's SessionAuthentication, which enforces CSRF)."""
from __future__ import annotations

import datetime as dt
import functools

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from core import rows
from core.prepared import execute_prepared
from membership import backends
from membership.models import Unit

from .models import ApiToken
from .services import hash_key

LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


@functools.cache
def _token_statement() -> str:
    """The token, its account, the account's unit and the account's permissions in one statement,
    written once: the ORM's select_related built and compiled the same statement on every request
    (a third of a small page's own time, bench/api.py), and the permissions cost a query of their
    own (membership/backends.py). The permissions' names only when the permissions version is
    not the one this process kept them at for this token's account (its first two parameters):
    reading an account's 225 names cost 1.2 of the statement's 1.5 ms on a loaded machine."""
    user_model = get_user_model()
    columns = [*rows.columns(ApiToken, "t"), *rows.columns(user_model, "u"), *rows.columns(Unit, "n")]
    token_user, user_unit = ApiToken._meta.get_field("user"), user_model._meta.get_field("unit")
    permissions = backends.granted_names_sql('u."id"')
    version = backends.PERMISSIONS_VERSION_SQL
    return (f'SELECT {", ".join(columns)}, {version}, '
            f'CASE WHEN {version} = %s AND u."id" = %s THEN NULL ELSE {permissions} END '
            f'FROM "{ApiToken._meta.db_table}" t '
            f'JOIN "{user_model._meta.db_table}" u ON u."id" = t."{token_user.column}" '
            f'LEFT JOIN "{Unit._meta.db_table}" n ON n."id" = u."{user_unit.column}" '
            f'WHERE t."key_hash" = %s')


# The permissions of the accounts whose tokens this process has seen (membership/backends.py).
kept_permissions = backends.KeptPermissions()


def token_by_key_hash(key_hash: str) -> ApiToken | None:
    """The token of ``key_hash`` with its account (``token.user``), the account's unit
    (``token.user.unit``, which scoping reads the subtree's path from) and the account's
    permissions kept for the request, as ``select_related("user__unit")`` would give them."""
    if connection.vendor != "postgresql":
        # The embedded demo (SQLite): no arrays; the ORM's way, permissions read on first use.
        return ApiToken.objects.select_related("user__unit").filter(key_hash=key_hash).first()
    with connection.cursor() as cursor:
        # Kept prepared: planning the statement (its permissions' subquery) took PostgreSQL longer
        # than running it, on every request.
        execute_prepared(cursor, "api_token_by_key_hash", _token_statement(),
                         [*kept_permissions.expected(key_hash), key_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    token, start = rows.from_row(ApiToken, row, 0)
    user, start = rows.from_row(get_user_model(), row, start)
    unit, start = rows.from_row(Unit, row, start)
    if unit.pk is None:  # no unit: the outer join's empty columns
        unit = None
    user_unit = get_user_model()._meta.get_field("unit")
    user_unit.set_cached_value(user, unit)
    token_user = ApiToken._meta.get_field("user")
    token_user.set_cached_value(token, user)
    token_user.remote_field.set_cached_value(user, token)
    version, names = row[start], row[start + 1]
    backends.permissions_prime(user, kept_permissions.names_or_read(key_hash, user.pk, version, names))
    return token


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Token, with one space."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = token_by_key_hash(hash_key(key))
        if token is None or token.revoked_at is not None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid or has been revoked."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return "Token"
