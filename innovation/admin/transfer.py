"""INN-5 in the admin: fairs and exhibitions with the achievements shown, technology contracts."""
from __future__ import annotations

from django.contrib import admin

from membership.admin_scoped import ScopedAdmin

from ..models import TechnologyContract, TransferEvent


@admin.register(TransferEvent)
class TransferEventAdmin(ScopedAdmin):
    list_display = ("title", "kind", "held_on", "unit", "place")
    list_filter = ("kind",)
    search_fields = ("title", "place")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit", "achievements")


@admin.register(TechnologyContract)
class TechnologyContractAdmin(ScopedAdmin):
    list_display = ("number", "title", "kind", "provider", "client", "amount", "registered_on", "unit")
    list_filter = ("kind", "registered_on")
    search_fields = ("number", "title", "provider", "client")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit", "achievement")
