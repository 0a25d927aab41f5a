"""TAL-1, TAL-2: skill certificates, occupations and the skilled-talent database in the admin."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_read_only import ReadOnlyAdminMixin
from core.identity import BIRTH_BAND_YEARS, birth_year_band
from membership import scoping
from membership.admin_scoped import ScopedAdmin, ScopedExportAdmin
from membership.models import Industry, Unit

from ..models import Occupation, SkillCertificate, SkillLevel, TalentRecord
from ..resources import TalentRecordResource
from ..selectors import certificates as selectors
from ..services import certificates as services


@admin.register(Occupation)
class OccupationAdmin(ScopedAdmin):
    list_display = ("name",)
    search_fields = ("name",)


class SkillCertificateForm(forms.ModelForm):
    class Meta:
        model = SkillCertificate
        fields = ("worker", "occupation", "level", "number", "issuer", "issued_on", "valid_until")

    def clean(self):
        cleaned = super().clean()
        issued_on, valid_until = cleaned.get("issued_on"), cleaned.get("valid_until")
        if issued_on and issued_on > timezone.localdate():
            self.add_error("issued_on", _("The issue date lies in the future"))
        if issued_on and valid_until and valid_until < issued_on:
            self.add_error("valid_until", _("The certificate cannot expire before it was issued"))
        return cleaned


@admin.register(SkillCertificate)
class SkillCertificateAdmin(ScopedAdmin):
    form = SkillCertificateForm
    list_display = ("number", "worker", "occupation", "level", "issuer", "issued_on", "valid_until", "unit")
    list_filter = ("level", "occupation", "issued_on")
    search_fields = ("number", "worker__name", "issuer")
    list_select_related = ("worker", "occupation", "unit")
    autocomplete_fields = ("worker",)
    readonly_fields = ("unit", "upload")
    date_hierarchy = "issued_on"
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        # The worker and the number identify the certificate: a wrong one is deleted and added again.
        return ("worker", "number", "unit", "upload") if obj is not None else ("unit", "upload")

    def save_model(self, request, obj, form, change):
        if change:
            services.skill_certificate_update(
                certificate=SkillCertificate.objects.get(pk=obj.pk),
                **{name: form.cleaned_data[name] for name in form.changed_data if name in services.FORM_CHANGEABLE})
        else:
            obj.pk = services.skill_certificate_create(
                **{name: form.cleaned_data[name] for name in SkillCertificateForm.Meta.fields}).pk


class IndustrySectionFilter(admin.SimpleListFilter):
    """TAL-2: by the industry section (门类) of the worker's unit; units carry a division."""

    title = _("industry")
    parameter_name = "industry"

    def lookups(self, request, model_admin):
        return [(str(pk), f"{code} {name}") for pk, code, name in
                Industry.objects.filter(section__isnull=True).values_list("pk", "code", "name")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(worker__unit__industry__section_id=int(self.value()))
        return queryset


class DistrictFilter(admin.SimpleListFilter):
    """TAL-2: by the district of the worker's unit, among the districts of the user's units."""

    title = _("district")
    parameter_name = "district"

    def lookups(self, request, model_admin):
        districts = (scoping.visible_to(Unit.objects.filter(depth__lte=2), request.user).exclude(district="")
                     .order_by("district").values_list("district", flat=True).distinct())
        return [(district, district) for district in districts]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(worker__unit__district=self.value())
        return queryset


class BirthBandFilter(admin.SimpleListFilter):
    """TAL-2 age band: by birth-year band (MEM-4: never a birth date or an age to the day)."""

    title = _("birth years")
    parameter_name = "born"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        first = this_year - 70 - (this_year - 70) % BIRTH_BAND_YEARS
        return [(str(year), birth_year_band(timezone.datetime(year, 1, 1).date()))
                for year in range(first, this_year - 15, BIRTH_BAND_YEARS)]

    def queryset(self, request, queryset):
        value = self.value()
        # A year of four digits: a longer number overflowed the database's year (a server error).
        if value and value.isdigit() and len(value) == 4:
            start = int(value) - int(value) % BIRTH_BAND_YEARS
            return queryset.filter(worker__birth_date__year__gte=start,
                                   worker__birth_date__year__lt=start + BIRTH_BAND_YEARS)
        return queryset


@admin.register(TalentRecord)
class TalentRecordAdmin(ReadOnlyAdminMixin, ScopedExportAdmin):
    """TAL-2 技能人才库: each certified worker of the user's subtree once, at their level of today,
    with counts by level above the list (for the list's filters and search)."""

    resource_classes = [TalentRecordResource]
    list_display = ("worker_name", "id_number", "birth_band", "level", "occupation", "worker_unit", "district",
                    "industry", "number", "issued_on", "valid_until")
    list_filter = ("level", "occupation", IndustrySectionFilter, DistrictFilter, BirthBandFilter)
    search_fields = ("worker__name", "number", "worker__unit__name", "worker__unit__code")
    list_display_links = None
    show_full_result_count = False
    change_list_template = "admin/talent/talentrecord/change_list.html"
    ordering = ("level", "worker__name", "id")

    def get_queryset(self, request):
        return selectors.talent_database(user=request.user)

    def lookup_allowed(self, lookup, value, request=None):
        # MEM-4, as on the worker list: no lookup on the birth date from the address.
        if "birth_date" in lookup:
            return False
        return super().lookup_allowed(lookup, value, request)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            counts = selectors.level_counts(changelist.queryset)
            response.context_data["level_counts"] = [
                (level, SkillLevel(level).label, counts[level]) for level in sorted(counts)]
            response.context_data["level_total"] = sum(counts.values())
        return response

    @admin.display(description=_("name"), ordering="worker__name")
    def worker_name(self, record):
        return record.worker.name

    @admin.display(description=_("ID number"))
    def id_number(self, record):
        return record.worker.id_number_masked

    @admin.display(description=_("birth years"))
    def birth_band(self, record):
        return birth_year_band(record.worker.birth_date)

    @admin.display(description=_("unit"))
    def worker_unit(self, record):
        return record.worker.unit.name

    @admin.display(description=_("district"))
    def district(self, record):
        return record.worker.unit.district

    @admin.display(description=_("industry"))
    def industry(self, record):
        return record.worker.unit.industry or "—"
