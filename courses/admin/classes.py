"""EDU-2, EDU-3: places, teachers, classes, enrolments and certificates in the admin."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from membership import scoping
from membership.admin import register_worker_action
from membership.admin_scoped import ScopedAdmin, ScopedInline

from .. import selectors, services
from ..models import Attendance, Certificate, ClassSession, Course, CourseClass, Enrolment, Place, Teacher


@admin.register(Place)
class PlaceAdmin(ScopedAdmin):
    list_display = ("name", "kind", "unit", "address")
    list_filter = ("kind",)
    search_fields = ("name", "address")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)


class TaughtClassInline(ScopedInline):
    """EDU-2: the classes a teacher teaches, with their dates (those the user may see)."""

    model = CourseClass
    fk_name = "teacher"
    fields = ("class_link", "course", "unit", "starts_on", "ends_on", "enrolled_count")
    readonly_fields = fields
    can_delete = False
    verbose_name = _("class taught")
    verbose_name_plural = _("classes taught")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course", "unit").order_by("-starts_on")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("class"))
    def class_link(self, course_class):
        return format_html('<a href="{}">{}</a>', reverse("admin:courses_courseclass_change", args=[course_class.pk]),
                           course_class.name)


class TaughtSessionInline(ScopedInline):
    """EDU-2: single sessions a teacher takes in other teachers' classes."""

    model = ClassSession
    fk_name = "teacher"
    fields = ("course_class", "date", "starts_at", "ends_at", "topic")
    readonly_fields = fields
    can_delete = False
    verbose_name = _("session taught")
    verbose_name_plural = _("sessions taught")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course_class").order_by("-date", "-starts_at")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Teacher)
class TeacherAdmin(ScopedAdmin):
    list_display = ("name", "subjects", "qualifications", "unit", "class_count", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "subjects", "qualifications")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    inlines = [TaughtClassInline, TaughtSessionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(taught=Count("classes", distinct=True))

    @admin.display(description=_("classes taught"), ordering="taught")
    def class_count(self, teacher):
        return teacher.taught


class EnrolmentInline(ScopedInline):
    """The class's seats and waiting list: its organiser sees the enrolments of every district's
    workers in it (MEM-2 shared owners); completions are recorded on the enrolment list."""

    model = Enrolment
    fields = ("worker", "dependant", "unit", "status", "created_at", "attended_hours", "score", "completed_on")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("worker", "unit", "dependant").order_by("created_at", "id")

    def has_add_permission(self, request, obj=None):
        return False


class ClassSessionInline(ScopedInline):
    """EDU-3: the class's schedule, one row per session."""

    model = ClassSession
    fk_name = "course_class"
    fields = ("date", "starts_at", "ends_at", "topic", "teacher")
    autocomplete_fields = ("teacher",)


class CourseClassForm(forms.ModelForm):
    class Meta:
        model = CourseClass
        fields = ("course", "name", "unit", "place", "teacher", "starts_on", "ends_on", "enrol_by", "capacity", "is_open")

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on, enrol_by = cleaned.get("starts_on"), cleaned.get("ends_on"), cleaned.get("enrol_by")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("A class cannot end before it starts."))
        if enrol_by and ends_on and enrol_by > ends_on:
            self.add_error("enrol_by", _("The enrolment deadline must not be after the class's last day."))
        capacity = cleaned.get("capacity")
        if capacity is not None:
            error = services.course_class_capacity_error(course_class=self.instance, capacity=capacity)
            if error:
                self.add_error("capacity", error)
        return cleaned


