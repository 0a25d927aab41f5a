"""EDU-6, EDU-7: activities and registrations in the admin."""
from __future__ import annotations

from django.contrib import admin

from membership.admin_scoped import ScopedAdmin, ScopedInline

from .. import services
from ..models import Activity, ActivityRegistration


class ActivityRegistrationInline(ScopedInline):
    model = ActivityRegistration
    fields = ("worker", "status", "score", "result", "created_at")
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
    list_display = ("worker", "activity", "status", "score", "result", "created_at")
    list_editable = ("status", "score", "result")
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
