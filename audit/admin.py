"""Item 16 of issue 6: the audit trail in the admin, read-only and within the user's subtree
(MEM-2, through ScopedAdmin and each event model's SCOPE_FIELD)."""
from __future__ import annotations

from collections import defaultdict

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_read_only import ReadOnlyAdminMixin
from core.audit_context import is_recorded
from membership import scoping
from membership.admin_scoped import ScopedAdmin

from .models import (
    EVENT_MODELS,
    CourseClassEvent,
    CourseEvent,
    CreditConversionEvent,
    EnrolmentEvent,
    TrainingRecordEvent,
    UnitEvent,
    WorkerEvent,
)
from .selectors import events_for_list

ACTIONS = {"insert": _("Created"), "update": _("Changed"), "delete": _("Deleted")}


class ActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return list(ACTIONS.items())

    def queryset(self, request, queryset):
        if self.value() in ACTIONS:
            return queryset.filter(pgh_label=self.value())
        return queryset


class UserFilter(admin.SimpleListFilter):
    """Who made the change: staff accounts of the user's own subtree."""

    title = _("changed by")
    parameter_name = "user"

    def lookups(self, request, model_admin):
        users = scoping.visible_to(get_user_model().objects.filter(is_staff=True), request.user)
        return [(str(pk), name) for pk, name in users.order_by("username").values_list("pk", "username")[:200]]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(pgh_context__user=int(value))
        return queryset


class SourceFilter(admin.SimpleListFilter):
    title = _("source")
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [("upload", _("An upload")), ("page", _("A page")), ("none", _("Neither (a command or the database)"))]

    def queryset(self, request, queryset):
        if self.value() == "upload":
            return queryset.filter(pgh_context__has_key="upload").exclude(pgh_context__upload=None)
        if self.value() == "page":
            return queryset.filter(pgh_context__has_key="url").exclude(pgh_context__has_key="upload")
        if self.value() == "none":
            return queryset.filter(pgh_context__isnull=True)
        return queryset


