"""EDU-4: courseware and progress in the admin."""
from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_read_only import ReadOnlyAdminMixin
from membership.admin_scoped import ScopedAdmin
from portal.upload_limits import LimitedUploadAdminMixin

from ..models import Courseware, CoursewareCompletion, CoursewareProgress


@admin.register(Courseware)
class CoursewareAdmin(LimitedUploadAdminMixin, ScopedAdmin):
    list_display = ("title", "course", "kind", "length", "order")
    list_filter = ("kind",)
    search_fields = ("title", "course__title")
    list_select_related = ("course",)
    autocomplete_fields = ("course",)


@admin.register(CoursewareProgress)
class CoursewareProgressAdmin(ScopedAdmin):
    # EDU-4: recorded by the player, never typed: read-only for everyone.
    list_display = ("worker", "courseware", "percent", "seconds_watched", "pages_count", "completed_on", "updated_at")
    list_filter = ("completed_on",)
    readonly_fields = ("worker", "unit", "courseware", "percent", "seconds_watched", "pages_opened", "reported_at",
                       "completed_on", "updated_at")
    search_fields = ("worker__name", "courseware__title")
    list_select_related = ("worker", "courseware")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("pages opened"))
    def pages_count(self, progress):
        return len(progress.pages_opened)


@admin.register(CoursewareCompletion)
class CoursewareCompletionAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """EDU-4/EDU-8: courses whose courseware a worker finished, as the player recorded them."""

    list_display = ("worker", "course", "unit", "completed_on")
    list_filter = ("completed_on",)
    search_fields = ("worker__name", "course__title", "course__code")
    list_select_related = ("worker", "course", "unit")
    date_hierarchy = "completed_on"
