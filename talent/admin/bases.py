"""TAL-5: demonstration bases and workers' technical associations in the admin."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from membership.admin_scoped import ScopedAdmin

from ..models import DemonstrationBase, TechAssociation
from ..services import bases as services


class DemonstrationBaseForm(forms.ModelForm):
    class Meta:
        model = DemonstrationBase
        fields = ("name", "unit", "level", "recognised_on", "revoked_on", "occupations", "introduction", "public")

    def clean(self):
        cleaned = super().clean()
        recognised_on, revoked_on = cleaned.get("recognised_on"), cleaned.get("revoked_on")
        if recognised_on and revoked_on and revoked_on < recognised_on:
            self.add_error("revoked_on", _("A base cannot be revoked before it was recognised."))
        return cleaned


@admin.register(DemonstrationBase)
class DemonstrationBaseAdmin(ScopedAdmin):
    form = DemonstrationBaseForm
    list_display = ("name", "unit", "level", "recognised_on", "revoked_on", "public")
    list_filter = ("level", "public", "recognised_on")
    search_fields = ("name", "occupations", "unit__name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)

    def save_model(self, request, obj, form, change):
        services.demonstration_base_save(base=obj)


@admin.register(TechAssociation)
class TechAssociationAdmin(ScopedAdmin):
    list_display = ("name", "unit", "founded_on", "member_count", "public")
    list_filter = ("public",)
    search_fields = ("name", "unit__name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit", "member_units")

    @admin.display(description=_("member units"))
    def member_count(self, obj):
        return obj.member_units.count()

    def save_model(self, request, obj, form, change):
        services.tech_association_save(association=obj)

    def save_related(self, request, form, formsets, change):
        services.tech_association_save(association=form.instance, member_units=form.cleaned_data["member_units"])
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
