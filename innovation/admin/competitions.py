"""INN-1 in the admin: committees, competitions with their participating teams, and the 工人先锋号
titles a competition awards to its teams."""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from membership.admin_scoped import ScopedAdmin, ScopedInline

from ..models import CompetitionCommittee, CompetitionEntry, CompetitionLevel, HonourLevel, LabourCompetition
from ..services import competitions as services

# The level of a 工人先锋号 follows the committee that awards it.
PIONEER_LEVEL = {CompetitionLevel.MUNICIPAL: HonourLevel.MUNICIPAL, CompetitionLevel.DISTRICT: HonourLevel.DISTRICT,
                 CompetitionLevel.ENTERPRISE: HonourLevel.ENTERPRISE}


@admin.register(CompetitionCommittee)
class CompetitionCommitteeAdmin(ScopedAdmin):
    list_display = ("name", "level", "unit", "established_on")
    list_filter = ("level",)
    search_fields = ("name", "unit__name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)


class CompetitionEntryInline(ScopedInline):
    model = CompetitionEntry
    fields = ("unit", "team_name", "score", "rank", "result")
    autocomplete_fields = ("unit",)


@admin.register(LabourCompetition)
class LabourCompetitionAdmin(ScopedAdmin):
    list_display = ("title", "theme", "year", "committee", "works", "starts_on", "ends_on")
    list_filter = ("theme", "year", "committee__level")
    search_fields = ("title", "works", "committee__name")
    list_select_related = ("committee",)
    inlines = (CompetitionEntryInline,)

    def save_model(self, request, obj, form, change):
        services.competition_save(competition=obj)


@admin.action(description=_("Award the Workers' Pioneer title"), permissions=["change"])
def award_pioneer_title(modeladmin, request, queryset):
    done = 0
    for entry in queryset.select_related("competition__committee", "unit"):
        try:
            services.pioneer_title_award(entry=entry, awarded_on=entry.competition.ends_on,
                                         level=PIONEER_LEVEL[entry.competition.committee.level], by=request.user)
            done += 1
        except (ValidationError, PermissionDenied) as error:
            modeladmin.message_user(request, f"{entry}：{'；'.join(getattr(error, 'messages', [str(error)]))}",
                                    messages.WARNING)
    if done:
        modeladmin.message_user(request, _("%(count)d teams awarded the Workers' Pioneer title.") % {"count": done})


@admin.register(CompetitionEntry)
class CompetitionEntryAdmin(ScopedAdmin):
    list_display = ("competition", "unit", "team_name", "score", "rank", "result")
    list_filter = ("competition__year", "competition__theme")
    search_fields = ("team_name", "unit__name", "competition__title")
    list_select_related = ("competition", "unit")
    autocomplete_fields = ("unit",)
    actions = (award_pioneer_title,)
