"""EDU-5: the review committee in the admin — submit, assign, score, approve or return."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from membership.admin_scoped import ScopedAdmin
from membership.models import User

from .. import review
from ..models import Course, CourseReview, CourseRevision, ReviewCriterion
from .common import _each, _intermediate


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
    list_display = ("course", "revision_text", "reviewer", "assigned_at", "submitted_at", "total", "score_link")
    list_filter = ("submitted_at",)
    list_select_related = ("course", "reviewer", "revision")
    search_fields = ("course__title", "course__code", "reviewer__username")
    readonly_fields = ("course", "course_text", "reviewer", "reviewer_text", "assigned_at", "submitted_at", "total",
                       "comment")

    def has_add_permission(self, request):
        return False

    def get_fields(self, request, obj=None):
        # Django links a read-only foreign key to its change page whether or not the user may open
        # it: a reviewer (no course or account permissions) met a 403 behind both links.
        course = "course" if request.user.has_perm("courses.view_course") else "course_text"
        reviewer = "reviewer" if request.user.has_perm("membership.view_user") else "reviewer_text"
        return [course, reviewer, "assigned_at", "submitted_at", "total", "comment"]

    @admin.display(description=_("under review"))
    def revision_text(self, review):
        return _("Revision of %(date)s") % {"date": f"{review.revision.created_at:%Y-%m-%d}"} if review.revision_id \
            else _("First submission")

    @admin.display(description=_("course"))
    def course_text(self, review):
        return str(review.course)

    @admin.display(description=_("reviewer"))
    def reviewer_text(self, review):
        return str(review.reviewer)

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

        obj = get_object_or_404(self.get_queryset(request).select_related("course__unit", "revision"), pk=pk)
        criteria = list(ReviewCriterion.objects.all())
        initial = dict(obj.scores.values_list("criterion_id", "score"))
        form = ScoreForm(request.POST or None, criteria=criteria, initial_scores=initial, initial={"comment": obj.comment})
        # EDU-5: the review of a first submission, or of a revision still with the committee.
        under_review = (obj.course.status == Course.Status.SUBMITTED if obj.revision_id is None
                        else obj.revision.status == CourseRevision.Status.SUBMITTED)
        mine = obj.reviewer_id == request.user.pk and under_review
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
            "review": obj, "course": obj.course, "revision": obj.revision, "form": form, "can_score": mine,
            "opts": self.model._meta,
        })
