"""MEM-6 and the learning-organisation inputs in the admin."""
from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from membership.admin_scoped import ScopedAdmin

from ..models import CampaignYear, FundsReturn, LearningOrgStatus


@admin.register(FundsReturn)
class FundsReturnAdmin(ScopedAdmin):
    list_display = ("unit", "year", "payroll", "extracted", "extraction_percent", "spent", "frontline",
                    "frontline_percent", "flag_list", "disclosure")
    list_filter = ("year",)
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    readonly_fields = ("upload",)

    @admin.display(description=_("extraction (% of payroll)"))
    def extraction_percent(self, obj):
        share = obj.extraction_share
        return "" if share is None else f"{share * 100:.2f}%"

    @admin.display(description=_("front-line share"))
    def frontline_percent(self, obj):
        share = obj.frontline_share
        return "" if share is None else f"{share * 100:.1f}%"

    @admin.display(description=_("flags"))
    def flag_list(self, obj):
        flags = obj.flags()
        if not flags:
            return "—"
        return format_html_join("", '<span class="flag-warning">{}</span>', ((flag,) for flag in flags))

    @admin.display(description=_("disclosure sheet"))
    def disclosure(self, obj):
        return format_html('<a href="{}">xlsx</a> · <a href="{}">PDF</a>',
                           reverse("reporting:funds_disclosure", args=[obj.pk, "xlsx"]),
                           reverse("reporting:funds_disclosure", args=[obj.pk, "pdf"]))


@admin.register(LearningOrgStatus)
class LearningOrgStatusAdmin(ScopedAdmin):
    list_display = ("unit", "year", "status")
    list_filter = ("year", "status")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    readonly_fields = ("upload",)


@admin.register(CampaignYear)
class CampaignYearAdmin(ScopedAdmin):
    list_display = ("unit", "year", "active", "note")
    list_filter = ("year", "active")
    search_fields = ("unit__name",)
    list_select_related = ("unit",)
