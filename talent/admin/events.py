"""TAL-7: forums and observation events and their registrations in the admin."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from membership.admin_scoped import ScopedAdmin, ScopedInline

from ..models import TalentEvent, TalentEventRegistration
from ..services import events as services


class TalentEventForm(forms.ModelForm):
    class Meta:
        model = TalentEvent
        fields = ("title", "kind", "unit", "description", "place", "starts_on", "ends_on", "capacity",
                  "registration_open", "public")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", _("An event cannot end before it starts."))
        return cleaned


class TalentEventRegistrationInline(ScopedInline):
    model = TalentEventRegistration
    fields = ("worker", "status", "created_at")
    readonly_fields = ("worker", "created_at")

    def has_add_permission(self, request, obj=None):
        return False  # workers register on the talent pages; staff record who took part


@admin.register(TalentEvent)
class TalentEventAdmin(ScopedAdmin):
    form = TalentEventForm
    list_display = ("title", "kind", "unit", "starts_on", "ends_on", "capacity", "registration_open", "public")
    list_filter = ("kind", "public", "registration_open")
    search_fields = ("title", "description", "place")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    date_hierarchy = "starts_on"
    inlines = [TalentEventRegistrationInline]

    def save_model(self, request, obj, form, change):
        services.talent_event_save(event=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not TalentEventRegistration:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for registration in formset.deleted_objects:
            registration.delete()
        for registration, changed in formset.changed_objects:
            services.talent_event_registration_update(
                registration=TalentEventRegistration.objects.get(pk=registration.pk),
                **{name: getattr(registration, name) for name in changed if name == "status"})


@admin.register(TalentEventRegistration)
class TalentEventRegistrationAdmin(ScopedAdmin):
    list_display = ("worker_name", "event", "status", "created_at")
    list_editable = ("status",)
    list_filter = ("status", "event__kind")
    search_fields = ("worker__name", "event__title")
    list_select_related = ("worker", "event")
    readonly_fields = ("event", "worker", "unit", "created_at")
    fields = ("event", "worker", "unit", "status", "created_at")

    @admin.display(description=_("worker"), ordering="worker__name")
    def worker_name(self, obj):
        return obj.worker.name

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        services.talent_event_registration_update(
            registration=TalentEventRegistration.objects.get(pk=obj.pk),
            **{name: form.cleaned_data[name] for name in form.changed_data if name == "status"})
