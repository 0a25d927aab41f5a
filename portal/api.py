"""Issue 12: units and workers over /api/v1/, scoped like the admin.

They live in the project, not in membership: the api app builds on membership (scoping, roles),
so membership importing api would close a loop between the apps (tests/test_app_imports.py);
the project composes both, as portal/admin.py does for the uploads' pages."""
from __future__ import annotations

import datetime as dt
import functools

import django_filters
from django.db import connection
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from api.pagination import LargeListPagination
from api.registry import router
from api.renderers import FastJSONRenderer
from api.statements import StatementCache
from api.viewsets import ScopedReadOnlyViewSet
from core.identity import birth_year_band, looks_like_full_id_number
from core.prepared import execute_prepared
from membership import scoping, services
from membership.models import Unit, Worker
from portal.client_address import client_address


def units_with_parent_code():
    parent = Unit.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Unit.steplen))
    return Unit.objects.annotate(parent_code=Subquery(parent.values("code")[:1])).order_by(F("path"))


class UnitSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(read_only=True, allow_null=True, label=_("parent unit code"))

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "member_level", "membership_status", "membership_since",
                  "parent_code", "depth"]

    def to_representation(self, unit):
        data = super().to_representation(unit)
        # The top of the caller's subtree names no unit outside it: its parent is left out.
        request = self.context.get("request")
        root = scoping.user_root_path(request.user) if request is not None else None
        if root and unit.path == root:
            data["parent_code"] = None
        return data


class UnitViewSet(ScopedReadOnlyViewSet):
    """单位：本账号所属单位及其全部下级单位。"""

    queryset = units_with_parent_code()
    serializer_class = UnitSerializer
    filterset_fields = ["kind", "member_level", "membership_status", "depth", "code"]
    search_fields = ["name", "code"]
    ordering_fields = ["path", "code", "name"]


router.register("units", UnitViewSet, basename="unit")


class WorkerSerializer(serializers.ModelSerializer):
    """MEM-4: what the admin's worker list shows — the masked number and a band of birth years,
    never the birth date (the mask hides exactly its eight digits). ``id_number`` carries the full
    number only in a logged reveal (``?reveal=1`` with the reveal permission), else it is null."""

    unit = serializers.CharField(source="unit.code", read_only=True, label=_("unit code"))
    unit_name = serializers.CharField(source="unit.name", read_only=True, label=_("unit"))
    sex_display = serializers.CharField(source="get_sex_display", read_only=True, label=_("sex"))
    birth_years = serializers.SerializerMethodField(label=_("birth years"))
    education_display = serializers.CharField(source="get_education_display", read_only=True, label=_("education"))
    leaving_reason_display = serializers.CharField(source="get_leaving_reason_display", read_only=True,
                                                   label=_("leaving reason"))
    id_number = serializers.SerializerMethodField(label=_("full ID number"))

    class Meta:
        model = Worker
        fields = ["id", "name", "id_number_masked", "id_number", "sex", "sex_display", "birth_years", "unit",
                  "unit_name", "post", "is_frontline", "is_migrant", "is_needy", "education", "education_display",
                  "joined_union_on", "left_on", "leaving_reason", "leaving_reason_display"]

    def get_birth_years(self, worker) -> str:
        return birth_year_band(worker.birth_date)

    def get_id_number(self, worker) -> str | None:
        return self.context.get("revealed", {}).get(worker.pk)


# What a list row is made from, in this order (worker_list_values, worker_list_rows).
WORKER_LIST_COLUMNS = ("id", "name", "id_number_masked", "birth_date", "sex", "post", "is_frontline", "is_migrant",
                       "is_needy", "education", "joined_union_on", "left_on", "leaving_reason", "unit_code",
                       "unit_name")


def worker_list_values(queryset):
    """The workers of ``queryset`` as tuples of WORKER_LIST_COLUMNS, named so that the cursor
    reads its position (``id``, ``name``) from them: no model instance per row."""
    return (queryset.annotate(unit_code=F("unit__code"), unit_name=F("unit__name"))
            .values_list(*WORKER_LIST_COLUMNS, named=True))


@functools.cache
def _choice_labels(field_name: str, language: str | None) -> dict:
    # What get_<field>_display answers, in the request's language: a value outside the choices
    # (a blank education) answers itself.
    with translation.override(language):
        return {value: str(label) for value, label in Worker._meta.get_field(field_name).flatchoices}


def _labels() -> tuple[dict, dict, dict]:
    language = translation.get_language()
    return (_choice_labels("sex", language), _choice_labels("education", language),
            _choice_labels("leaving_reason", language))


@functools.cache
def _birth_years(year: int) -> str:
    return birth_year_band(dt.date(year, 1, 1))


