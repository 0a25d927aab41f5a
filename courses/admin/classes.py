"""EDU-2, EDU-3: places, teachers, classes, enrolments and certificates in the admin."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from membership.admin import register_worker_action
from membership.admin_scoped import ScopedAdmin, ScopedInline

from .. import services
from ..models import Certificate, Course, CourseClass, Enrolment, Place, Teacher


@admin.register(Place)
class PlaceAdmin(ScopedAdmin):
    list_display = ("name", "kind", "unit", "address")
    list_filter = ("kind",)
    search_fields = ("name", "address")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)


@admin.register(Teacher)
class TeacherAdmin(ScopedAdmin):
    list_display = ("name", "subjects", "qualifications", "unit", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "subjects", "qualifications")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)


class EnrolmentInline(ScopedInline):
    """The class's seats and waiting list: its organiser sees the enrolments of every district's
    workers in it (MEM-2 shared owners); completions are recorded on the enrolment list."""

    model = Enrolment
    fields = ("worker", "unit", "status", "attended_hours", "score", "completed_on")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("worker", "unit")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CourseClass)
class CourseClassAdmin(ScopedAdmin):
    list_display = ("name", "course", "unit", "place", "teacher", "starts_on", "ends_on", "capacity", "enrolled_count", "is_open")
    list_filter = ("is_open", "course__category")
    search_fields = ("name", "course__title", "course__code")
    list_select_related = ("course", "unit", "place", "teacher")
    autocomplete_fields = ("course", "unit", "place", "teacher")
    date_hierarchy = "starts_on"
    inlines = [EnrolmentInline]


@admin.action(description=_("Mark completed and issue certificates"), permissions=["change"])
def mark_completed(modeladmin, request, queryset):
    done = 0
    for enrolment in queryset:
        try:
            services.enrolment_complete(enrolment=enrolment, passed=True)
            done += 1
        except ValidationError as error:
            modeladmin.message_user(request, f"{enrolment}：{'；'.join(error.messages)}", messages.WARNING)
    if done:
        modeladmin.message_user(request, _("%(count)d completions recorded with certificates.") % {"count": done})


@admin.action(description=_("Mark not completed"), permissions=["change"])
def mark_not_completed(modeladmin, request, queryset):
    for enrolment in queryset:
        try:
            services.enrolment_complete(enrolment=enrolment, passed=False)
        except ValidationError as error:
            modeladmin.message_user(request, f"{enrolment}：{'；'.join(error.messages)}", messages.WARNING)


@admin.register(Enrolment)
class EnrolmentAdmin(ScopedAdmin):
    list_display = ("worker", "course_class", "status", "created_at", "attended_hours", "score", "completed_on")
    list_editable = ("attended_hours", "score")
    actions = [mark_completed, mark_not_completed]
    list_filter = ("status",)
    search_fields = ("worker__name", "course_class__name", "course_class__course__title")
    list_select_related = ("worker", "course_class")
    autocomplete_fields = ("worker", "course_class")
    readonly_fields = ("status", "unit", "enrolled_by", "created_at")

    def save_model(self, request, obj, form, change):
        # The change form and the list's editable columns both land here.
        services.enrolment_update(enrolment=Enrolment.objects.get(pk=obj.pk),
                                  **{name: form.cleaned_data[name] for name in form.changed_data})

    def has_add_permission(self, request):
        # Seats are taken through the enrolment service (capacity, waiting list): group enrolment
        # is the action on the worker list.
        return False


@admin.register(Certificate)
class CertificateAdmin(ScopedAdmin):
    list_display = ("code", "enrolment", "issued_on")
    search_fields = ("code", "enrolment__worker__name")
    list_select_related = ("enrolment__worker", "enrolment__course_class")
    autocomplete_fields = ("enrolment",)


class GroupEnrolForm(forms.Form):
    course_class = forms.ModelChoiceField(queryset=CourseClass.objects.none(), label=_("class"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        # The course menu is public: any open class of an approved course may take the unit's workers.
        self.fields["course_class"].queryset = (
            CourseClass.objects.filter(is_open=True, course__status=Course.Status.APPROVED, ends_on__gte=timezone.localdate())
            .select_related("course").order_by("starts_on")
        )


@admin.action(description=_("Enrol the selected workers in a class"))
def enrol_in_class(modeladmin, request, queryset):
    """EDU-1: a unit enrols a group of its workers. ``queryset`` comes from the scoped changelist."""
    form = GroupEnrolForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        created, refused = services.enrolment_group_create(
            workers=list(queryset.order_by("id")), course_class=form.cleaned_data["course_class"], by=request.user
        )
        seats = sum(1 for e in created if e.status == Enrolment.Status.ENROLLED)
        modeladmin.message_user(request, _("%(seats)d workers got a seat, %(waiting)d are on the waiting list.")
                                % {"seats": seats, "waiting": len(created) - seats}, messages.SUCCESS)
        for worker, reason in refused:
            modeladmin.message_user(request, f"{worker.name}：{reason}", messages.WARNING)
        return redirect(request.get_full_path())
    return TemplateResponse(request, "admin/courses/group_enrol.html", {
        **modeladmin.admin_site.each_context(request), "title": _("Enrol workers in a class"),
        "workers": queryset[:200], "count": queryset.count(), "form": form, "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "selected": queryset.values_list("pk", flat=True),
    })


register_worker_action(enrol_in_class, permission="courses.add_enrolment")
