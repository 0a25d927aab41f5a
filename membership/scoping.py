"""MEM-2: the one place that decides which rows a user may see or change.

Every scoped model names the path to its owning unit in ``SCOPE_FIELD`` ("" for Unit itself).
"This user's rows" is then one ``<field>__path__startswith`` filter on the materialised path. The
admin, exports, uploads, commands and the API all call :func:`visible_to`; nothing else filters by
unit on its own. A user without a unit sees nothing (fail closed); a superuser sees everything.
"""
from __future__ import annotations

from django.db import models

from .models import Unit

# Group names are data that staff read in the admin, so they are Chinese.
MUNICIPAL_GROUP = "市总工会工作人员"
LEVEL1_GROUP = "一级单位工作人员"
LEVEL2_GROUP = "二级单位工作人员"
LEADERSHIP_GROUP = "领导小组（只读）"


class NotScoped(LookupError):
    """The model has no SCOPE_FIELD: it is global reference data, not unit data."""


def scope_field(model: type[models.Model]) -> str:
    try:
        return model.SCOPE_FIELD
    except AttributeError:
        raise NotScoped(model._meta.label) from None


def is_scoped(model: type[models.Model]) -> bool:
    return hasattr(model, "SCOPE_FIELD")


def user_root_path(user) -> str | None:
    """The path prefix of the user's subtree, "" for everything, None for nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return None
    cached = getattr(user, "_scope_path", None)
    if cached is None:
        cached = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
        user._scope_path = cached
    return cached


def path_lookup(model: type[models.Model]) -> str:
    field = scope_field(model)
    return f"{field}__path__startswith" if field else "path__startswith"


def visible_to(queryset: models.QuerySet, user) -> models.QuerySet:
    """The rows of ``queryset`` that lie in the user's subtree."""
    root = user_root_path(user)
    if root is None:
        return queryset.none()
    if root == "":
        return queryset
    return queryset.filter(**{path_lookup(queryset.model): root})


def unit_in_scope(user, unit: Unit | None) -> bool:
    root = user_root_path(user)
    if root is None or unit is None:
        return False
    return unit.path.startswith(root)


def path_checker(user):
    """A fast predicate for many paths (uploads check every row)."""
    root = user_root_path(user)
    if root is None:
        return lambda path: False
    return lambda path: path.startswith(root)


def is_municipal(user) -> bool:
    """Municipal staff work city-wide: their unit is the root of the tree."""
    root = user_root_path(user)
    return root is not None and len(root) <= Unit.steplen