def worker_list_rows(rows, revealed: dict[int, str]) -> list[dict]:
    """Issue 12 (Speed): WorkerSerializer's answer for each row of :func:`worker_list_values`,
    made by plain code — DRF's per-field serializing of model instances was nine tenths of a page
    of 1,000 workers (bench/api.py). Same names, order and values as the serializer (the detail):
    MEM-4's mask and birth band, ``id_number`` only from a logged reveal
    (tests/api/test_worker_list_rows.py holds the two together)."""
    sexes, educations, reasons = _labels()
    return [{
        "id": pk, "name": name, "id_number_masked": masked, "id_number": revealed.get(pk), "sex": sex,
        "sex_display": sexes.get(sex, sex), "birth_years": _birth_years(birth.year), "unit": unit_code,
        "unit_name": unit_name, "post": post, "is_frontline": frontline, "is_migrant": migrant, "is_needy": needy,
        "education": education, "education_display": educations.get(education, education),
        "joined_union_on": joined.isoformat() if joined else None, "left_on": left.isoformat() if left else None,
        "leaving_reason": reason, "leaving_reason_display": reasons.get(reason, reason)}
        for (pk, name, masked, birth, sex, post, frontline, migrant, needy, education, joined, left, reason,
             unit_code, unit_name) in rows]


# A keyset page of a compiled list statement (``l``: worker_list_values' rows), its values as the
# answer writes them: the birth date's year (for the band) and dates as ISO text, from PostgreSQL.
_WORKER_PAGE = (
    'SELECT l."id", l."name", l."id_number_masked", EXTRACT(YEAR FROM l."birth_date")::integer, l."sex", '
    'l."post", l."is_frontline", l."is_migrant", l."is_needy", l."education", '
    "to_char(l.\"joined_union_on\", 'YYYY-MM-DD'), to_char(l.\"left_on\", 'YYYY-MM-DD'), "
    'l."leaving_reason", l."unit_code", l."unit_name" FROM ({list}) l {where} ORDER BY l."id" DESC LIMIT %s')


def _worker_page_sql(cursor, statement: tuple[str, tuple], after_position: bool, limit: int) -> str:
    """``_WORKER_PAGE`` of the compiled list ``statement`` with its values written in (quoted by
    the driver) and ``limit``; the cursor's position, if any, its one ``%s``."""
    sql, params = statement
    listed = cursor.mogrify(sql, params).decode().replace("%", "%%")
    return _WORKER_PAGE.format(list=listed, where='WHERE l."id" < %s' if after_position else "").replace(
        "LIMIT %s", f"LIMIT {int(limit)}")


def worker_page_rows(rows) -> list[dict]:
    """:func:`worker_list_rows` for the rows of ``_WORKER_PAGE`` (birth year, dates as text), with
    no revealed number: the same dicts, with no per-row date work in Python."""
    sexes, educations, reasons = _labels()
    sex_label, education_label, reason_label, birth_years = sexes.get, educations.get, reasons.get, _birth_years
    return [{
        "id": pk, "name": name, "id_number_masked": masked, "id_number": None, "sex": sex,
        "sex_display": sex_label(sex, sex), "birth_years": birth_years(year), "unit": unit_code,
        "unit_name": unit_name, "post": post, "is_frontline": frontline, "is_migrant": migrant, "is_needy": needy,
        "education": education, "education_display": education_label(education, education),
        "joined_union_on": joined, "left_on": left,
        "leaving_reason": reason, "leaving_reason_display": reason_label(reason, reason)}
        for (pk, name, masked, year, sex, post, frontline, migrant, needy, education, joined, left, reason,
             unit_code, unit_name) in rows]


class WorkerFilter(django_filters.FilterSet):
    ROLL_CHOICES = [("current", _("Current workers")), ("left", _("Leavers")), ("all", _("All"))]

    unit = django_filters.CharFilter(field_name="unit__code", label=_("unit code"))
    under = django_filters.CharFilter(method="filter_under", label=_("unit code, with its subordinate units"))
    roll = django_filters.ChoiceFilter(choices=ROLL_CHOICES, method="filter_roll", empty_label=None,
                                       label=_("on the roll"))

    class Meta:
        model = Worker
        fields = ["unit", "under", "roll", "is_frontline", "is_migrant", "is_needy", "education", "sex"]

    def filter_under(self, queryset, name, value):
        path = Unit.objects.filter(code=value).values("path")[:1]
        return queryset.filter(unit__path__startswith=Subquery(path))

    def filter_roll(self, queryset, name, value):
        # MEM-3: like the admin's list, the workers on the roll unless asked for leavers or everyone.
        if value == "left":
            return queryset.leavers()
        if value == "all":
            return queryset
        return queryset.current()

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("roll"):
            queryset = queryset.current()
        return super().filter_queryset(queryset)


