"""TAL-4: innovation studios, their recognitions, activities and assessments in the admin."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership.admin_scoped import ScopedAdmin, ScopedInline

from ..models import RecognitionLevel, Studio, StudioActivity, StudioAssessment, StudioRecognition
from ..selectors.studios import with_level_on
from ..services import studios as services


class StudioForm(forms.ModelForm):
    """The add form also records the first recognition; the leader must qualify on its date (on
    the day of the change for a later change of leader)."""

    level = forms.TypedChoiceField(label=_("level"), choices=RecognitionLevel.choices, coerce=int, required=False)
    recognised_on = forms.DateField(label=_("recognised on"), required=False)
    recognised_by = forms.CharField(label=_("recognised by"), max_length=200, required=False)

    class Meta:
        model = Studio
        fields = ("name", "unit", "field", "leader", "members", "introduction", "public")

    def clean(self):
        cleaned = super().clean()
        adding = self.instance.pk is None
        if adding:
            for name in ("level", "recognised_on"):
                if not cleaned.get(name):
                    self.add_error(name, _("A new studio needs its level and recognition date."))
        leader = cleaned.get("leader")
        if leader is None or self.errors:
            return cleaned
        if adding or "leader" in self.changed_data:
            day = cleaned["recognised_on"] if adding else timezone.localdate()
            try:
                services.studio_leader_check(leader, day)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class StudioRecognitionForm(forms.ModelForm):
    class Meta:
        model = StudioRecognition
        fields = ("level", "recognised_on", "recognised_by")

    def clean(self):
        cleaned = super().clean()
        studio = getattr(self.instance, "studio", None)
        if self.instance.pk is None and studio is not None and studio.pk and cleaned.get("level") and cleaned.get("recognised_on"):
            try:
                services.studio_recognition_check(studio=studio, level=cleaned["level"], recognised_on=cleaned["recognised_on"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class StudioRecognitionInline(ScopedInline):
    """History: a row is added (an upgrade, a new recognition after a removal), never rewritten;
    a failing assessment fills in its removal."""

    model = StudioRecognition
    form = StudioRecognitionForm
    fields = ("level", "recognised_on", "recognised_by", "removed_on", "removed_by_assessment")
    readonly_fields = ("removed_on", "removed_by_assessment")

    def has_change_permission(self, request, obj=None):
        return False


class StudioAssessmentForm(forms.ModelForm):
    class Meta:
        model = StudioAssessment
        fields = ("year", "assessed_on", "score", "grade", "remarks")


class StudioAssessmentInline(ScopedInline):
    model = StudioAssessment
    form = StudioAssessmentForm


@admin.register(Studio)
class StudioAdmin(ScopedAdmin):
    form = StudioForm
    list_display = ("name", "unit", "leader_name", "field", "level_today", "public")
    list_filter = ("public", "recognitions__level")
    search_fields = ("name", "field", "unit__name", "leader__name")
    list_select_related = ("unit", "leader")
    autocomplete_fields = ("unit", "leader", "members")
    inlines = [StudioRecognitionInline, StudioAssessmentInline]

    def get_fieldsets(self, request, obj=None):
        main = ("name", "unit", "field", "leader", "members", "introduction", "public")
        if obj is None:
            return [(None, {"fields": main}), (_("First recognition"), {"fields": ("level", "recognised_on", "recognised_by")})]
        return [(None, {"fields": main})]

    def get_inline_instances(self, request, obj=None):
        # The add form records the first recognition itself; history and assessments come after.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_queryset(self, request):
        return with_level_on(super().get_queryset(request), timezone.localdate())

    @admin.display(description=_("leader"), ordering="leader__name")
    def leader_name(self, obj):
        return obj.leader.name

    @admin.display(description=_("level today"), ordering="level_on")
    def level_today(self, obj):
        return RecognitionLevel(obj.level_on).label if obj.level_on else _("Not recognised")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            fields = {name: data[name] for name in form.changed_data if name in services.STUDIO_FIELDS}
            services.studio_update(studio=Studio.objects.get(pk=obj.pk), **fields)
        else:
            obj.pk = services.studio_create(
                name=data["name"], unit=data["unit"], leader=data["leader"], field=data["field"], level=data["level"],
                recognised_on=data["recognised_on"], recognised_by=data.get("recognised_by", ""),
                introduction=data["introduction"],
                public=data["public"]).pk
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Members go through the service; the inlines below.
        services.studio_update(studio=Studio.objects.get(pk=form.instance.pk), members=form.cleaned_data["members"])
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        studio = Studio.objects.get(pk=form.instance.pk)
        if formset.model is StudioRecognition:
            for recognition in formset.deleted_objects:
                recognition.delete()
            for recognition in formset.new_objects:
                services.studio_recognise(studio=studio, level=recognition.level, recognised_on=recognition.recognised_on,
                                          recognised_by=recognition.recognised_by)
        elif formset.model is StudioAssessment:
            for assessment in formset.deleted_objects:
                services.studio_assessment_delete(assessment=assessment)
            for assessment in [*formset.new_objects, *(obj for obj, _changed in formset.changed_objects)]:
                services.studio_assessment_save(
                    studio=studio, year=assessment.year, assessed_on=assessment.assessed_on, score=assessment.score,
                    grade=assessment.grade, remarks=assessment.remarks, assessment=assessment if assessment.pk else None)


class StudioAssessmentAdminForm(StudioAssessmentForm):
    class Meta(StudioAssessmentForm.Meta):
        fields = ("studio", *StudioAssessmentForm.Meta.fields)


@admin.register(StudioAssessment)
class StudioAssessmentAdmin(ScopedAdmin):
    """Every studio's assessments in one list: a failing grade removes the recognition from its date."""

    form = StudioAssessmentAdminForm
    list_display = ("studio", "year", "assessed_on", "score", "grade")
    list_filter = ("grade", "year")
    search_fields = ("studio__name",)
    list_select_related = ("studio",)
    autocomplete_fields = ("studio",)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.studio_assessment_save(
            studio=data["studio"], year=data["year"], assessed_on=data["assessed_on"], score=data["score"],
            grade=data["grade"], remarks=data["remarks"], assessment=obj if change else None)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.studio_assessment_delete(assessment=obj)

    def delete_queryset(self, request, queryset):
        for assessment in queryset:
            services.studio_assessment_delete(assessment=assessment)


class StudioActivityForm(forms.ModelForm):
    class Meta:
        model = StudioActivity
        fields = ("studio", "kind", "title", "started_on", "ended_on", "outcome", "master", "apprentices")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind"):
            try:
                services.studio_activity_check(cleaned["kind"], cleaned.get("master"), list(cleaned.get("apprentices") or []))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(StudioActivity)
class StudioActivityAdmin(ScopedAdmin):
    form = StudioActivityForm
    list_display = ("title", "studio", "kind", "started_on", "ended_on")
    list_filter = ("kind", "started_on")
    search_fields = ("title", "studio__name", "outcome")
    list_select_related = ("studio",)
    autocomplete_fields = ("studio", "master", "apprentices")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        obj.pk = services.studio_activity_save(
            studio=data["studio"], kind=data["kind"], title=data["title"], started_on=data["started_on"],
            ended_on=data["ended_on"], outcome=data["outcome"], master=data["master"],
            apprentices=data["apprentices"], activity=obj if change else None).pk

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
