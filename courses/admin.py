from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from membership.admin import register_worker_action
from membership.admin_scoped import ScopedAdmin, ScopedInline
from portal.upload_limits import LimitedUploadAdminMixin

from django.core.exceptions import PermissionDenied, ValidationError

from membership.models import User

from . import ledger, review, services
from .models import (
    Certificate, Course, CourseClass, CourseModule, CourseReview, Enrolment, Place, ReviewCriterion, TargetGroup, Teacher,
    TrainingRecord, CreditRule, CreditConversion, CreditPilot, Activity, ActivityRegistration, Courseware,
    CoursewareProgress, CreditAccount, CreditEntry,
)


@admin.register(TargetGroup)
class TargetGroupAdmin(ScopedAdmin):
    list_display = ("name", "code", "order")


class CourseModuleInline(ScopedInline):
    model = CourseModule
    fields = ("order", "title", "hours")


class CourseReviewInline(admin.TabularInline):
    model = CourseReview
    extra = 0
    can_delete = False
    fields = ("reviewer", "assigned_at", "submitted_at", "total", "comment")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AssignReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(queryset=User.objects.none(), label=_("reviewers"),
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = review.committee_members()


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason for returning"), widget=forms.Textarea(attrs={"rows": 4}))


def _each(modeladmin, request, queryset, call):
    done = 0
    for course in queryset:
        try:
            call(course)
            done += 1
        except (ValidationError, PermissionDenied) as error:
            messages_text = "；".join(getattr(error, "messages", [str(error) or _("Not permitted.")]))
            modeladmin.message_user(request, f"{course}：{messages_text}", messages.WARNING)
    return done


@admin.action(description=_("Submit for review"), permissions=["change"])
def submit_for_review(modeladmin, request, queryset):
    done = _each(modeladmin, request, queryset, lambda course: review.course_submit(course=course, by=request.user))
    if done:
        modeladmin.message_user(request, _("%(count)d courses submitted to the review committee.") % {"count": done})


@admin.action(description=_("Assign reviewers"), permissions=["assign_reviewers"])
def assign_reviewers(modeladmin, request, queryset):
    form = AssignReviewersForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        done = _each(modeladmin, request, queryset, lambda course: review.course_reviewers_assign(
            course=course, reviewers=form.cleaned_data["reviewers"], by=request.user))
        if done:
            modeladmin.message_user(request, _("Reviewers assigned to %(count)d courses; they have been notified.") % {"count": done})
        return None
    return _intermediate(modeladmin, request, queryset, form, "assign_reviewers", _("Assign reviewers"))


@admin.action(description=_("Approve into the course menu"), permissions=["decide_course"])
def approve_courses(modeladmin, request, queryset):
    done = _each(modeladmin, request, queryset, lambda course: review.course_decide(course=course, approve=True, by=request.user))
    if done:
        modeladmin.message_user(request, _("%(count)d courses approved into the menu.") % {"count": done})


@admin.action(description=_("Return with a reason"), permissions=["decide_course"])
def reject_courses(modeladmin, request, queryset):
    form = RejectForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        done = _each(modeladmin, request, queryset, lambda course: review.course_decide(
            course=course, approve=False, reason=form.cleaned_data["reason"], by=request.user))
        if done:
            modeladmin.message_user(request, _("%(count)d courses returned.") % {"count": done})
        return None
    return _intermediate(modeladmin, request, queryset, form, "reject_courses", _("Return with a reason"))


def _intermediate(modeladmin, request, queryset, form, action, title):
    return TemplateResponse(request, "admin/courses/course_action.html", {
        **modeladmin.admin_site.each_context(request), "title": title, "courses": queryset, "form": form,
        "action": action, "opts": modeladmin.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    })


@admin.register(Course)
class CourseAdmin(ScopedAdmin):
    list_display = ("code", "title", "category", "delivery", "hours", "credits", "provider_name", "unit", "status")
    list_filter = ("status", "category", "delivery", "provider_kind", "target_groups")
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



@admin.register(ReviewCriterion)
class ReviewCriterionAdmin(ScopedAdmin):
    list_display = ("name", "max_score", "order", "description")


class ScoreForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, criteria=(), initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=str(criterion), min_value=0, max_value=criterion.max_score, decimal_places=1,
                help_text=criterion.description, initial=(initial_scores or {}).get(criterion.pk))


