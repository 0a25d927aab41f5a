"""INN-4 in the admin: achievements with their team and patents, the evaluation indicators,
evaluators assigned in bulk, and each evaluator's scoring page."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from membership.admin_scoped import ScopedAdmin, ScopedInline
from membership.models import User

from ..models import Achievement, AchievementEvaluation, AchievementMember, EvaluationIndicator, Patent
from ..services import achievements as services


class AchievementMemberInline(ScopedInline):
    model = AchievementMember
    fields = ("worker", "unit", "order")
    readonly_fields = ("unit",)
    autocomplete_fields = ("worker",)


class PatentInline(ScopedInline):
    model = Patent
    fields = ("number", "kind", "granted_on")


class AssignEvaluatorsForm(forms.Form):
    evaluators = forms.ModelMultipleChoiceField(queryset=User.objects.none(), label=_("evaluators"),
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = User.objects.filter(
            pk__in=[user.pk for user in services.evaluators()]).order_by("username")


@admin.action(description=_("Assign evaluators"), permissions=["evaluate"])
def assign_evaluators(modeladmin, request, queryset):
    form = AssignEvaluatorsForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        done = 0
        for achievement in queryset:
            try:
                services.achievement_evaluators_assign(achievement=achievement,
                                                       evaluators=form.cleaned_data["evaluators"], by=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                modeladmin.message_user(request, f"{achievement}：{'；'.join(getattr(error, 'messages', [str(error)]))}",
                                        messages.WARNING)
        if done:
            modeladmin.message_user(request, _("Evaluators assigned to %(count)d achievements.") % {"count": done})
        return None
    return TemplateResponse(request, "admin/innovation/achievement_action.html", {
        **modeladmin.admin_site.each_context(request), "title": _("Assign evaluators"), "objects": queryset,
        "form": form, "action": "assign_evaluators", "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    })


@admin.action(description=_("Show on the public talent pages"), permissions=["change"])
def make_public(modeladmin, request, queryset):
    count = queryset.update(is_public=True)
    modeladmin.message_user(request, _("%(count)d achievements are now public.") % {"count": count})


@admin.action(description=_("Withdraw from the public talent pages"), permissions=["change"])
def make_private(modeladmin, request, queryset):
    count = queryset.update(is_public=False)
    modeladmin.message_user(request, _("%(count)d achievements are no longer public.") % {"count": count})


@admin.register(Achievement)
class AchievementAdmin(ScopedAdmin):
    list_display = ("code", "title", "unit", "kind", "year", "score", "grade", "is_public")
    list_filter = ("grade", "kind", "year", "is_public")
    search_fields = ("code", "title", "unit__name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    readonly_fields = ("score",)
    inlines = (AchievementMemberInline, PatentInline)
    actions = (assign_evaluators, make_public, make_private)

    def has_evaluate_permission(self, request):
        return request.user.has_perm("innovation.evaluate_achievement")

    def save_model(self, request, obj, form, change):
        services.achievement_save(achievement=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        # A team member keeps the unit they belong to when added (a fact stores its unit, MEM-2).
        for member in formset.save(commit=False):
            if isinstance(member, AchievementMember) and not member.unit_id:
                member.unit_id = member.worker.unit_id
            member.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()


@admin.register(EvaluationIndicator)
class EvaluationIndicatorAdmin(ScopedAdmin):
    list_display = ("name", "weight", "order", "is_active", "description")
    list_editable = ("weight", "order", "is_active")


@admin.register(Patent)
class PatentAdmin(ScopedAdmin):
    list_display = ("number", "kind", "granted_on", "achievement")
    list_filter = ("kind",)
    search_fields = ("number", "achievement__title", "achievement__code")
    list_select_related = ("achievement",)
    autocomplete_fields = ("achievement",)


class EvaluationForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, indicators=(), initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            self.fields[f"i{indicator.pk}"] = forms.DecimalField(
                label=str(indicator), min_value=0, max_value=100, decimal_places=2, help_text=indicator.description,
                initial=(initial_scores or {}).get(indicator.pk))


@admin.register(AchievementEvaluation)
class AchievementEvaluationAdmin(ScopedAdmin):
    list_display = ("achievement", "evaluator", "assigned_at", "submitted_at", "score", "evaluate_link")
    list_filter = ("submitted_at",)
    search_fields = ("achievement__title", "achievement__code", "evaluator__username")
    list_select_related = ("achievement", "evaluator")
    readonly_fields = ("achievement", "evaluator", "assigned_at", "submitted_at", "score", "comment")

    def has_add_permission(self, request):
        return False

    @admin.display(description="")
    def evaluate_link(self, obj):
        return format_html('<a class="button" href="{}">{}</a>',
                           reverse("admin:innovation_achievementevaluation_evaluate", args=[obj.pk]), _("Evaluate"))

    def get_urls(self):
        return [path("<int:pk>/evaluate/", self.admin_site.admin_view(self.evaluate_view),
                     name="innovation_achievementevaluation_evaluate"), *super().get_urls()]

    def evaluate_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        evaluation = get_object_or_404(self.get_queryset(request).select_related("achievement__unit"), pk=pk)
        indicators = list(EvaluationIndicator.objects.filter(is_active=True))
        initial = dict(evaluation.scores.values_list("indicator_id", "score"))
        form = EvaluationForm(request.POST or None, indicators=indicators, initial_scores=initial,
                              initial={"comment": evaluation.comment})
        mine = evaluation.evaluator_id == request.user.pk
        if request.method == "POST" and mine and form.is_valid():
            try:
                services.achievement_evaluation_submit(
                    evaluation=evaluation, by=request.user, comment=form.cleaned_data["comment"],
                    scores={i.pk: form.cleaned_data[f"i{i.pk}"] for i in indicators})
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error if isinstance(error, ValidationError) else _("Not permitted."))
            else:
                self.message_user(request, _("Your evaluation of %(title)s was saved.")
                                  % {"title": evaluation.achievement.title})
                return redirect("admin:innovation_achievementevaluation_changelist")
        return TemplateResponse(request, "admin/innovation/evaluate.html", {
            **self.admin_site.each_context(request), "title": _("Evaluate %(title)s") % {"title": evaluation.achievement.title},
            "evaluation": evaluation, "achievement": evaluation.achievement, "form": form, "can_score": mine,
            "opts": self.model._meta,
        })
