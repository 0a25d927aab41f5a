"""Permission names in the user's language. Django stores each permission's name in the database
in English when migrations run ("Can add worker"), and the admin's group and user forms show that
stored text; here the label is built again at display time from the translated app and model names."""
from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DEFAULT_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission) -> str:
    content_type = permission.content_type
    try:
        model = apps.get_model(content_type.app_label, content_type.model)
    except LookupError:
        return f"{content_type.app_label} | {content_type.model} | {gettext(permission.name)}"
    action, _separator, model_name = permission.codename.partition("_")
    if action in DEFAULT_ACTIONS and model_name == content_type.model:
        name = DEFAULT_ACTIONS[action] % {"model": gettext(str(model._meta.verbose_name))}
    else:
        # A custom permission's name is a gettext_lazy msgid in its model's Meta.permissions.
        name = gettext(permission.name)
    # gettext() again: a third-party model's derived verbose name ("middleware events") is a plain
    # string, translated through portal/third_party_strings.py.
    return (f"{apps.get_app_config(content_type.app_label).verbose_name} | "
            f"{gettext(str(model._meta.verbose_name))} | {name}")


def label_permissions(formfield) -> None:
    """Give a permissions field of an admin form the translated labels."""
    if formfield is not None:
        formfield.label_from_instance = permission_label
