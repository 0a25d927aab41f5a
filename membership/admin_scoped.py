"""The admin half of MEM-2: every ModelAdmin of every app derives from ScopedAdmin, so lists,
search, change and delete views, bulk actions and the choices of every foreign-key field go
through scoping.visible_to, and every change, delete, list edit and bulk action through
scoping.changeable_by: a unit that only sees a row (a worker's new unit, for the facts of their
old unit's time) gets a read-only page."""
from __future__ import annotations

import base64
import functools
import hashlib
import json
from contextlib import nullcontext

from csp.constants import UNSAFE_HASHES
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q
from django.forms.models import modelform_defines_fields
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from import_export.admin import ExportMixin
from import_export.forms import SelectableFieldsExportForm

from core.form_renderer import FastInputRenderer
from core.planner import planner_settings

from . import scoping


def _may_change(request, model, obj) -> bool:
    """Whether the user may change or delete ``obj`` (a model-wide question when obj is None).
    A change page asks several times: the answer is kept on the object for this user."""
    if obj is None or obj.pk is None or not scoping.is_scoped(model):
        return True
    answers = obj.__dict__.setdefault("_changeable_by", {})
    if request.user.pk not in answers:
        answers[request.user.pk] = scoping.changeable_by(model._default_manager.filter(pk=obj.pk), request.user).exists()
    return answers[request.user.pk]


def _on_changeable_rows(action):
    """A bulk action that changes or deletes acts only on the selected rows the user may change."""
    @functools.wraps(action)
    def scoped(modeladmin, request, queryset):
        return action(modeladmin, request, scoping.changeable_by(queryset, request.user))
    return scoped


def _with_public(queryset, user, public: str):
    """The rows of ``queryset`` the user may see, and those the related model's queryset method
    ``public`` shares with everyone (the city's approved courses)."""
    return queryset.filter(Q(pk__in=scoping.visible_to(queryset, user).values("pk"))
                           | Q(pk__in=getattr(queryset.model._default_manager.all(), public)().values("pk")))


def _mark_scoped(queryset, user):
    """``queryset`` as scoping.visible_to returned it for ``user``, marked so on its query: the
    mark is copied with the query by every further filter (Query.clone copies its attributes),
    which only narrow the rows. Read by :func:`_scoped_for`."""
    queryset.query.scoped_for = (queryset.model, scoping.visibility_key(user))
    return queryset


def _scoped_for(queryset, user) -> bool:
    """Whether ``queryset`` descends from one get_queryset scoped for ``user`` as they are now."""
    return getattr(queryset.query, "scoped_for", None) == (queryset.model, scoping.visibility_key(user))


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter on a relation offers the related rows the user may see: the plain filter
    listed every row of the related model (a 朝阳 officer's proposal list named 海淀's review rounds)."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        related = field.related_model
        visible = scoping.visible_to(related._default_manager.all(), request.user).values("pk")
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to={"pk__in": visible})


# Every admin's filter on a relation to a scoped model, whichever app declares it.
admin.FieldListFilter.register(lambda f: f.is_relation and f.related_model is not None
                               and scoping.is_scoped(f.related_model),
                               ScopedRelatedFieldListFilter, take_priority=True)


# Lists longer than this are not counted to the end (MEM-2 at city scale, issue 13).
COUNT_CAP = 10_000
# A short list's ids (a search) are read in one statement without JIT and without parallel
# workers: each worker built the scope's hashed subquery again (a district's 200,000 workers,
# 300 ms), three times the work for the same rows on a two-core server; 朝阳's 张伟 in the
# training records 1,071 -> 812 ms of SQL in-process (issue 13).
SHORT_LIST_PLANNER = {"jit": "off", "max_parallel_workers_per_gather": "0"}
# A list's rows before its page that are few enough to walk testing each row's worker (issue 13):
# 朝阳's first page of enrolments walks ~500 index rows, ?p=10 ~12,500, ?p=50 ~60,000.
PROBED_PAGE_ROWS = 500


