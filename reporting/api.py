"""Issue 12: training-fund returns (MEM-6), indicator values and the runs that computed them
(REP-1, REP-2) over /api/v1/, read-only and scoped like the admin. Indicator values are read
from complete runs only, as the dashboards read them."""
from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.registry import router
from api.viewsets import ScopedReadOnlyViewSet

from . import selectors
from .models import FundsReturn, IndicatorValue, Run


class FundsReturnSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("unit"))
    unit_name = serializers.CharField(source="unit.name", read_only=True, label=_("unit"))

    class Meta:
        model = FundsReturn
        fields = ["id", "unit", "unit_name", "year", "payroll", "extracted", "spent", "frontline", "updated_at"]


class FundsReturnFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label=_("unit code"))

    class Meta:
        model = FundsReturn
        fields = ["unit", "year"]


class FundsReturnViewSet(ScopedReadOnlyViewSet):
    """职工教育经费报表。"""

    queryset = FundsReturn.objects.select_related("unit")
    serializer_class = FundsReturnSerializer
    filterset_class = FundsReturnFilter
    search_fields = ["unit__name", "unit__code"]
    ordering_fields = ["year", "id"]


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True, label=_("indicator"))
    indicator_name = serializers.CharField(source="indicator.name", read_only=True, label=_("name"))
    measure = serializers.CharField(source="indicator.measure", read_only=True, label=_("measure"))
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("unit"))
    unit_name = serializers.CharField(source="unit.name", read_only=True, label=_("unit"))

    class Meta:
        model = IndicatorValue
        fields = ["id", "run", "indicator", "indicator_name", "measure", "unit", "unit_name", "year", "numerator",
                  "denominator", "value", "comparison", "target_low", "target_high", "met"]


class IndicatorValueFilter(django_filters.FilterSet):
    indicator = django_filters.CharFilter(field_name="indicator__code", label=_("indicator"))
    unit = django_filters.CharFilter(field_name="unit__code", label=_("unit code"))

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "unit", "year", "run"]


class IndicatorValueViewSet(ScopedReadOnlyViewSet):
    """指标值：只读已完成的计算。不指定 `run` 时，每年取计算了该年的最近一次完成的计算（即看板显示的数）。"""

    queryset = IndicatorValue.objects.filter(run__status=Run.Status.COMPLETE).select_related("indicator", "unit")
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    search_fields = ["indicator__code", "indicator__name", "unit__name"]
    ordering_fields = ["year", "id"]
    ordering = ["indicator__position", "indicator__code", "unit__path", "year"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action != "list" or self.request.query_params.get("run"):
            return queryset
        # REP-2: per year, the values of the run serving it (readers only read complete runs).
        # Here rather than in get_queryset, which the permission check calls as well.
        years = list(queryset.order_by().values_list("year", flat=True).distinct())
        condition = Q(pk__in=[])
        for year, run in selectors.runs_serving(years).items():
            condition |= Q(run=run, year=year)
        return queryset.filter(condition)


class RunSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True, label=_("status"))
    trigger_display = serializers.CharField(source="get_trigger_display", read_only=True, label=_("started by"))

    class Meta:
        model = Run
        fields = ["id", "started_at", "finished_at", "status", "status_display", "trigger", "trigger_display",
                  "first_year", "last_year", "values_written"]


class RunViewSet(ScopedReadOnlyViewSet):
    """指标计算批次（全市统一，不分单位）。"""

    queryset = Run.objects.all()
    serializer_class = RunSerializer
    filterset_fields = ["status", "trigger"]
    ordering_fields = ["started_at", "id"]


router.register("funds-returns", FundsReturnViewSet, basename="funds-return")
router.register("indicator-values", IndicatorValueViewSet, basename="indicator-value")
router.register("runs", RunViewSet, basename="run")
