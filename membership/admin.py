from __future__ import annotations

import copy
from typing import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.admin_read_only import ReadOnlyAdminMixin
from core.crypto import id_number_digest
from core.identity import (
    InvalidCode,
    birth_year_band,
    looks_like_full_id_number,
    mask_id_number,
    mask_id_numbers_in_text,
    parse_credit_code,
    parse_id_number,
)
from core.permission_labels import label_permissions
from portal.client_address import client_address
from uploads.values import FORMULA_TEXT, starts_like_formula

from . import password_reset, scoping, selectors, services
from .admin_scoped import ScopedAdmin, ScopedExportAdmin
from .models import IdNumberLookup, IdNumberReveal, Industry, PasswordResetCode, Unit, User, Worker, WorkerTransfer
from .record import WorkerSection, register_worker_section, worker_record
from .resources import UnitResource, WorkerResource


@admin.register(Industry)
class IndustryAdmin(ScopedAdmin):
    list_display = ("code", "name", "section")
    search_fields = ("code", "name")
    list_filter = ("section",)


def _refuse_formula_text(value: str) -> str:
    """UPL-4, issue 8: a name that begins like a formula runs in the spreadsheet of whoever opens
    an export; the admin refuses it as the uploads do (Column.formula_guard)."""
    if value and starts_like_formula(value):
        raise ValidationError(gettext(FORMULA_TEXT))
    return value


class UnitForm(forms.ModelForm):
    parent = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("parent unit"), required=True)

    class Meta:
        model = Unit
        # The member level follows the tree (services.unit_membership): shown, never typed.
        fields = ("name", "code", "kind", "industry", "district", "membership_status",
                  "membership_since", "worker_count")

    def clean_name(self):
        return _refuse_formula_text(self.cleaned_data["name"])

    def clean(self):
        cleaned = super().clean()
        parent, code = cleaned.get("parent"), cleaned.get("code")
        # MEM-1: below the level-1 unions a unit is an enterprise or street union, and its code is
        # the enterprise's unified social credit code.
        if parent is not None and code and parent.depth >= 2:
            try:
                cleaned["code"] = parse_credit_code(code)
            except InvalidCode as error:
                self.add_error("code", str(error))
        return cleaned


