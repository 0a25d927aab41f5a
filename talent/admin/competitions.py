"""TAL-6: skills competitions, results, qualifying awards and fast-track recommendations in the admin."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_read_only import ReadOnlyAdminMixin
from membership.admin_scoped import ScopedAdmin, ScopedInline

from ..models import Competition, CompetitionResult, FastTrackRecommendation, QualifyingAward
from ..services import competitions as services


@admin.register(QualifyingAward)
class QualifyingAwardAdmin(ScopedAdmin):
    """TAL-6: which awards earn the fast track is data; municipal staff edit it."""

    list_display = ("level", "award")
    list_filter = ("level",)


class CompetitionResultInline(ScopedInline):
    """The entrants, as the user may see them; results are entered on their own page or uploaded."""

    model = CompetitionResult
    fields = ("worker", "rank", "award", "unit")
    readonly_fields = fields
    can_delete = False
    max_num = 0
    ordering = ("rank", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("worker", "unit")


class CompetitionForm(forms.ModelForm):
    class Meta:
        model = Competition
        fields = ("code", "name", "level", "organiser", "co_organisers", "industry", "occupation", "year", "series",
                  "is_public")


@admin.register(Competition)
class CompetitionAdmin(ScopedAdmin):
    form = CompetitionForm
    list_display = ("code", "name", "year", "level", "organiser", "industry", "occupation", "series", "is_public")
    list_filter = ("level", "year", "is_public", "occupation")
    search_fields = ("code", "name", "series", "co_organisers")
    list_select_related = ("organiser", "industry", "occupation")
    autocomplete_fields = ("organiser",)
    readonly_fields = ("upload",)
    inlines = [CompetitionResultInline]

    def get_readonly_fields(self, request, obj=None):
        return ("code", "upload") if obj is not None else ("upload",)

    def save_model(self, request, obj, form, change):
        if change:
            services.competition_update(competition=Competition.objects.get(pk=obj.pk),
                                        **{name: form.cleaned_data[name] for name in form.changed_data})
        else:
            obj.pk = services.competition_create(
                **{name: form.cleaned_data[name] for name in CompetitionForm.Meta.fields}).pk

    def save_related(self, request, form, formsets, change):
        form.save_m2m()  # the results inline is read-only: nothing of it is saved here


class CompetitionResultForm(forms.ModelForm):
    class Meta:
        model = CompetitionResult
        fields = ("competition", "worker", "rank", "award")

    def clean_rank(self):
        rank = self.cleaned_data.get("rank")
        if rank == 0:
            raise forms.ValidationError(_("The rank is a whole number from 1"))
        return rank


@admin.register(CompetitionResult)
class CompetitionResultAdmin(ScopedAdmin):
    form = CompetitionResultForm
    list_display = ("competition", "worker", "rank", "award", "unit", "has_recommendation")
    list_filter = ("competition__level", "competition__year", "award")
    search_fields = ("worker__name", "competition__name", "competition__code", "award")
    list_select_related = ("competition", "worker", "unit", "recommendation")
    autocomplete_fields = ("competition", "worker")
    readonly_fields = ("unit", "upload")

    def get_readonly_fields(self, request, obj=None):
        return ("competition", "worker", "unit", "upload") if obj is not None else ("unit", "upload")

    @admin.display(description=_("fast track"), boolean=True)
    def has_recommendation(self, result):
        return hasattr(result, "recommendation")

    def save_model(self, request, obj, form, change):
        if change:
            services.competition_result_update(result=CompetitionResult.objects.get(pk=obj.pk),
                                               **{name: form.cleaned_data[name] for name in form.changed_data})
        else:
            obj.pk = services.competition_result_create(
                **{name: form.cleaned_data[name] for name in CompetitionResultForm.Meta.fields}).pk


class FulfilledFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "fulfilled"

    def lookups(self, request, model_admin):
        return [("no", _("Awaiting a certificate")), ("yes", _("Fulfilled"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(fulfilled_by__isnull=True)
        if self.value() == "yes":
            return queryset.filter(fulfilled_by__isnull=False)
        return queryset


@admin.register(FastTrackRecommendation)
class FastTrackRecommendationAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """TAL-6: the winners recommended for the next level, written by the result services and
    fulfilled by the certificate services; staff read them here."""

    list_display = ("worker", "competition", "award", "level_before", "level", "created_at", "fulfilled_by",
                    "fulfilled_on")
    list_filter = (FulfilledFilter, "level", "result__competition__year")
    search_fields = ("worker__name", "result__competition__name")
    list_select_related = ("worker", "result__competition", "fulfilled_by")

    @admin.display(description=_("competition"))
    def competition(self, recommendation):
        return recommendation.result.competition

    @admin.display(description=_("award"))
    def award(self, recommendation):
        return recommendation.result.award
