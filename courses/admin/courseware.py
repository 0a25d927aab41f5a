"""EDU-4: courseware and progress in the admin."""
from __future__ import annotations

from django.contrib import admin

from membership.admin_scoped import ScopedAdmin
from portal.upload_limits import LimitedUploadAdminMixin

from ..models import Courseware, CoursewareProgress


@admin.register(Courseware)
class CoursewareAdmin(LimitedUploadAdminMixin, ScopedAdmin):
    list_display = ("title", "course", "kind", "length", "order")
    list_filter = ("kind",)
    search_fields = ("title", "course__title")
    list_select_related = ("course",)
    autocomplete_fields = ("course",)


@admin.register(CoursewareProgress)
class CoursewareProgressAdmin(ScopedAdmin):
    list_display = ("worker", "courseware", "percent", "updated_at")
    search_fields = ("worker__name", "courseware__title")
    list_select_related = ("worker", "courseware")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
