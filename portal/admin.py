"""The project composes admin pages of apps that may not import membership: uploads' pages
(uploads/admin.py) are registered here, scoped by membership's ScopedAdmin (MEM-2), so that the
upload pipeline stays below membership and no import loop runs between the two apps."""
from __future__ import annotations

from django.contrib import admin

from membership.admin_scoped import ScopedAdmin
from uploads.admin import RejectedRowsRevealAdmin, UploadAdmin
from uploads.models import RejectedRowsReveal, Upload


@admin.register(Upload)
class ScopedUploadAdmin(ScopedAdmin, UploadAdmin):
    pass


@admin.register(RejectedRowsReveal)
class ScopedRejectedRowsRevealAdmin(ScopedAdmin, RejectedRowsRevealAdmin):
    pass
