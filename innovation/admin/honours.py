"""INN-6 in the admin: honours, and the ladder page — for each rung, who holds the rung below and
is therefore eligible, with their records beside them — exported as xlsx with ID numbers masked."""
from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from membership.admin_scoped import ScopedAdmin
from uploads.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes

from ..models import Honour
from ..selectors import honours as selectors
from ..services import honours as services


@admin.register(Honour)
class HonourAdmin(ScopedAdmin):
    list_display = ("holder", "rung", "level", "awarded_on", "revoked_on", "unit", "competition")
    list_filter = ("rung", "level", "awarded_on")
    search_fields = ("worker__name", "team_name", "unit__name")
    list_select_related = ("worker", "unit", "competition")
    autocomplete_fields = ("worker", "unit", "competition")
    change_list_template = "admin/innovation/honour/change_list.html"

    @admin.display(description=gettext_lazy("holder"))
    def holder(self, honour):
        return honour.worker.name if honour.worker_id else honour.team_name

    def save_model(self, request, obj, form, change):
        services.honour_save(honour=obj)

    def get_urls(self):
        return [
            path("ladder/", self.admin_site.admin_view(self.ladder_view), name="innovation_honour_ladder"),
            path("ladder/export/", self.admin_site.admin_view(self.ladder_export), name="innovation_honour_ladder_export"),
            *super().get_urls(),
        ]

    def _ladder(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        day = _day(request.GET.get("day"))
        q = request.GET.get("q", "").strip()[:50]
        return day, q, selectors.honours_ladder(user=request.user, day=day, q=q)

    def ladder_view(self, request):
        day, q, steps = self._ladder(request)
        return TemplateResponse(request, "admin/innovation/honour/ladder.html", {
            **self.admin_site.each_context(request), "title": _("Honours ladder: who is eligible for the next rung"),
            "opts": self.model._meta, "steps": steps, "day": day, "q": q,
            "evidence": selectors.ladder_evidence_columns(),
            "can_export": request.user.has_perm("innovation.export_honour"),
        })

    def ladder_export(self, request):
        if not request.user.has_perm("innovation.export_honour"):
            raise PermissionDenied
        day, _q, steps = self._ladder(request)
        headers, rows = selectors.ladder_rows(steps)
        response = HttpResponse(xlsx_bytes([(_("Honours ladder"), headers, rows)]), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="honours-ladder-{day:%Y%m%d}.xlsx"'
        return response


def _day(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return timezone.localdate()
