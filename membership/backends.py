"""Log-in and permissions: Django's ModelBackend, with an account's permissions read in one query.

ModelBackend reads an account's own permissions and its groups' in two queries on the first
permission check of each request; every staff page, dashboard and API call checks one. Here one
statement answers both (the same "app_label.codename" strings; a superuser's are all of them, as
Django's), so that a page that is otherwise served from the cache costs one query less. The account of a
session comes with its unit, whose path is the account's scope (membership/scoping.py): one query
less again on every staff page."""
from __future__ import annotations

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


def _granted_sql() -> str:
    user_model = get_user_model()
    user_permissions = user_model._meta.get_field("user_permissions").remote_field.through._meta.db_table
    user_groups = user_model._meta.get_field("groups").remote_field.through._meta.db_table
    group_permissions = Group._meta.get_field("permissions").remote_field.through._meta.db_table
    permission, content_type = Permission._meta.db_table, ContentType._meta.db_table
    return (
        f'SELECT ct."app_label", p."codename" FROM "{permission}" p '
        f'JOIN "{content_type}" ct ON ct."id" = p."content_type_id" '
        f'WHERE p."id" IN (SELECT "permission_id" FROM "{user_permissions}" WHERE "user_id" = %s) '
        f'OR p."id" IN (SELECT gp."permission_id" FROM "{group_permissions}" gp '
        f'JOIN "{user_groups}" ug ON ug."group_id" = gp."group_id" WHERE ug."user_id" = %s)'
    )


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
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
