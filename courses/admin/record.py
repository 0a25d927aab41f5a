"""EDU-8, EDU-9: training records, credit rules, conversions, the ledger and pilots in the admin."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_read_only import ReadOnlyAdminMixin
from membership.admin_scoped import ScopedAdmin

from .. import ledger, selectors, services
from ..models import CreditAccount, CreditConversion, CreditEntry, CreditPilot, CreditRule, TrainingRecord


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ScopedAdmin):
    list_display = ("worker", "project", "kind", "hours", "completed_on", "result", "institution")
    list_filter = ("kind", "completed_on")
    search_fields = ("worker__name", "project", "institution")
    list_select_related = ("worker",)
    autocomplete_fields = ("worker", "course")
    # No date_hierarchy: its row of years is a DISTINCT over every record in scope on each page
    # (0.4 s at 500,000 records, issue 13); the date filter on the right remains.
    large_list = True
    show_full_result_count = False
    search_selector = staticmethod(selectors.training_record_search)
    readonly_fields = ("unit", "upload")
    # EDU-1: a unit records training on any approved course of the city's menu.
    public_choices = {"course": "published"}

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
class CreditEntryAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """EDU-9: the ledger, read-only; entries are written by the services of their sources (and a
    database trigger refuses to change or delete one)."""

    list_display = ("earned_on", "worker", "source_kind", "cause", "credits", "rule", "unit", "created_at")
    list_filter = ("source_kind", "earned_on")
    search_fields = ("worker__name", "cause")
    list_select_related = ("worker", "unit", "rule")
    # No date_hierarchy: its row of years is a DISTINCT over every entry in scope on each page
    # (issue 13); the date filter on the right remains.
    large_list = True
    show_full_result_count = False
    search_selector = staticmethod(selectors.credit_entry_search)


@admin.register(CreditPilot)
class CreditPilotAdmin(ScopedAdmin):
    list_display = ("unit", "year", "note")
    list_filter = ("year",)
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
