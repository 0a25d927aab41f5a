"""REP-1: plans, indicators and targets (incl. each level-1 unit's share, 分解目标) are edited here;
runs are listed, watched and started here."""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_read_only import ReadOnlyAdminMixin
from membership.admin_scoped import ScopedAdmin, ScopedInline

from .. import services
from ..models import Indicator, IndicatorValue, Plan, Run, Target


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("position", "code", "name", "formula", "measure")
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(ScopedAdmin):
    list_display = ("name", "start_year", "end_year", "is_current")
    inlines = [IndicatorInline]


class TargetInline(ScopedInline):
    model = Target
    extra = 1
    fields = ("year", "unit", "comparison", "low", "high")


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdmin):
    list_display = ("code", "name", "plan", "measure", "formula", "position")
    list_filter = ("plan", "measure")
    search_fields = ("code", "name")
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(ScopedAdmin):
    list_display = ("indicator", "year", "unit", "comparison", "low", "high")
    list_filter = ("indicator__plan", "year", "indicator")
    list_select_related = ("indicator", "unit")


@admin.register(Run)
class RunAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ("number", "status", "trigger", "started_at", "finished_at", "first_year", "last_year",
                    "values_written", "requested_by")
    list_filter = ("status", "trigger")
    change_list_template = "admin/reporting/run/change_list.html"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reporting.view_run")

    @admin.display(description=_("run number"), ordering="pk")
    def number(self, obj):
        return obj.pk

    def get_urls(self):
        return [path("start/", self.admin_site.admin_view(self.start_view), name="reporting_run_start"),
                *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "may_start": request.user.has_perm("reporting.start_run"),
                         "running": Run.objects.filter(status=Run.Status.RUNNING).exists()}
        return super().changelist_view(request, extra_context)

    def start_view(self, request):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:reporting_run_changelist"))
        if not request.user.has_perm("reporting.start_run"):
            raise PermissionDenied
        if Run.objects.filter(status=Run.Status.RUNNING).exists() or services.run_is_in_progress():
            messages.warning(request, _("A run is in progress; wait for it to finish."))
            return HttpResponseRedirect(reverse("admin:reporting_run_changelist"))
        from ..tasks import indicators_compute_task

        requested_at = timezone.now().isoformat()
        user_id = request.user.pk
        transaction.on_commit(lambda: indicators_compute_task.delay(requested_at, user_id, Run.Trigger.STAFF))
        messages.success(request, _("The run has been started; this page shows its progress."))
        return HttpResponseRedirect(reverse("admin:reporting_run_changelist"))


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ("indicator", "unit", "year", "numerator", "denominator", "value", "target", "met", "run")
    list_filter = ("year", "met", "indicator__plan", "indicator")
    search_fields = ("unit__name", "indicator__code")
    list_select_related = ("indicator", "unit", "run")

    @admin.display(description=_("target"))
    def target(self, obj):
        return obj.target_text
