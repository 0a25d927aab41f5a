"""EDU-1: the catalogue in the admin — target groups and courses, with the review actions."""
from __future__ import annotations

from django.contrib import admin

from membership.admin_scoped import ScopedAdmin, ScopedInline

from ..models import Course, CourseModule, TargetGroup
from .committee import CourseReviewInline, approve_courses, assign_reviewers, reject_courses, submit_for_review


@admin.register(TargetGroup)
class TargetGroupAdmin(ScopedAdmin):
    list_display = ("name", "code", "order")


class CourseModuleInline(ScopedInline):
    model = CourseModule
    fields = ("order", "title", "hours")




@admin.register(Course)
class CourseAdmin(ScopedAdmin):
    list_display = ("code", "title", "category", "delivery", "hours", "credits", "provider_name", "unit", "status")
    list_filter = ("status", "category", "discipline", "delivery", "provider_kind", "target_groups")
    search_fields = ("code", "title", "description", "provider_name")
    list_select_related = ("unit",)
    filter_horizontal = ("target_groups",)
    autocomplete_fields = ("unit",)
    inlines = [CourseModuleInline, CourseReviewInline]
    readonly_fields = ("status", "rejection_reason")
    actions = [submit_for_review, assign_reviewers, approve_courses, reject_courses]

    def has_assign_reviewers_permission(self, request):
        return request.user.has_perm("courses.assign_reviewers")

    def has_decide_course_permission(self, request):
        return request.user.has_perm("courses.decide_course")