@admin.register(Unit)
class UnitAdmin(ScopedExportAdmin):
    form = UnitForm
    resource_classes = [UnitResource]
    list_display = ("name", "code", "kind", "level_display", "industry", "district", "member_level", "membership_status")
    list_filter = ("kind", "member_level", "membership_status", "district")
    search_fields = ("name", "code")
    list_select_related = ("industry",)
    ordering = ("path",)
    change_list_template = "admin/membership/unit/change_list.html"
    readonly_fields = ("member_level",)

    @admin.display(description=_("level"), ordering="depth")
    def level_display(self, unit):
        return unit.level

    # A view-only user sees the form's `parent` as a read-only field, which Django looks up on the
    # admin: without this it showed the English "Parent" and "None".
    @admin.display(description=_("parent unit"))
    def parent(self, unit):
        return unit.get_parent() if unit.pk and not unit.is_root() else "—"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The declared field is shared by every form class built from UnitForm: configure a copy,
        # or one request's parent and queryset would leak into the next request's form.
        parent_field = form.base_fields["parent"] = copy.deepcopy(form.base_fields["parent"])
        parents = scoping.visible_to(Unit.objects.all(), request.user).order_by("path")
        if obj is not None:
            parents = parents.exclude(path__startswith=obj.path)
        # The top of the tree (and an officer's own unit) keeps its place.
        top = obj is not None and (obj.is_root() or obj.path == scoping.user_root_path(request.user))
        if top and not obj.is_root():
            # An officer's own unit hangs under a unit they cannot see; the disabled field still
            # validates its (unchanged) value against the queryset, so that parent must be in it.
            parents = Unit.objects.filter(pk=obj.get_parent().pk)
        parent_field.queryset = parents
        parent_field.required = not top
        parent_field.disabled = top
        parent_field.initial = obj.get_parent() if obj is not None and not obj.is_root() else None
        return form

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in UnitForm.Meta.fields
                  if name != "code" and name in form.cleaned_data}
        industry = fields.pop("industry", None)
        fields["industry_id"] = industry.pk if industry else None
        parent = form.cleaned_data.get("parent")
        if change:
            unit = Unit.objects.get(pk=obj.pk)
            if "code" in form.changed_data:
                fields["code"] = form.cleaned_data["code"]
            services.unit_update(unit=unit, parent=parent, **fields)
        else:
            created = services.unit_create(parent=parent, code=form.cleaned_data["code"], **fields)
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.path == scoping.user_root_path(request.user):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.units_delete(units=[obj])

    def delete_queryset(self, request, queryset):
        services.units_delete(units=queryset)

    def get_urls(self):
        return [path("tree/", self.admin_site.admin_view(self.tree_view), name="membership_unit_tree"),
                *super().get_urls()]

    def tree_view(self, request):
        """MEM-1: the union tree, expandable, with the workers of each unit's whole subtree; a
        branch deeper than the page shows opens as a tree of its own (?root=<id>)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        root = None
        if "root" in request.GET:
            root = selectors.unit_in_subtree_filter(user=request.user, unit_id=request.GET["root"])
            if root is None:
                raise Http404
        tree = selectors.unit_tree(user=request.user, root=root)
        ancestors = []
        if tree is not None and tree.unit.path != scoping.user_root_path(request.user):
            own = scoping.user_root_path(request.user) or ""
            ancestors = [unit for unit in scoping.visible_to(tree.unit.get_ancestors(), request.user)
                         if len(unit.path) >= len(own)]
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "tree": tree,
                   "ancestors": ancestors, "title": _("Union unit tree"),
                   "may_view_workers": request.user.has_perm("membership.view_worker")}
        return TemplateResponse(request, "admin/membership/unit/tree.html", context)


class WorkerForm(forms.ModelForm):
    id_number = forms.CharField(label=_("ID number"), max_length=30, required=False)
    # MEM-3: a change of unit is a transfer, effective from this day (not the day it is typed).
    transfer_on = forms.DateField(label=_("transfer date"), required=False,
                                  help_text=_("When the unit is changed: the day the move takes effect (today if empty)."))

    class Meta:
        model = Worker
        fields = ("name", "unit", "post", "is_frontline", "is_migrant", "is_needy", "education", "phone", "joined_union_on",
                  "left_on", "leaving_reason")

    # Set by WorkerAdmin.get_form: who asks decides which answers count against their allowance.
    request = None

    def clean_name(self):
        return _refuse_formula_text(self.cleaned_data["name"])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            cleaned["id_number"] = ""
        elif cleaned.get("name"):
            # Asked with the name (MEM-4: a guess beside a worker of the same name and mask counts);
            # a form without a name gets no answer about the number at all.
            try:
                cleaned["id_number"] = services.worker_id_number_check(
                    id_number=cleaned.get("id_number", ""), name=cleaned["name"], by=self.request.user,
                    address=client_address(self.request))
            except ValidationError as error:
                self.add_error("id_number", error.message_dict["id_number"])
        return cleaned


class ReleaseForm(forms.Form):
    released_on = forms.DateField(label=_("release date"), help_text=_("The day the worker leaves this unit."))


class TakeInForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=30)
    name = forms.CharField(label=_("name"), max_length=50)
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    effective_on = forms.DateField(label=_("transfer date"), required=False,
                                   help_text=_("The day the move takes effect (the release date if empty)."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoping.visible_to(Unit.objects.all(), user).order_by("path")


def _reset_login_lockouts(modeladmin, request, users) -> None:
    cleared = 0
    for user in users:
        try:
            services.user_login_lockout_reset(user=user, by=request.user)
        except PermissionDenied:
            modeladmin.message_user(request, _("%(name)s is outside your units: not unlocked.") % {"name": user},
                                    messages.WARNING)
        else:
            cleared += 1
    modeladmin.message_user(request, _("Failed log-ins cleared for %(count)d accounts.") % {"count": cleared},
                            messages.SUCCESS)


@admin.action(description=_("Unlock the log-in of the selected workers' accounts"), permissions=["change"])
def reset_worker_login_lockout(modeladmin, request, queryset):
    """MEM-2: ``queryset`` comes from the scoped changelist; the service checks scope again."""
    _reset_login_lockouts(modeladmin, request, User.objects.filter(worker__in=queryset).select_related("worker__unit"))


@admin.action(description=_("Unlock the log-in of the selected accounts"), permissions=["change"])
def reset_user_login_lockout(modeladmin, request, queryset):
    _reset_login_lockouts(modeladmin, request, queryset.select_related("unit", "worker__unit"))


class TransferInline(admin.TabularInline):
    model = WorkerTransfer
    fk_name = "worker"
    extra = 0
    can_delete = False
    fields = ("from_unit", "released_on", "released_by", "to_unit", "effective_on", "moved_at", "moved_by", "upload")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class UnitSubtreeFilter(admin.SimpleListFilter):
    """MEM-1, MEM-2: workers of a unit and everything under it. Offers the units of the viewer's
    scope; a unit outside it (typed into the address) is refused, not silently widened."""

    title = _("unit and its sub-units")
    parameter_name = "unit_subtree"

    def lookups(self, request, model_admin):
        choices = [(str(unit.pk), unit.name) for unit in selectors.unit_subtree_choices(user=request.user)]
        chosen = self.value()
        if chosen and chosen not in {pk for pk, _name in choices}:
            unit = selectors.unit_in_subtree_filter(user=request.user, unit_id=chosen)
            if unit is not None:
                choices.append((str(unit.pk), unit.name))
        return choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = selectors.unit_in_subtree_filter(user=request.user, unit_id=self.value())
        if unit is None:
            # Refused with a word, and nothing listed: never the other unit's workers, and not
            # the admin's "database error" page that IncorrectLookupParameters leads to.
            messages.error(request, _("This unit is not among your units: no workers are listed for it."))
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)


# Actions other apps offer on the selected workers (courses: enrol them in a class), each with the
# permission a user needs to see it. WorkerAdmin reads this at request time, so the order in which
# the apps' admin modules load does not matter.
_WORKER_ACTIONS: list[tuple[Callable, str]] = []


def register_worker_action(action: Callable, *, permission: str) -> None:
    """For other apps: offer ``action`` (an admin action over the scoped worker changelist's
    selection) to users holding ``permission`` ("app_label.codename")."""
    if all(registered is not action for registered, _permission in _WORKER_ACTIONS):
        _WORKER_ACTIONS.append((action, permission))


class RollFilter(admin.SimpleListFilter):
    """MEM-3: the list shows the workers on the roll unless asked for leavers (离会) or everyone."""

    title = _("on the roll")
    parameter_name = "roll"

    def lookups(self, request, model_admin):
        return [("current", _("Current workers")), ("left", _("Leavers")), ("all", _("All"))]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {"selected": (self.value() or "current") == value, "display": label,
                   "query_string": changelist.get_query_string({self.parameter_name: value})}

    def queryset(self, request, queryset):
        value = self.value() or "current"
        if value == "left":
            return queryset.leavers()
        if value == "all":
            return queryset
        return queryset.current()


@admin.register(Worker)
class WorkerAdmin(ScopedExportAdmin):
    form = WorkerForm
    resource_classes = [WorkerResource]
    list_display = ("name", "id_number_masked", "sex", "birth_band", "unit", "post", "is_frontline", "is_migrant", "is_needy")
    list_filter = (RollFilter, UnitSubtreeFilter, "is_frontline", "is_migrant", "is_needy", "education", "sex")
    search_fields = ("name", "post", "unit__name", "unit__code")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    readonly_fields = ("id_number_masked", "sex", "birth_band", "reveal_link", "release_state")
    inlines = [TransferInline]
    large_list = True
    show_full_result_count = False
    change_list_template = "admin/membership/worker/change_list.html"
    actions = [reset_worker_login_lockout]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request  # a class made for this request by modelform_factory
        return form

    def get_actions(self, request):
        actions = super().get_actions(request)
        if IS_POPUP_VAR in request.GET or IS_POPUP_VAR in request.POST:
            return actions
        for action, permission in _WORKER_ACTIONS:
            if request.user.has_perm(permission):
                name = action.__name__
                actions[name] = (action, name, self._get_action_description(action, name))
        return actions

    def get_fields(self, request, obj=None):
        fields = ["name", "unit", "post", "is_frontline", "is_migrant", "is_needy", "education", "phone", "joined_union_on",
                  "left_on", "leaving_reason"]
        if obj is None:
            return ["id_number", *fields]
        # The reveal button only for those who may reveal: others met a 403 behind it.
        reveal = ["reveal_link"] if request.user.has_perm("membership.reveal_id_number") else []
        # The release button and the transfer date only for those who may change the worker.
        changes = self.has_change_permission(request, obj)
        release = ["release_state"] if changes else []
        transfer = ["transfer_on"] if changes else []
        return ["id_number_masked", *reveal, "sex", "birth_band", *release, *fields, *transfer]

    @admin.display(description=_("transfer out"))
    def release_state(self, worker):
        release = selectors.pending_release(worker)
        if release is None:
            return format_html('<a class="button" href="{}">{}</a>',
                               reverse("admin:membership_worker_release", args=[worker.pk]), _("Release…"))
        return format_html('{} <a class="button" href="{}">{}</a>',
                           _("Released from %(date)s; waiting for the receiving unit") % {
                               "date": release.released_on.isoformat()},
                           reverse("admin:membership_worker_release", args=[worker.pk]), _("Cancel the release…"))

    # MEM-4: never the birth date beside the mask (it is the eight hidden digits); the full number,
    # and with it the date, only through the logged reveal. Not sortable: the order of exact dates
    # would place a worker between neighbours.
    @admin.display(description=_("birth years"))
    def birth_band(self, worker):
        return birth_year_band(worker.birth_date)

    def lookup_allowed(self, lookup, value, request=None):
        # The admin answers any lookup on a local field from the query string:
        # ?birth_date__month=12&q=<mask> would hand the hidden digits back one by one.
        if lookup.split("__", 1)[0] == "birth_date":
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("full ID number"))
    def reveal_link(self, worker):
        return format_html('<a class="button" href="{}">{}</a>',
                           reverse("admin:membership_worker_reveal", args=[worker.pk]), _("Reveal (logged)"))

    def changelist_view(self, request, extra_context=None):
        # MEM-4: a full ID number in the address lands in access logs and the browser history, so
        # a GET is never answered by its hash: the search form POSTs it to id_search_view.
        term = request.GET.get("q", "").strip()
        if looks_like_full_id_number(term):
            messages.warning(request, _("A search by full ID number in the address is not answered; "
                                        "use the form “Find by full ID number” above the list."))
            query = request.GET.copy()
            del query["q"]
            return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        return super().changelist_view(request, extra_context)

    ID_SEARCH_KEY = "worker_id_search"

    def id_search_view(self, request):
        """A search by full ID number (POST): answered through its keyed hash, kept in the
        session, so the list's address, search box and history only ever show it masked. A full
        number with the mask and birth band shown is a cheap guess: each search counts against
        the daily allowance of item 4 and is recorded."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        changelist = reverse("admin:membership_worker_changelist")
        try:
            number, _birth, _sex = parse_id_number(request.POST.get("id_number", ""))
        except InvalidCode as error:
            messages.error(request, mask_id_numbers_in_text(str(error)))
            return redirect(changelist)
        digest = id_number_digest(number)
        found = self.get_queryset(request).filter(id_number_digest=digest).values_list("pk", flat=True).first()
        if not services.id_number_lookup(user=request.user, number=number, worker_id=found,
                                         source=IdNumberLookup.Source.SEARCH,
                                         address=client_address(request)):
            messages.error(request, services.id_number_lookup_limit_message())
            return redirect(changelist)
        masked = mask_id_number(number)
        request.session[self.ID_SEARCH_KEY] = {masked: digest}
        return redirect(f"{changelist}?{urlencode({'q': masked})}")

    def get_search_results(self, request, queryset, search_term):
        if request.path == reverse("admin:autocomplete"):
            # MEM-3: a worker picked for a class or a record is one on the roll, not a leaver.
            queryset = queryset.current()
        digest = request.session.get(self.ID_SEARCH_KEY, {}).get(search_term.strip())
        if digest:
            return queryset.filter(id_number_digest=digest), False
        if connection.vendor != "postgresql" or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        # The same rows as search_fields find, through the indexes of migration 0015 (issue 13);
        # ScopedAdmin's search still applies the scope.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, "")
        return selectors.worker_search(queryset, search_term), may_have_duplicates

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in WorkerForm.Meta.fields if name in form.cleaned_data}
        if change:
            # `obj` already carries the form's values; the service compares against the stored row.
            services.worker_update(worker=Worker.objects.get(pk=obj.pk), by=request.user,
                                   effective_on=form.cleaned_data.get("transfer_on"), **data)
        else:
            created = services.worker_create(id_number=form.cleaned_data["id_number"], by=request.user,
                                             address=client_address(request), **data)
            obj.pk = created.pk

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        worker = self.get_object(request, object_id) if object_id else None
        if worker is not None:
            extra_context["worker_record"] = worker_record(request, worker)
            extra_context["may_issue_reset_code"] = self.has_change_permission(request, worker)
        return super().change_view(request, object_id, form_url, extra_context)

    def reset_code_view(self, request, pk):
        """EDU-8: a one-time password reset code for the worker's account, shown once (POST)."""
        worker = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, worker):
            raise PermissionDenied
        account = User.objects.filter(worker=worker).only("username").first()
        context = {**self.admin_site.each_context(request), "worker": worker, "account": account,
                   "opts": self.model._meta, "title": _("Password reset code"),
                   "lifetime_hours": int(password_reset.CODE_LIFETIME.total_seconds() // 3600),
                   "redeem_url": request.build_absolute_uri(reverse("portal:password_reset_code"))}
        if request.method == "POST" and account is not None:
            code, record = password_reset.password_reset_code_issue(worker=worker, by=request.user,
                                                                    address=client_address(request))
            context.update(code=" ".join(code[i:i + 5] for i in range(0, len(code), 5)), record=record)
        response = TemplateResponse(request, "admin/membership/worker/reset_code.html", context)
        # The code is shown once: not kept by the browser's cache or its back button.
        response["Cache-Control"] = "no-store"
        return response

    def get_urls(self):
        return [
            path("<int:pk>/reveal/", self.admin_site.admin_view(self.reveal_view), name="membership_worker_reveal"),
            path("<int:pk>/reset-code/", self.admin_site.admin_view(self.reset_code_view),
                 name="membership_worker_reset_code"),
            path("id-search/", self.admin_site.admin_view(require_POST(self.id_search_view)),
                 name="membership_worker_id_search"),
            path("<int:pk>/release/", self.admin_site.admin_view(self.release_view), name="membership_worker_release"),
            path("take-in/", self.admin_site.admin_view(self.take_in_view), name="membership_worker_take_in"),
            *super().get_urls(),
        ]

    def release_view(self, request, pk):
        """MEM-3 调出: the worker's unit releases them from a date (or takes a waiting release back)."""
        worker = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, worker):
            raise PermissionDenied
        release = selectors.pending_release(worker)
        form = ReleaseForm(request.POST or None)
        if request.method == "POST":
            if release is not None:
                services.worker_release_cancel(worker=worker, by=request.user)
                messages.success(request, _("The release of %(name)s was cancelled.") % {"name": worker.name})
                return redirect("admin:membership_worker_change", worker.pk)
            if form.is_valid():
                try:
                    services.worker_release(worker=worker, released_on=form.cleaned_data["released_on"], by=request.user)
                except ValidationError as error:
                    form.add_error("released_on", error.message_dict.get("released_on", error.messages))
                else:
                    messages.success(request, _("%(name)s was released; an officer of the receiving unit can now take "
                                                "them in.") % {"name": worker.name})
                    return redirect("admin:membership_worker_change", worker.pk)
        context = {**self.admin_site.each_context(request), "worker": worker, "opts": self.model._meta,
                   "form": form, "release": release, "title": _("Release a worker")}
        return TemplateResponse(request, "admin/membership/worker/release.html", context)

    def take_in_view(self, request):
        """MEM-3: an officer takes in a worker another unit has released (by full ID number and name)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = TakeInForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                worker = services.worker_take_in(
                    id_number=form.cleaned_data["id_number"], name=form.cleaned_data["name"],
                    unit=form.cleaned_data["unit"], effective_on=form.cleaned_data["effective_on"], by=request.user)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("%(name)s was taken in.") % {"name": worker.name})
                return redirect("admin:membership_worker_change", worker.pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": _("Take in a released worker")}
        return TemplateResponse(request, "admin/membership/worker/take_in.html", context)

    def reveal_view(self, request, pk):
        worker = get_object_or_404(self.get_queryset(request), pk=pk)
        if not request.user.has_perm("membership.reveal_id_number"):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "worker": worker, "opts": self.model._meta,
                   "title": _("Reveal full ID number")}
        if request.method == "POST":
            context["number"] = services.id_number_reveal(
                worker=worker, user=request.user, address=client_address(request)
            )
        return TemplateResponse(request, "admin/membership/worker/reveal.html", context)


def _reveal_rows(request, worker):
    """MEM-4 on the worker page: who saw this worker's full ID number, newest first."""
    rows = list(scoping.visible_to(IdNumberReveal.objects.filter(worker=worker), request.user)
                .select_related("user").order_by("-revealed_at", "-id")[:51])
    return {"rows": rows[:50], "more": len(rows) > 50}