class ChangedAtFilter(admin.DateFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("changed at")


class AuditEventAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """One list per tracked model; the trail is written by the database and never edited here."""

    list_display = ("changed_at", "action", "subject", "changes", "changed_by", "source")
    list_filter = (ActionFilter, ("pgh_created_at", ChangedAtFilter), UserFilter, SourceFilter)
    date_hierarchy = "pgh_created_at"
    change_list_template = "admin/audit/change_list.html"
    show_full_result_count = False
    # The field whose value names the changed object in the list.
    subject_field = ""

    def get_queryset(self, request):
        return events_for_list(super().get_queryset(request))

    def get_fields(self, request, obj=None):
        return ["changed_at", "action", "subject", "changed_by", "source", "changes", *self.model.tracked_fields]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def changelist_view(self, request, extra_context=None):
        context = {
            "audit_recorded": is_recorded(),
            "audit_lists": [
                (model._meta.verbose_name_plural, reverse(f"admin:audit_{model._meta.model_name}_changelist"))
                for model in EVENT_MODELS if request.user.has_perm(f"audit.view_{model._meta.model_name}")
            ],
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    @admin.display(description=_("changed at"), ordering="pgh_created_at")
    def changed_at(self, event):
        # As text in local time: the read-only detail page would show the raw UTC value.
        return date_format(timezone.localtime(event.pgh_created_at), "DATETIME_FORMAT")

    @admin.display(description=_("action"), ordering="pgh_label")
    def action(self, event):
        return ACTIONS.get(event.pgh_label, event.pgh_label)

    @admin.display(description=_("object"), ordering="pgh_obj")
    def subject(self, event):
        name = getattr(event, self.subject_field, "") if self.subject_field else ""
        return f"{name}（#{event.pgh_obj_id}）" if name else f"#{event.pgh_obj_id}"

    @admin.display(description=_("changed by"))
    def changed_by(self, event):
        return getattr(event, "audit_username", None) or "—"

    @admin.display(description=_("source"))
    def source(self, event):
        context = event.pgh_context or {}
        if context.get("upload"):
            label = gettext("Upload #%(id)s") % {"id": context["upload"]}
            try:
                url = reverse("admin:uploads_upload_change", args=[context["upload"]])
            except NoReverseMatch:
                return label
            return format_html('<a href="{}">{}</a>', url, label)
        return context.get("url") or "—"

    @admin.display(description=_("changes"))
    def changes(self, event):
        if event.pgh_label == "delete":
            return "—"
        names = getattr(event, "audit_names", {})
        after = getattr(event, "audit_after", None) or {}
        before = getattr(event, "audit_before", None)
        if event.pgh_label == "insert" or before is None:
            shown = [name for name in self.model.tracked_fields if after.get(name) not in (None, "", False)]
            return format_html_join("", "<div>{}: {}</div>", (
                (self._label(name), self._value(name, after.get(name), names)) for name in shown
            ))
        changed = [name for name in self.model.tracked_fields if before.get(name) != after.get(name)]
        return format_html_join("", "<div>{}: {} → {}</div>", (
            (self._label(name), self._value(name, before.get(name), names), self._value(name, after.get(name), names))
            for name in changed
        ))

    def _label(self, name: str) -> str:
        return str(self.model._meta.get_field(name).verbose_name)

    def _value(self, name: str, value, names: dict) -> str:
        if value is None or value == "":
            return "—"
        field = self.model._meta.get_field(name)
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.ForeignKey):
            return names.get((field.related_model, value), f"#{value}")
        return str(value)

    def _name_related(self, events, user) -> None:
        """Name the related objects of the shown events in one query per related model; an
        object outside the viewer's subtree stays a bare id (MEM-2)."""
        foreign_keys = [field for field in (self.model._meta.get_field(name) for name in self.model.tracked_fields)
                        if isinstance(field, models.ForeignKey)]
        wanted = defaultdict(set)
        for event in events:
            for snapshot in (getattr(event, "audit_after", None), getattr(event, "audit_before", None)):
                for field in foreign_keys:
                    if snapshot and snapshot.get(field.name) is not None:
                        wanted[field.related_model].add(snapshot[field.name])
        names = {}
        for model, ids in wanted.items():
            related = model.objects.filter(pk__in=ids)
            if scoping.is_scoped(model):
                related = scoping.visible_to(related, user)
            names.update({(model, obj.pk): str(obj) for obj in related})
        for event in events:
            event.audit_names = names

    def get_object(self, request, object_id, from_field=None):
        event = super().get_object(request, object_id, from_field)
        if event is not None:
            self._name_related([event], request.user)
        return event

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        self._name_related(changelist.result_list, request.user)
        return changelist


@admin.register(WorkerEvent)
class WorkerEventAdmin(AuditEventAdmin):
    search_fields = ("name", "post")
    subject_field = "name"


@admin.register(UnitEvent)
class UnitEventAdmin(AuditEventAdmin):
    search_fields = ("name", "code")
    subject_field = "name"


@admin.register(CourseEvent)
class CourseEventAdmin(AuditEventAdmin):
    search_fields = ("title", "code")
    subject_field = "title"


@admin.register(CourseClassEvent)
class CourseClassEventAdmin(AuditEventAdmin):
    search_fields = ("name",)
    subject_field = "name"


@admin.register(EnrolmentEvent)
class EnrolmentEventAdmin(AuditEventAdmin):
    search_fields = ("worker__name", "course_class__name")


@admin.register(TrainingRecordEvent)
class TrainingRecordEventAdmin(AuditEventAdmin):
    search_fields = ("project", "worker__name")
    subject_field = "project"


@admin.register(CreditConversionEvent)
class CreditConversionEventAdmin(AuditEventAdmin):
    search_fields = ("institution", "programme", "worker__name")
    subject_field = "programme"