def _planner_rows(queryset) -> int | None:
    """PostgreSQL's estimate of the rows ``queryset`` returns (EXPLAIN, no execution)."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    explained = queryset.order_by().explain(format="json")
    if not explained:
        return 0  # a query Django knows to be empty (pk__in=[]: a user without a unit) is never sent
    return int(json.loads(explained)[0]["Plan"]["Plan Rows"])


class CappedCountPaginator(Paginator):
    """MEM-2 at city scale (issue 13): a list of millions is never counted with a full-table
    count(*). PostgreSQL's estimate of the rows comes first (EXPLAIN, nothing executed): a list
    estimated at more than ten times COUNT_CAP is said to hold about that many ("约 N 条")
    without counting. Otherwise the rows are counted up to COUNT_CAP + 1 (a scan that stops
    there): the exact number when there are no more, else the estimate when it is higher ("约 N
    条") or "more than COUNT_CAP" ("超过 10,000 条"). The page links run to that number; a page
    that comes back short tells the true end (ScopedChangeList.get_results). A list estimated at
    no more than COUNT_CAP (a search) is counted by reading its ids in order, which then serve
    the page without another query."""

    count_text: str | None = None
    # Counted to the end, and so at most COUNT_CAP rows (see page()).
    counted_exactly = False
    # Every id of such a list, in order, when counting read them.
    _ids: list | None = None

    @cached_property
    def count(self) -> int:
        estimate = _planner_rows(self.object_list)
        if estimate is not None and estimate > 10 * COUNT_CAP:
            return self._about(estimate)
        if estimate is not None and estimate <= COUNT_CAP:
            # Probably short (a search): its ids in order, which count it and hold every page.
            with planner_settings(self.object_list.db, **SHORT_LIST_PLANNER), scoping.owners_probed():
                ids = list(self.object_list.values_list("pk", flat=True)[:COUNT_CAP + 1])
            counted = len(ids)
            if counted <= COUNT_CAP:
                self._ids = ids
        else:
            with planner_settings(self.object_list.db, jit="off"):
                counted = self.object_list.order_by()[:COUNT_CAP + 1].count()
        if counted <= COUNT_CAP:
            self.counted_exactly = True
            return counted
        if estimate is not None and estimate > COUNT_CAP:
            return self._about(estimate)
        self.count_text = gettext("more than %(count)s") % {"count": f"{COUNT_CAP:,}"}
        return counted

    def page(self, number):
        """The page's ids first, from the list's ordering index alone (the scope's columns are
        included in it), then those rows: PostgreSQL skips the rows of earlier pages without
        reading them from the table (?p=50 read 2,500 table rows for nothing, issue 13)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        # Fetched as a list: fifty known ids lead PostgreSQL to the primary key, where the same
        # ids as a subquery had it scan the table for the list's filters again.
        ids = self._page_ids(bottom)
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)

    def _page_ids(self, bottom: int) -> list:
        """The page's ids. A list counted to the end holds at most COUNT_CAP rows: all its ids are
        read in order and the page cut from them here. With a LIMIT, PostgreSQL would rather walk
        the ordering index and stop at the fiftieth match, assuming the matches spread evenly
        along it; a search's few hundred rows among 5,000,000 do not, and the walk read every row
        (7.9 s for the 171 training records of 张伟 in 朝阳, issue 13). Without one it finds them
        through the filters' indexes and sorts them."""
        if self._ids is not None:
            return self._ids[bottom:bottom + self.per_page]
        ids = self.object_list.values_list("pk", flat=True)
        if not self.counted_exactly:
            # The first pages walk a few hundred rows of the ordering index: each row's worker is
            # read rather than all the scope's workers gathered (scoping.owners_probed).
            with scoping.owners_probed() if bottom < PROBED_PAGE_ROWS else nullcontext():
                return list(ids[bottom:bottom + self.per_page])
        with planner_settings(self.object_list.db, **SHORT_LIST_PLANNER), scoping.owners_probed():
            return list(ids)[bottom:bottom + self.per_page]

    def _about(self, estimate: int) -> int:
        self.count_text = gettext("about %(count)s") % {"count": f"{estimate:,}"}
        return estimate


LIST_FORM_RENDERER = FastInputRenderer()


