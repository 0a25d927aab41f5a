"""Log-in and permissions: Django's ModelBackend, with an account's permissions read in one query.

ModelBackend reads an account's own permissions and its groups' in two queries on the first
permission check of each request; every staff page, dashboard and API call checks one. Here one
statement answers both (the same "app_label.codename" strings; a superuser's are all of them, as
Django's), so that a page that is otherwise served from the cache costs one query less. The account of a
session comes with its unit, whose path is the account's scope (membership/scoping.py), and with its
permissions, read in the same statement only when the permissions version moved on since this
process kept them (``kept_permissions``): one statement for the account of every staff page."""
from __future__ import annotations

import functools

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from core import rows
from core.prepared import execute_prepared

from .models import Unit


def _granted_sql(user_id: str = "%s", select: str = 'ct."app_label", p."codename"') -> str:
    user_model = get_user_model()
    user_permissions = user_model._meta.get_field("user_permissions").remote_field.through._meta.db_table
    user_groups = user_model._meta.get_field("groups").remote_field.through._meta.db_table
    group_permissions = Group._meta.get_field("permissions").remote_field.through._meta.db_table
    permission, content_type = Permission._meta.db_table, ContentType._meta.db_table
    return (
        f'SELECT {select} FROM "{permission}" p '
        f'JOIN "{content_type}" ct ON ct."id" = p."content_type_id" '
        f'WHERE p."id" IN (SELECT "permission_id" FROM "{user_permissions}" WHERE "user_id" = {user_id}) '
        f'OR p."id" IN (SELECT gp."permission_id" FROM "{group_permissions}" gp '
        f'JOIN "{user_groups}" ug ON ug."group_id" = gp."group_id" WHERE ug."user_id" = {user_id})'
    )


_NAME = 'ct."app_label" || ' + "'.'" + ' || p."codename"'


def granted_names_sql(user_id: str) -> str:
    """An array of the account's ``"app_label.codename"`` strings, as :meth:`ModelBackend.get_all_permissions`
    reads them, for the account whose id is the SQL expression ``user_id``: for a statement that
    reads the account anyway (the API's token look-up), so that its permissions cost no query of
    their own. Give the answer to :func:`permissions_prime`."""
    return f"ARRAY({_granted_sql(user_id, select=_NAME)})"


# The number that every change to who holds which permission raises (membership 0020's triggers;
# PostgreSQL only), NULL where it is not kept.
PERMISSIONS_VERSION_SQL = '(SELECT "number" FROM "membership_permissions_version" WHERE "id" = 1)'


class KeptPermissions:
    """Accounts' permission names kept by this process between requests, each with the permissions
    version it was read at: good while the version is the same (membership 0020 raises it in the
    transaction of any change to an account's groups or permissions, a group's permissions, or a
    permission's name, so a statement that reads the version and the names together reads them in
    one snapshot). Keyed by whatever the caller looks the account up by (a token's key hash)."""

    LIMIT = 10_000

    def __init__(self):
        self._kept: dict = {}

    def expected(self, key) -> tuple[int | None, int | None]:
        """The version and account id that ``key``'s names were kept at, (None, None) if none."""
        kept = self._kept.get(key)
        return (kept[0], kept[1]) if kept is not None else (None, None)

    def names(self, key, user_id, version, names) -> frozenset | None:
        """The names for ``key``'s account ``user_id`` at ``version``: ``names`` when the
        statement read them (kept for next time), the kept ones when it did not (None)."""
        if names is None:
            kept = self._kept.get(key)
            if kept is None or kept[0] != version or kept[1] != user_id:
                return None
            return kept[2]
        names = frozenset(names)
        if version is not None:
            if len(self._kept) >= self.LIMIT:
                self._kept.clear()
            self._kept[key] = (version, user_id, names)
        return names

    def names_or_read(self, key, user_id, version, names) -> frozenset:
        """:meth:`names`, or, when the kept ones went in between (kept for another account, the
        version moved on, the process let them go), the names read now with the version."""
        found = self.names(key, user_id, version, names)
        if found is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {PERMISSIONS_VERSION_SQL}, {granted_names_sql('%s')}", [user_id, user_id])
                version, names = cursor.fetchone()
            found = self.names(key, user_id, version, names)
        return found


def permissions_prime(user_obj, names) -> None:
    """Keep ``names`` (from :func:`granted_names_sql`) as the account's permissions for this
    request, where get_all_permissions would have read them. A superuser's are all permissions,
    which that statement does not list: theirs are left to be read as before."""
    if user_obj.is_active and not user_obj.is_superuser:
        user_obj._perm_cache = set(names)


# The permissions of the accounts this process has served a session of, by account id.
kept_permissions = KeptPermissions()


@functools.cache
def _session_user_statement() -> str:
    """A session's account, its unit and its permissions in one statement, written once (the ORM
    built and compiled the account's select_related on every request, and the permissions were a
    statement of their own: issue 11, the leadership page). The names only when the permissions
    version is not the one this process kept them at for the account (the first two parameters);
    versions never repeat (membership 0021), so kept names cannot outlive a rolled-back change."""
    user_model = get_user_model()
    user_unit = user_model._meta.get_field("unit")
    names = granted_names_sql('u."id"')
    return (f'SELECT {", ".join([*rows.columns(user_model, "u"), *rows.columns(Unit, "n")])}, '
            f'{PERMISSIONS_VERSION_SQL}, '
            f'CASE WHEN {PERMISSIONS_VERSION_SQL} = %s AND u."id" = %s THEN NULL ELSE {names} END '
            f'FROM "{user_model._meta.db_table}" u '
            f'LEFT JOIN "{Unit._meta.db_table}" n ON n."id" = u."{user_unit.column}" '
            f'WHERE u."id" = %s')


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        if connection.vendor != "postgresql":
            # The embedded demo (SQLite): no version kept, no arrays; permissions read on first use.
            return self._get_user_orm(user_id)
        user_model = get_user_model()
        with connection.cursor() as cursor:
            # Kept prepared: planning the permissions' subquery costs about as much as running it.
            execute_prepared(cursor, "membership_session_user", _session_user_statement,
                             [*kept_permissions.expected(user_id), user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user, start = rows.from_row(user_model, row, 0)
        unit, start = rows.from_row(Unit, row, start)
        user_model._meta.get_field("unit").set_cached_value(user, unit if unit.pk is not None else None)
        if not self.user_can_authenticate(user):
            return None
        permissions_prime(user, kept_permissions.names_or_read(user.pk, user.pk, row[start], row[start + 1]))
        return user

    def _get_user_orm(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("unit").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                return super().get_all_permissions(user_obj, obj)
            with connection.cursor() as cursor:
                cursor.execute(_granted_sql(), [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}
        return user_obj._perm_cache
