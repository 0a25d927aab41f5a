"""EDU-1: the catalogue in the admin — target groups and courses, with the review actions."""
from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from membership.admin_scoped import ScopedAdmin, ScopedInline

from .. import review
from ..models import Course, CourseModule, CourseRevision, TargetGroup
from .committee import CourseReviewInline, approve_courses, assign_reviewers, reject_courses, submit_for_review


@admin.register(TargetGroup)
class TargetGroupAdmin(ScopedAdmin):
    list_display = ("name", "code", "order")


class CourseModuleInline(ScopedInline):
    model = CourseModule
    fields = ("order", "title", "hours")

    def _revision_pending(self, obj) -> bool:
        return obj is not None and obj.status == Course.Status.APPROVED and review.course_pending_revision(obj) is not None

    # While a revision is with the committee the modules wait for its decision.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._revision_pending(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._revision_pending(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._revision_pending(obj)


class CourseRevisionInline(admin.TabularInline):
    """EDU-5: the course's revisions — proposed and replaced values, and the committee's decision."""

    model = CourseRevision
    extra = 0
    can_delete = False
    fields = ("created_at", "status", "previous_hours", "hours", "previous_credits", "credits", "modules_text",
              "proposed_by", "decided_at", "rejection_reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("modules"))
    def modules_text(self, revision):
        return "；".join(f"{module['order']}. {module['title']}（{module['hours']}）" for module in revision.modules)




class RevisionUnderReviewFilter(admin.SimpleListFilter):
    """EDU-5: approved courses whose revision is with the committee (their status stays approved)."""

    title = _("revision under review")
    parameter_name = "revision"

    def lookups(self, request, model_admin):
        return [("submitted", _("With the review committee"))]

    def queryset(self, request, queryset):
        if self.value() == "submitted":
            return queryset.filter(revisions__status=CourseRevision.Status.SUBMITTED)
        return queryset


@admin.register(Course)
class CourseAdmin(ScopedAdmin):
    list_display = ("code", "title", "category", "delivery", "hours", "credits", "provider_name", "unit", "status")
    list_filter = ("status", RevisionUnderReviewFilter, "category", "discipline", "delivery", "provider_kind", "target_groups")
    search_fields = ("code", "title", "description", "provider_name")
    list_select_related = ("unit",)
    filter_horizontal = ("target_groups",)
    autocomplete_fields = ("unit",)
    inlines = [CourseModuleInline, CourseRevisionInline, CourseReviewInline]
    readonly_fields = ("status", "rejection_reason")
    actions = [submit_for_review, assign_reviewers, approve_courses, reject_courses]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.status == Course.Status.APPROVED and review.course_pending_revision(obj) is not None:
            # EDU-5: one revision at a time is with the committee.
            return (*fields, *review.REVIEWED_FIELDS)
        return fields

    def save_model(self, request, obj, form, change):
        # A change is written in save_related, with the modules, by review.course_update: on an
        # approved course it becomes a revision for the committee instead of a silent change.
        if not change:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not change:
            return super().save_related(request, form, formsets, change)
        form.save_m2m()  # target groups are the unit's to keep up to date
        modules = None
        for formset in formsets:
            # The change message reads these; the service, not the formsets, writes the rows.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is CourseModule and formset.has_changed():
                modules = [{"order": f.cleaned_data["order"], "title": f.cleaned_data["title"], "hours": f.cleaned_data["hours"]}
                           for f in formset.forms
                           if f.cleaned_data and not f.cleaned_data.get("DELETE") and (f.instance.pk or f.has_changed())]
        fields = {name: form.cleaned_data[name] for name in form.changed_data
                  if name in (*review.REVIEWED_FIELDS, *review.EDITABLE_FIELDS)}
        course, revision = review.course_update(course=form.instance, by=request.user, fields=fields, modules=modules)
        form.instance.__dict__.update({name: getattr(course, name) for name in (*review.REVIEWED_FIELDS, "updated_at")})
        if revision is not None:
            self.message_user(request, _("The change of hours, credits, modules or content was sent to the review "
                                         "committee as a revision. The approved version stays in the menu, with its "
                                         "credits, until the committee approves the revision."), messages.WARNING)

    def has_assign_reviewers_permission(self, request):
        return request.user.has_perm("courses.assign_reviewers")

    def has_decide_course_permission(self, request):
        return request.user.has_perm("courses.decide_course")