class ScopedChangeList(ChangeList):
    """A date-hierarchy year too large for a date (?issued_on__year=99999999999999999999) is a
    bad lookup like any other (the list reloads with ?e=1), not a server error: Django turns only
    ValueError into one, and Python answers OverflowError for such a number."""

    # What the page says instead of the exact count when the list was not counted to the end
    # (admin/pagination.html, admin/search_form.html, admin/actions.html read it).
    result_count_text: str | None = None

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        super().get_results(request)
        ids = getattr(self.paginator, "_ids", None)
        if ids is not None and (not self.multi_page or (self.show_all and self.can_show_all)):
            # A list shown whole (one page, or "show all") is Django's whole queryset, which ran a
            # search's statement again; its ids were read in order while counting: the rows by
            # primary key instead (a city's enrolments of 张伟, 110 ms of SQL, issue 13).
            self.result_list = self.queryset.filter(pk__in=ids) if ids else self.queryset.none()
        self.result_count_text = getattr(self.paginator, "count_text", None)
        if self.result_count_text is not None:
            # Not counted to the end: a page that is not full is the last, and tells the count.
            # (len() fetches the page into the queryset's cache, which the page then reads.)
            shown = len(self.result_list)
            if shown < self.list_per_page:
                self.result_count = (self.page_num - 1) * self.list_per_page + shown
                self.paginator.count = self.result_count
                self.paginator.__dict__.pop("num_pages", None)
                self.result_count_text = None
                self.multi_page = self.page_num > 1
                self.can_show_all = self.result_count <= self.list_max_show_all