@admin.register(CourseClass)
class CourseClassAdmin(ScopedAdmin):
    form = CourseClassForm
    list_display = ("name", "course", "unit", "place", "teacher", "starts_on", "ends_on", "enrol_by", "capacity",
                    "enrolled_count", "is_open", "attendance_link")
    list_filter = ("is_open", "course__category")
    search_fields = ("name", "course__title", "course__code")
    list_select_related = ("course", "unit", "place", "teacher")
    autocomplete_fields = ("course", "unit", "place", "teacher")
    date_hierarchy = "starts_on"
    inlines = [ClassSessionInline, EnrolmentInline]
    # EDU-1: a district or an enterprise runs classes of any approved course of the city's menu.
    public_choices = {"course": "published"}

    def get_changeform_initial_data(self, request):
        # The class belongs to the officer's unit unless they choose one below it.
        initial = super().get_changeform_initial_data(request)
        if getattr(request.user, "unit_id", None) and "unit" not in initial:
            initial["unit"] = request.user.unit_id
        return initial

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in services.CLASS_FIELDS}
        try:
            if change:
                _updated, promoted = services.course_class_update(course_class=CourseClass.objects.get(pk=obj.pk), **fields)
                if promoted:
                    self.message_user(request, _("%(count)d workers on the waiting list got a seat: %(names)s.") % {
                        "count": len(promoted), "names": "、".join(e.learner_name for e in promoted)}, messages.SUCCESS)
            else:
                obj.pk = services.course_class_create(**{name: form.cleaned_data[name] for name in services.CLASS_FIELDS
                                                          if name in form.cleaned_data}).pk
        except ValidationError as error:
            # A race with an enrolment between the form's check and the save: nothing was written.
            raise PermissionDenied("；".join(error.messages)) from None
        obj.refresh_from_db()

    @admin.display(description=_("attendance"))
    def attendance_link(self, course_class):
        return format_html('<a href="{}">{}</a>', reverse("admin:courses_courseclass_attendance", args=[course_class.pk]),
                           _("Attendance sheet"))

    def get_urls(self):
        from django.urls import path

        return [path("<int:pk>/attendance/", self.admin_site.admin_view(self.attendance_view),
                     name="courses_courseclass_attendance"), *super().get_urls()]

    def attendance_view(self, request, pk):
        """EDU-3: the per-session attendance sheet of a class's enrolled (and completed) learners."""
        course_class = get_object_or_404(self.get_queryset(request).select_related("course"), pk=pk)
        if not self.has_view_permission(request, course_class):
            raise PermissionDenied
        sessions = list(course_class.sessions.select_related("teacher"))
        seated = (Enrolment.objects.filter(course_class=course_class, status__in=ATTENDANCE_STATUSES)
                  .select_related("worker", "dependant").order_by("created_at", "id"))
        enrolments = list(scoping.visible_to(seated, request.user))
        changeable = set(scoping.changeable_by(seated, request.user).filter(status=Enrolment.Status.ENROLLED)
                         .values_list("pk", flat=True))
        may_change = (request.user.has_perm("courses.change_enrolment") and request.user.has_perm("courses.add_attendance")
                      and self.has_change_permission(request, course_class))
        if request.method == "POST":
            if not may_change:
                raise PermissionDenied
            present = set()
            for key in request.POST.getlist("present"):
                enrolment_id, _sep, session_id = key.partition("-")
                if enrolment_id.isdigit() and session_id.isdigit():
                    present.add((int(enrolment_id), int(session_id)))
            written = services.attendance_record(course_class=course_class, present=present, by=request.user,
                                                 enrolments=[e for e in enrolments if e.pk in changeable])
            self.message_user(request, _("Attendance saved (%(count)d marks changed).") % {"count": written}, messages.SUCCESS)
            return redirect("admin:courses_courseclass_attendance", course_class.pk)
        marks = set(Attendance.objects.filter(enrolment__in=enrolments, present=True).values_list("enrolment_id", "session_id"))
        rows = [{"enrolment": e, "editable": may_change and e.pk in changeable,
                 "cells": [{"key": f"{e.pk}-{s.pk}", "present": (e.pk, s.pk) in marks} for s in sessions],
                 "attended": sum((e.pk, s.pk) in marks for s in sessions)} for e in enrolments]
        return TemplateResponse(request, "admin/courses/attendance.html", {
            **self.admin_site.each_context(request), "title": _("Attendance: %(name)s") % {"name": course_class.name},
            "course_class": course_class, "sessions": sessions, "rows": rows, "may_change": may_change,
            "required": course_class.course.min_attendance_percent, "opts": self.model._meta,
        })


# Seats whose attendance the sheet shows: those taking the class now and those who finished it.
ATTENDANCE_STATUSES = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED, Enrolment.Status.NOT_COMPLETED)


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


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the worker sees it)"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


@admin.action(description=_("Withdraw from the class (with a reason)"), permissions=["change"])
def withdraw(modeladmin, request, queryset):
    """EDU-3: staff take workers out of a class; the seat goes to the waiting list."""
    form = WithdrawForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        done = 0
        for enrolment in queryset:
            try:
                services.enrolment_withdraw(enrolment=enrolment, reason=form.cleaned_data["reason"])
                done += 1
            except ValidationError as error:
                modeladmin.message_user(request, f"{enrolment}：{'；'.join(error.messages)}", messages.WARNING)
        if done:
            modeladmin.message_user(request, _("%(count)d enrolments withdrawn.") % {"count": done}, messages.SUCCESS)
        return None
    return TemplateResponse(request, "admin/courses/withdraw.html", {
        **modeladmin.admin_site.each_context(request), "title": _("Withdraw from the class"),
        "enrolments": queryset.select_related("worker", "course_class", "dependant")[:200], "count": queryset.count(),
        "form": form, "opts": modeladmin.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "selected": queryset.values_list("pk", flat=True),
    })


@admin.register(Enrolment)
class EnrolmentAdmin(ScopedAdmin):
    list_display = ("worker", "dependant", "course_class", "status", "created_at", "attended_hours", "score",
                    "completed_on", "withdrawal_reason")
    list_editable = ("attended_hours", "score")
    actions = [mark_completed, mark_not_completed, withdraw]
    list_filter = ("status", ("dependant", admin.EmptyFieldListFilter))
    search_fields = ("worker__name", "dependant__name", "course_class__name", "course_class__course__title")
    list_select_related = ("worker", "course_class", "dependant")
    autocomplete_fields = ("worker", "course_class")
    large_list = True
    show_full_result_count = False
    search_selector = staticmethod(selectors.enrolment_search)
    # Seats move only through the services: the worker, the child and the class of an enrolment
    # are what it is (changing them here bypassed capacity and the waiting list).
    readonly_fields = ("worker", "dependant", "course_class", "status", "unit", "enrolled_by", "created_at",
                       "withdrawal_reason")

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
