"""MEM-7: the leading group, its meetings with decisions and follow-up actions, and work plans."""
from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from membership.admin_scoped import ScopedAdmin, ScopedInline

from ..models import (
    CoordinationMeeting,
    FollowUpAction,
    LeadingGroup,
    LeadingGroupMember,
    MeetingDecision,
    WorkPlan,
    WorkPlanItem,
)


class LeadingGroupMemberInline(ScopedInline):
    model = LeadingGroupMember
    extra = 1


@admin.register(LeadingGroup)
class LeadingGroupAdmin(ScopedAdmin):
    list_display = ("name", "unit", "office", "established_on")
    inlines = [LeadingGroupMemberInline]
    autocomplete_fields = ("unit",)


class MeetingDecisionInline(ScopedInline):
    model = MeetingDecision
    extra = 1
    show_change_link = True


@admin.register(CoordinationMeeting)
class CoordinationMeetingAdmin(ScopedAdmin):
    list_display = ("held_on", "title", "unit", "quarter_label", "open_actions")
    list_filter = ("held_on",)
    search_fields = ("title", "minutes")
    date_hierarchy = "held_on"
    inlines = [MeetingDecisionInline]
    autocomplete_fields = ("unit",)

    @admin.display(description=_("quarter"))
    def quarter_label(self, obj):
        return _("%(year)s, quarter %(quarter)s") % {"year": obj.held_on.year, "quarter": obj.quarter}

    @admin.display(description=_("open follow-up actions"))
    def open_actions(self, obj):
        return FollowUpAction.objects.filter(decision__meeting=obj).exclude(state=FollowUpAction.State.DONE).count()


class FollowUpActionInline(ScopedInline):
    model = FollowUpAction
    extra = 1
    fields = ("description", "owner_unit", "due_on", "state", "done_on", "note")
    autocomplete_fields = ("owner_unit",)


@admin.register(MeetingDecision)
class MeetingDecisionAdmin(ScopedAdmin):
    list_display = ("text", "meeting")
    search_fields = ("text",)
    inlines = [FollowUpActionInline]
    list_select_related = ("meeting",)


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        return queryset.overdue() if self.value() == "yes" else queryset


@admin.register(FollowUpAction)
class FollowUpActionAdmin(ScopedAdmin):
    list_display = ("description", "owner_unit", "due_on", "state_badge", "done_on", "decision")
    list_filter = (OverdueFilter, "state", "due_on")
    search_fields = ("description", "owner_unit__name")
    list_select_related = ("owner_unit", "decision")
    autocomplete_fields = ("owner_unit", "decision")

    @admin.display(description=_("state"), ordering="state")
    def state_badge(self, obj):
        if obj.is_overdue(timezone.localdate()):
            return format_html('<span class="flag-overdue">{} · {}</span>', obj.get_state_display(), _("Overdue"))
        return obj.get_state_display()


class WorkPlanItemInline(ScopedInline):
    model = WorkPlanItem
    extra = 1


@admin.register(WorkPlan)
class WorkPlanAdmin(ScopedAdmin):
    list_display = ("unit", "year", "title")
    list_filter = ("year",)
    search_fields = ("unit__name", "title")
    inlines = [WorkPlanItemInline]
    autocomplete_fields = ("unit",)