class ScopedAdmin(admin.ModelAdmin):
    list_per_page = 50
    # A list of millions of rows (workers, training records, enrolments, the credit ledger): counted
    # up to COUNT_CAP and estimated beyond, and never counted whole for "N total".
    large_list = False
    # Foreign keys whose choices are the user's rows plus rows shared with every unit, as
    # {field name: the related queryset's method that returns the shared rows}: a 朝阳 officer's
    # class may run any approved course of the city's menu ({"course": "published"}).
    public_choices: dict[str, str] = {}
    # A selector (queryset, term) -> queryset finding the rows search_fields would find, through
    # indexes (issue 13: the lists of millions), as a staticmethod; the scope still applies.
    # PostgreSQL only.
    search_selector = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if scoping.is_scoped(self.model):
            return _mark_scoped(scoping.visible_to(queryset, request.user), request.user)
        return queryset

    def get_changelist(self, request, **kwargs):
        return ScopedChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if self.large_list:
            return CappedCountPaginator(queryset, per_page, orphans, allow_empty_first_page)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)

    def get_changelist_form(self, request, **kwargs):
        # The list's form edits its editable columns only. Django builds it over every field
        # (ALL_FIELDS) and then the formset keeps those columns: each foreign key's field was built
        # and its choices scoped for nothing, ~8 ms a page each on the enrolment list (issue 13).
        if self.list_editable and "fields" not in kwargs and not modelform_defines_fields(kwargs.get("form")):
            kwargs["fields"] = self.list_editable
        return super().get_changelist_form(request, **kwargs)

    def get_changelist_formset(self, request, **kwargs):
        # A list's editable columns are 50 rows of small forms: their inputs and empty error
        # lists rendered without a template each (the same HTML; core/form_renderer.py).
        return super().get_changelist_formset(request, **{"renderer": LIST_FORM_RENDERER, **kwargs})

    def action_checkbox(self, obj):
        # Django's own column (options.py), its checkbox rendered as the editable columns are:
        # 50 template renders a page otherwise.
        attrs = {"class": "action-select",
                 "aria-label": format_html(gettext("Select this object for an action - {}"), str(obj))}
        checkbox = forms.CheckboxInput(attrs, lambda value: False)
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk), renderer=LIST_FORM_RENDERER)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_change(request, self.model, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_change(request, self.model, obj)

    def _get_list_editable_queryset(self, request, prefix):
        # The changelist's save posts rows by id: those the user only sees are not saved.
        queryset = super()._get_list_editable_queryset(request, prefix)
        if scoping.is_scoped(self.model):
            return scoping.changeable_by(queryset, request.user)
        return queryset

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not scoping.is_scoped(self.model):
            return actions
        return {
            name: (_on_changeable_rows(func) if {"change", "delete"} & set(getattr(func, "allowed_permissions", ()))
                   else func, action_name, description)
            for name, (func, action_name, description) in actions.items()
        }

    def _scope_choices(self, formfield, db_field, request):
        if formfield is not None and hasattr(formfield, "queryset"):
            related = db_field.remote_field.model
            if scoping.is_scoped(related):
                public = self.public_choices.get(db_field.name)
                formfield.queryset = (_with_public(formfield.queryset, request.user, public) if public
                                      else scoping.visible_to(formfield.queryset, request.user))
        return formfield

    def _autocomplete_public(self, request) -> str | None:
        """When answering an autocomplete widget of a field that declares public choices (see
        ``public_choices``), the method naming the shared rows."""
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name != "autocomplete":
            return None
        try:
            source = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        except (KeyError, LookupError, ValueError):
            return None
        source_admin = self.admin_site._registry.get(source)
        return getattr(source_admin, "public_choices", {}).get(request.GET.get("field_name", ""))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._scope_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._scope_choices(super().formfield_for_manytomany(db_field, request, **kwargs), db_field, request)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Outside the subtree is indistinguishable from absent: 404, not a redirect that
        # would confirm the id exists.
        raise Http404

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete widgets search through here: keep them inside the subtree as well.
        public = self._autocomplete_public(request) if scoping.is_scoped(queryset.model) else None
        if public:
            queryset = _with_public(self.model._default_manager.all(), request.user, public)
        indexed = (self.search_selector is not None and not public and search_term.strip()
                   and connections[queryset.db].vendor == "postgresql")
        queryset, may_have_duplicates = super().get_search_results(request, queryset,
                                                                   "" if indexed else search_term)
        if indexed:
            queryset = self.search_selector(queryset, search_term)
        if public:
            queryset = _with_public(queryset, request.user, public)
        elif scoping.is_scoped(queryset.model) and search_term.strip() and not _scoped_for(queryset, request.user):
            # Without a term the admin's search returns the queryset it was given, which the
            # changelist and the autocomplete view both take from get_queryset (scoped): the
            # same filter twice had PostgreSQL square its selectivity and take a district's
            # 200,000 workers for 4,800, counting them instead of estimating (issue 13). With a
            # term, a queryset get_queryset scoped for this user (marked, see _mark_scoped) is
            # not scoped again for the same reason: the 朝阳 ledger's search for 张伟 was planned
            # at 7 rows and tested each of the district's 200,000 entries against the named
            # workers (121 ms of SQL) instead of reading the 4,311 workers' entries by index
            # (58 ms, EXPLAIN ANALYZE at 5,000,000 workers). Any other queryset still is.
            queryset = scoping.visible_to(queryset, request.user)
        return queryset, may_have_duplicates


def _csp_hash(source: str) -> str:
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()


# django-import-export's export page carries one inline event handler and two style attributes,
# which the site-wide Content-Security-Policy refuses: allow exactly these, by hash, on that page
# only ('unsafe-hashes' covers attributes; no other inline code runs).
EXPORT_PAGE_CSP = {
    "script-src": [UNSAFE_HASHES, _csp_hash("onSelectToggleChange(event)")],
    "style-src": [UNSAFE_HASHES, _csp_hash("padding: 0;"), _csp_hash("font-weight: bold;")],
}


class ColumnNamedExportForm(SelectableFieldsExportForm):
    """The export page lists each column by the heading it gets in the file (姓名, 单位代码), where
    django-import-export titles the attribute in English ("Name (姓名)")."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        if field is not None and field.column_name:
            return field.column_name
        return super()._get_field_label(resource, field_name)


class ScopedExportAdmin(ExportMixin, ScopedAdmin):
    """Exports start from the changelist's queryset, so they honour the same scope, and need the
    model's explicit export permission (IMPORT_EXPORT_EXPORT_PERMISSION_CODE)."""

    export_form_class = ColumnNamedExportForm

    def export_action(self, request):
        response = super().export_action(request)
        response._csp_update = EXPORT_PAGE_CSP
        return response


class ScopedInline(admin.TabularInline):
    """An inline shows the rows of the parent the user may see: on a shared object (a class's
    enrolments) that can be fewer than the parent's rows."""

    extra = 0

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not scoping.is_scoped(self.model):
            return queryset
        if request.method == "POST":
            # A save binds the posted rows to these: a row the user only sees is skipped, as
            # in the changelist's list edits.
            return scoping.changeable_by(queryset, request.user)
        return scoping.visible_to(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and scoping.is_scoped(db_field.remote_field.model):
            formfield.queryset = scoping.visible_to(formfield.queryset, request.user)
        return formfield
