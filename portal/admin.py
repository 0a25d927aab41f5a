"""The project composes admin pages of apps that may not import membership: uploads' pages
(uploads/admin.py) are registered here, scoped by membership's ScopedAdmin (MEM-2), so that the
upload pipeline stays below membership and no import loop runs between the two apps."""
from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group

from core.permission_labels import label_permissions
from membership.admin_scoped import ScopedAdmin
from uploads.admin import RejectedRowsRevealAdmin, UploadAdmin
from uploads.models import RejectedRowsReveal, Upload


@admin.register(Upload)
class ScopedUploadAdmin(ScopedAdmin, UploadAdmin):
    pass


@admin.register(RejectedRowsReveal)
class ScopedRejectedRowsRevealAdmin(ScopedAdmin, RejectedRowsRevealAdmin):
    pass


admin.site.unregister(Group)


@admin.register(Group)
class PortalGroupAdmin(GroupAdmin):
    """A role's permissions listed in the user's language, not as Django stored them (English)."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions":
            label_permissions(formfield)
        return formfield