@admin.register(CourseReview)
class CourseReviewAdmin(ScopedAdmin):
    list_display = ("course", "reviewer", "assigned_at", "submitted_at", "total", "score_link")
    list_filter = ("submitted_at",)
    search_fields = ("course__title", "course__code", "reviewer__username")
    list_select_related = ("course", "reviewer")
    readonly_fields = ("course", "reviewer", "assigned_at", "submitted_at", "total", "comment")

    def has_add_permission(self, request):
        return False

    @admin.display(description="")
    def score_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html('<a class="button" href="{}">{}</a>', reverse("admin:courses_coursereview_score", args=[obj.pk]),
                           _("Score"))

    def get_urls(self):
        from django.urls import path

        return [path("<int:pk>/score/", self.admin_site.admin_view(self.score_view), name="courses_coursereview_score"),
                *super().get_urls()]

    def score_view(self, request, pk):
        from django.shortcuts import get_object_or_404

        obj = get_object_or_404(self.get_queryset(request).select_related("course__unit"), pk=pk)
        criteria = list(ReviewCriterion.objects.all())
        initial = dict(obj.scores.values_list("criterion_id", "score"))
        form = ScoreForm(request.POST or None, criteria=criteria, initial_scores=initial, initial={"comment": obj.comment})
        mine = obj.reviewer_id == request.user.pk and obj.course.status == Course.Status.SUBMITTED
        if request.method == "POST" and mine and form.is_valid():
            try:
                review.course_review_submit(
                    review=obj, by=request.user, comment=form.cleaned_data["comment"],
                    scores={c.pk: form.cleaned_data[f"c{c.pk}"] for c in criteria},
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error if isinstance(error, ValidationError) else _("Not permitted."))
            else:
                self.message_user(request, _("Your review of %(title)s was saved.") % {"title": obj.course.title})
                return redirect("admin:courses_coursereview_changelist")
        return TemplateResponse(request, "admin/courses/score.html", {
            **self.admin_site.each_context(request), "title": _("Review %(title)s") % {"title": obj.course.title},
            "review": obj, "course": obj.course, "form": form, "can_score": mine, "opts": self.model._meta,
        })


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ScopedAdmin):
    list_display = ("worker", "project", "kind", "hours", "completed_on", "result", "institution")
    list_filter = ("kind", "completed_on")
    search_fields = ("worker__name", "project", "institution")
    list_select_related = ("worker",)
    autocomplete_fields = ("worker", "course")
    date_hierarchy = "completed_on"
    readonly_fields = ("unit", "upload")

    def save_model(self, request, obj, form, change):
        if change:
            services.training_record_update(record=TrainingRecord.objects.get(pk=obj.pk),
                                            **{name: form.cleaned_data[name] for name in form.changed_data})
        else:
            fields = {name: value for name, value in form.cleaned_data.items() if name in services.TRAINING_RECORD_FIELDS}
            obj.pk = services.training_record_create(**fields).pk


@admin.register(CreditRule)
class CreditRuleAdmin(ScopedAdmin):
    list_display = ("source", "use_course_credits", "credits_per_hour", "credits_each", "cap_per_year", "valid_from",
                    "valid_to", "note")
    list_filter = ("source",)


