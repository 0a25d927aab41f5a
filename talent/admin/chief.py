"""TAL-3: chief employees and their tracking evaluations in the admin."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership.admin_scoped import ScopedAdmin, ScopedInline

from ..models import ChiefEmployee, ChiefEvaluation, EvaluationResult
from ..services import chief as services


class CurrentFilter(admin.SimpleListFilter):
    title = _("in force today")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("In force")), ("no", _("Ended or failed"))]

    def queryset(self, request, queryset):
        current = ChiefEmployee.objects.current(on=timezone.localdate()).values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=current)
        if self.value() == "no":
            return queryset.exclude(pk__in=current)
        return queryset


class ChiefEvaluationForm(forms.ModelForm):
    class Meta:
        model = ChiefEvaluation
        fields = ("year", "evaluated_on", "score", "result", "remarks")

    def clean(self):
        cleaned = super().clean()
        designation = getattr(self.instance, "designation", None)
        evaluated_on = cleaned.get("evaluated_on")
        if designation is not None and designation.term_from and evaluated_on and evaluated_on < designation.term_from:
            self.add_error("evaluated_on", _("An evaluation cannot be dated before the designation's term starts."))
        return cleaned


class ChiefEvaluationInline(ScopedInline):
    model = ChiefEvaluation
    form = ChiefEvaluationForm
    fields = ("year", "evaluated_on", "score", "result", "remarks")


class ChiefEmployeeForm(forms.ModelForm):
    class Meta:
        model = ChiefEmployee
        fields = ("worker", "unit", "field", "term_from", "term_to", "monthly_allowance", "other_benefits",
                  "introduction", "public")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("term_from") and cleaned.get("term_to") and cleaned["term_to"] < cleaned["term_from"]:
            self.add_error("term_to", _("The term cannot end before it starts."))
        return cleaned


@admin.register(ChiefEmployee)
class ChiefEmployeeAdmin(ScopedAdmin):
    form = ChiefEmployeeForm
    list_display = ("worker_name", "unit", "field", "term_from", "term_to", "monthly_allowance", "in_force", "public")
    list_filter = (CurrentFilter, "public", "term_from")
    search_fields = ("worker__name", "field", "unit__name")
    list_select_related = ("worker", "unit")
    autocomplete_fields = ("worker", "unit")
    inlines = [ChiefEvaluationInline]

    def get_queryset(self, request):
        today = timezone.localdate()
        failed = ChiefEvaluation.objects.filter(designation=OuterRef("pk"), result=EvaluationResult.FAILED,
                                                evaluated_on__lte=today)
        return super().get_queryset(request).annotate(failed_by_today=Exists(failed))

    @admin.display(description=_("worker"), ordering="worker__name")
    def worker_name(self, obj):
        return obj.worker.name

    @admin.display(description=_("in force today"), boolean=True)
    def in_force(self, obj):
        today = timezone.localdate()
        return obj.term_from <= today <= obj.term_to and not getattr(obj, "failed_by_today", False)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in services.DESIGNATION_FIELDS}
        if change:
            services.chief_update(designation=ChiefEmployee.objects.get(pk=obj.pk), **fields)
        else:
            values = {name: form.cleaned_data[name] for name in services.DESIGNATION_FIELDS}
            obj.pk = services.chief_designate(**values).pk

    def save_formset(self, request, form, formset, change):
        if formset.model is not ChiefEvaluation:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for evaluation in formset.deleted_objects:
            evaluation.delete()
        designation = ChiefEmployee.objects.get(pk=form.instance.pk)
        for evaluation in [*formset.new_objects, *(obj for obj, _changed in formset.changed_objects)]:
            services.chief_evaluation_save(
                designation=designation, year=evaluation.year, evaluated_on=evaluation.evaluated_on,
                score=evaluation.score, result=evaluation.result, remarks=evaluation.remarks,
                evaluation=evaluation if evaluation.pk else None)
