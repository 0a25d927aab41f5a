"""INN-3 in the admin: six-smalls entries, invention contests and their entries and awards."""
from __future__ import annotations

from django.contrib import admin

from membership.admin_scoped import ScopedAdmin, ScopedInline

from ..models import ContestEntry, InventionContest, SmallsEntry


@admin.register(SmallsEntry)
class SmallsEntryAdmin(ScopedAdmin):
    list_display = ("title", "kind", "year", "unit", "benefit")
    list_filter = ("kind", "year")
    search_fields = ("title", "unit__name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit", "workers")


class ContestEntryInline(ScopedInline):
    model = ContestEntry
    fields = ("title", "unit", "score", "award")
    autocomplete_fields = ("unit",)


@admin.register(InventionContest)
class InventionContestAdmin(ScopedAdmin):
    list_display = ("title", "year", "unit", "held_on")
    list_filter = ("year",)
    search_fields = ("title",)
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    inlines = (ContestEntryInline,)


@admin.register(ContestEntry)
class ContestEntryAdmin(ScopedAdmin):
    list_display = ("title", "contest", "unit", "score", "award")
    list_filter = ("award", "contest__year")
    search_fields = ("title", "unit__name", "contest__title")
    list_select_related = ("contest", "unit")
    autocomplete_fields = ("unit", "workers")