register_worker_section(WorkerSection(
    key="reveals", title=_("Reveals of the ID number"), template="admin/membership/worker/record/reveals.html",
    rows=_reveal_rows, order=90))


@admin.register(WorkerTransfer)
class WorkerTransferAdmin(ScopedAdmin):
    list_display = ("worker", "from_unit", "released_on", "to_unit", "effective_on", "moved_at", "moved_by")
    list_select_related = ("worker", "from_unit", "to_unit", "moved_by")
    search_fields = ("worker__name",)
    date_hierarchy = "moved_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IdNumberReveal)
class IdNumberRevealAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ("revealed_at", "user", "worker", "address")
    list_select_related = ("user", "worker")
    search_fields = ("user__username", "worker__name")
    date_hierarchy = "revealed_at"


@admin.register(PasswordResetCode)
class PasswordResetCodeAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ("issued_at", "worker", "account", "issued_by", "expires_at", "used_at", "failed_attempts")
    list_select_related = ("worker", "account", "issued_by")
    search_fields = ("worker__name", "account__username", "issued_by__username")
    date_hierarchy = "issued_at"
    fields = ("worker", "account", "unit", "issued_by", "issued_at", "expires_at", "used_at", "failed_attempts",
              "address")
    readonly_fields = fields


@admin.register(IdNumberLookup)
class IdNumberLookupAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ("asked_at", "user", "source", "id_number_masked", "answered", "upload", "address")
    list_filter = ("source", "answered")
    list_select_related = ("user", "upload")
    search_fields = ("user__username", "id_number_masked")
    date_hierarchy = "asked_at"

    def get_fields(self, request, obj=None):
        fields = ["asked_at", "user", "source", "id_number_masked", "answered", "upload", "address"]
        # The worker asked about lies outside the asker's units: only city-wide staff see who it is.
        if scoping.is_municipal(request.user):
            fields.insert(4, "worker")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ScopedAdmin):
    list_display = ("username", "first_name", "unit", "is_staff", "is_active", "last_login")

    def get_queryset(self, request):
        # A system's token acts as a service account (api.ApiToken.user): it is managed through its
        # token only, so no officer can give it a password, staff status or another unit or role.
        return super().get_queryset(request).filter(api_token__isnull=True)
    list_filter = ("is_staff", "is_active", "groups")
    list_select_related = ("unit",)
    search_fields = ("username", "first_name", "last_name", "unit__name")
    autocomplete_fields = ("unit",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Unit and roles"), {"fields": ("unit", "is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "first_name", "email", "unit", "groups",
                                                          "password1", "password2")}),)
    actions = [reset_user_login_lockout]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class StaffAccountForm(form):
            # MEM-2: the rules of who may set up whom, checked in the form so a refusal is a form error.
            def clean(self):
                cleaned = super().clean()
                fields = self.fields
                try:
                    services.staff_account_check(
                        by=request.user, account=obj,
                        unit=cleaned.get("unit") if "unit" in fields else getattr(obj, "unit", None),
                        groups=list(cleaned.get("groups") or []) if "groups" in fields else [],
                        is_superuser=cleaned.get("is_superuser", getattr(obj, "is_superuser", False)),
                        is_active=cleaned.get("is_active", True))
                except ValidationError as error:
                    for field, errors in error.message_dict.items():
                        self.add_error(field if field in fields else None, errors)
                return cleaned

        StaffAccountForm.__name__ = form.__name__
        return StaffAccountForm

    def has_change_permission(self, request, obj=None):
        # A superuser's account is changed by superusers only (its password, its roles).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Only a superuser may hand out superuser status or single permissions.
        return [
            (name, {**options, "fields": tuple(f for f in options["fields"] if f not in ("is_superuser", "user_permissions"))})
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and formfield is not None and not request.user.is_superuser:
            # Offered: the roles the user may grant, and those the edited account already holds
            # (kept as they are; staff_account_check refuses adding any other).
            account_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            held = Group.objects.filter(user__pk=account_id) if account_id and str(account_id).isdigit() else Group.objects.none()
            formfield.queryset = (services.groups_grantable_by(request.user) | held).distinct()
        if db_field.name == "user_permissions":
            label_permissions(formfield)
        return formfield

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and obj.pk == request.user.pk and "unit" in form.changed_data:
            raise PermissionDenied
        if not change:
            # An account made here is a staff account of its unit: it logs in to the admin.
            obj.is_staff = True
        super().save_model(request, obj, form, change)

from . import admin_member_resources  # noqa: E402,F401  MEM-5 member services, in a module of their own