REVEAL = OpenApiParameter(
    "reveal", bool, description="1：返回完整身份证号（需“查看完整身份证号”权限，每名职工每次都记入查看记录）。")


@extend_schema_view(list=extend_schema(parameters=[REVEAL]), retrieve=extend_schema(parameters=[REVEAL]))
class WorkerViewSet(ScopedReadOnlyViewSet):
    """职工：本单位及下级单位的在册职工（`roll=left` 离会职工，`roll=all` 全部）。身份证号只显示掩码；
    有“查看完整身份证号”权限的账号加 `reveal=1` 得到完整号码，每次都记入查看记录。"""

    queryset = Worker.objects.select_related("unit")
    serializer_class = WorkerSerializer
    pagination_class = LargeListPagination
    filterset_class = WorkerFilter
    # MEM-4: no ID number and no birth date among the searchable or sortable fields.
    search_fields = ["name", "post"]
    ordering_fields = ["id", "name"]
    # Its answers hold no float (strings, integers, booleans, None): orjson writes DRF's bytes.
    renderer_classes = [FastJSONRenderer]

    def filter_queryset(self, queryset):
        # MEM-4: a full ID number in the address lands in access logs; it is not answered.
        if looks_like_full_id_number(self.request.query_params.get("search", "")):
            raise exceptions.ValidationError({"search": [_("A search by full ID number is not answered.")]})
        return super().filter_queryset(queryset)

    def _revealing(self) -> bool:
        if self.request.query_params.get("reveal") not in ("1", "true"):
            return False
        if not self.request.user.has_perm("membership.reveal_id_number"):
            raise exceptions.PermissionDenied(_("Revealing full ID numbers needs the reveal permission."))
        return True

    def _reveal(self, workers) -> dict[int, str]:
        """MEM-4: each full number shown goes through the admin's reveal service, which records it."""
        address = client_address(self.request)
        return {worker.pk: services.id_number_reveal(worker=worker, user=self.request.user, address=address)
                for worker in workers}

    # Compiled page statements of the list, by scope, day and filters (_keyset_page).
    statements = StatementCache()

    def _keyset_page(self, request) -> list[dict] | None:
        """Issue 12 (Speed): the page of a system paging through the list — any of the filters, the
        default ordering, a forward cursor — from the list's statement compiled once for the
        caller's scope, the day and the filters, run on a raw cursor. None for anything else
        (search, ordering, reveal, another database), which goes the generic way."""
        if connection.vendor != "postgresql":
            return None
        filters = WorkerFilter.base_filters
        params = request.query_params
        if any(name not in filters and name not in ("cursor", "page_size") for name in params):
            return None
        day = timezone.localdate()  # the roll's day (Worker.objects.current)
        key = (scoping.visibility_key(request.user), day,
               tuple(sorted((name, tuple(values)) for name, values in params.lists() if name in filters)))
        # The same queryset the generic way pages through, ordered by the page statement instead.
        statement = self.statements.get(
            key, lambda: worker_list_values(self.filter_queryset(self.get_queryset())).order_by(),
            still=lambda: timezone.localdate() == day)

        def fetch(before: int | None, limit: int) -> list[dict]:
            if statement is None:  # nothing in scope (scoping's none())
                return []
            with connection.cursor() as cursor:
                # Kept prepared in the session, the list's values and the page size written in
                # (its plan is made for them), the cursor's position a parameter: planning the
                # page took PostgreSQL 1.2 ms against 3 ms running it (bench/api.py, loaded).
                execute_prepared(cursor, ("api-worker-page", key, before is None, limit),
                                 lambda: _worker_page_sql(cursor, statement, before is not None, limit),
                                 () if before is None else (before,))
                # Row by row from the driver's cursor (the rows are all read already): no list of
                # 1,000 tuples alive at once, which the collector's young passes walked.
                return worker_page_rows(cursor.cursor)

        return self.paginator.paginate_keyset(request, self, fetch)

    def list(self, request, *args, **kwargs):
        revealing = self._revealing()
        if not revealing:
            page = self._keyset_page(request)
            if page is not None:
                return self.get_paginated_response(page)
        page = self.paginate_queryset(worker_list_values(self.filter_queryset(self.get_queryset())))
        revealed = {}
        if revealing:
            revealed = self._reveal(Worker.objects.filter(pk__in=[row.id for row in page]).order_by("pk"))
        return self.get_paginated_response(worker_list_rows(page, revealed))

    def retrieve(self, request, *args, **kwargs):
        revealing = self._revealing()
        worker = self.get_object()
        context = self.get_serializer_context()
        if revealing:
            context["revealed"] = self._reveal([worker])
        return Response(self.get_serializer_class()(worker, context=context).data)


router.register("workers", WorkerViewSet, basename="worker")