class CreditConversionForm(forms.ModelForm):
    class Meta:
        model = CreditConversion
        fields = ("worker", "institution", "programme", "credits", "converted_on")

    def clean(self):
        cleaned = super().clean()
        worker, credits = cleaned.get("worker"), cleaned.get("credits")
        if self.instance.pk is None and worker is not None and credits is not None:
            # The friendly answer; under a race the ledger's CHECK still refuses the overspend.
            balance = CreditAccount.objects.filter(worker=worker).values_list("balance", flat=True).first() or 0
            if credits > balance:
                raise forms.ValidationError(_("The credit balance is too low for this conversion."))
        return cleaned


@admin.register(CreditConversion)
class CreditConversionAdmin(ScopedAdmin):
    form = CreditConversionForm
    list_display = ("worker", "institution", "programme", "credits", "converted_on")
    search_fields = ("worker__name", "institution", "programme")
    list_select_related = ("worker",)
    autocomplete_fields = ("worker",)

    def get_readonly_fields(self, request, obj=None):
        # A conversion is a ledger entry: it is never edited after the fact.
        return ("worker", "unit", "institution", "programme", "credits", "converted_on") if obj is not None else ("unit",)

    def has_delete_permission(self, request, obj=None):
        return False  # nor deleted: its negative entry and the balance it moved stay

    def save_model(self, request, obj, form, change):
        if change:
            return
        saved = ledger.credit_conversion_create(worker=obj.worker, institution=obj.institution, programme=obj.programme,
                                                credits=obj.credits, converted_on=obj.converted_on)
        obj.pk = saved.pk


@admin.register(CreditEntry)
class CreditEntryAdmin(ScopedAdmin):
    """EDU-9: the ledger, read-only; entries are written by the services of their sources."""

    list_display = ("earned_on", "worker", "source_kind", "cause", "credits", "rule", "unit", "created_at")
    list_filter = ("source_kind", "earned_on")
    search_fields = ("worker__name", "cause")
    list_select_related = ("worker", "unit", "rule")
    date_hierarchy = "earned_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the ledger is append-only (a database trigger refuses it too)


@admin.register(CreditPilot)
class CreditPilotAdmin(ScopedAdmin):
    list_display = ("unit", "year", "note")
    list_filter = ("year",)
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)


class ActivityRegistrationInline(ScopedInline):
    model = ActivityRegistration
    fields = ("worker", "status", "result", "created_at")
    readonly_fields = ("worker", "created_at")

    def has_add_permission(self, request, obj=None):
        return False  # workers register on the portal; staff record participation and results here


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = ("title", "kind", "unit", "starts_on", "ends_on", "capacity", "registration_open")
    list_filter = ("kind", "registration_open", "target_groups")
    search_fields = ("title", "description", "place")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    filter_horizontal = ("target_groups",)
    date_hierarchy = "starts_on"
    inlines = [ActivityRegistrationInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not ActivityRegistration:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # fills new, changed and deleted objects; writes nothing
        for registration in formset.deleted_objects:
            registration.delete()
        # Participation earns credits (EDU-9): every write goes through a service.
        for registration in formset.new_objects:
            services.activity_participation_record(registration=registration)
        for registration, changed in formset.changed_objects:
            services.activity_registration_update(registration=ActivityRegistration.objects.get(pk=registration.pk),
                                                  **{name: getattr(registration, name) for name in changed})


@admin.register(ActivityRegistration)
class ActivityRegistrationAdmin(ScopedAdmin):
    list_display = ("worker", "activity", "status", "result", "created_at")
    list_editable = ("status", "result")
    list_filter = ("status", "activity__kind")
    search_fields = ("worker__name", "activity__title", "result")
    list_select_related = ("worker", "activity")
    autocomplete_fields = ("worker", "activity")
    readonly_fields = ("unit",)

    def save_model(self, request, obj, form, change):
        # The change form and the list's editable columns both land here.
        services.activity_registration_update(registration=ActivityRegistration.objects.get(pk=obj.pk),
                                              **{name: form.cleaned_data[name] for name in form.changed_data})

    def has_add_permission(self, request):
        return False


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
