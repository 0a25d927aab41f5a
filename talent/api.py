"""Issue 12: the skilled-talent system over /api/v1/ — skill certificates, chief employees,
studios, competitions and their results — scoped like the admin. An enterprise's HR system
pushes certificates (POST certificates) through the admin's and the upload's service."""
from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers

from api.filters import year_filter
from api.pagination import LargeListPagination
from api.registry import router
from api.viewsets import ScopedReadOnlyViewSet
from membership.api_fields import ScopedWorkerField

from .models import ChiefEmployee, Competition, CompetitionResult, Occupation, SkillCertificate, Studio
from .selectors.studios import with_level_on
from .services import certificates as certificate_services


class UnitFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label=_("unit code"))


class SkillCertificateSerializer(serializers.ModelSerializer):
    worker = ScopedWorkerField(label=_("worker"))
    worker_name = serializers.CharField(source="worker.name", read_only=True, label=_("name"))
    worker_id_number_masked = serializers.CharField(source="worker.id_number_masked", read_only=True,
                                                    label=_("ID number"))
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("unit at the time"))
    occupation = serializers.SlugRelatedField(slug_field="name", queryset=Occupation.objects.all(),
                                              label=_("occupation"))
    level_display = serializers.CharField(source="get_level_display", read_only=True, label=_("skill level"))

    class Meta:
        model = SkillCertificate
        fields = ["id", "worker", "worker_name", "worker_id_number_masked", "unit", "occupation", "level",
                  "level_display", "number", "issuer", "issued_on", "valid_until", "created_at", "updated_at"]

    def create(self, validated_data):
        # TAL-1: the admin's and the upload's service (credits, fast-track recommendations follow).
        return certificate_services.skill_certificate_create(**validated_data)


class SkillCertificateFilter(UnitFilter):
    # By id, not a choice among all workers: a foreign id answers like an unknown one.
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("worker"))
    occupation = django_filters.CharFilter(field_name="occupation__name", label=_("occupation"))
    year = year_filter("issued_on")

    class Meta:
        model = SkillCertificate
        fields = ["unit", "year", "occupation", "level", "worker", "number"]


class SkillCertificateViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """职业技能等级证书。POST 登记一张证书，与管理后台、批量上传经同一服务写入。"""

    queryset = SkillCertificate.objects.select_related("worker", "unit", "occupation")
    serializer_class = SkillCertificateSerializer
    pagination_class = LargeListPagination
    filterset_class = SkillCertificateFilter
    search_fields = ["worker__name", "number", "issuer"]
    ordering_fields = ["id", "issued_on"]


class ChiefEmployeeSerializer(serializers.ModelSerializer):
    worker_name = serializers.CharField(source="worker.name", read_only=True, label=_("worker"))
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("unit"))

    class Meta:
        model = ChiefEmployee
        fields = ["id", "worker", "worker_name", "unit", "field", "term_from", "term_to", "monthly_allowance", "public"]


class ChiefEmployeeFilter(UnitFilter):
    current = django_filters.BooleanFilter(method="filter_current", label=_("in force today"))

    class Meta:
        model = ChiefEmployee
        fields = ["unit", "current", "public"]

    def filter_current(self, queryset, name, value):
        # TAL-3: in force means inside the term and no failed evaluation by today.
        current = ChiefEmployee.objects.current(on=timezone.localdate()).values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class ChiefEmployeeViewSet(ScopedReadOnlyViewSet):
    """首席员工（`current=true`：今天在聘）。"""

    queryset = ChiefEmployee.objects.select_related("worker", "unit")
    serializer_class = ChiefEmployeeSerializer
    filterset_class = ChiefEmployeeFilter
    search_fields = ["worker__name", "field"]
    ordering_fields = ["term_from", "id"]


class StudioSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("unit"))
    leader_name = serializers.CharField(source="leader.name", read_only=True, label=_("leader"))
    level_today = serializers.IntegerField(source="level_on", read_only=True, allow_null=True,
                                           label=_("level today"))

    class Meta:
        model = Studio
        fields = ["id", "name", "unit", "leader", "leader_name", "field", "level_today", "public", "created_at"]


class StudioFilter(UnitFilter):
    class Meta:
        model = Studio
        fields = ["unit", "public"]


class StudioViewSet(ScopedReadOnlyViewSet):
    """创新工作室（`level_today`：今天认定的最高级别，1 市级 2 区级 3 企业级）。"""

    queryset = Studio.objects.select_related("unit", "leader")
    serializer_class = StudioSerializer
    filterset_class = StudioFilter
    search_fields = ["name", "field", "leader__name"]
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return with_level_on(super().get_queryset(), timezone.localdate())


class CompetitionSerializer(serializers.ModelSerializer):
    organiser = serializers.CharField(source="organiser.code", read_only=True, label=_("organiser"))
    level_display = serializers.CharField(source="get_level_display", read_only=True, label=_("competition level"))
    occupation = serializers.CharField(source="occupation.name", read_only=True, allow_null=True,
                                       label=_("occupation"))

    class Meta:
        model = Competition
        fields = ["id", "code", "name", "level", "level_display", "organiser", "co_organisers", "occupation", "year",
                  "series", "is_public"]


class CompetitionFilter(django_filters.FilterSet):
    organiser = django_filters.CharFilter(field_name="organiser__code", label=_("organiser"))

    class Meta:
        model = Competition
        fields = ["organiser", "year", "level", "is_public"]


class CompetitionViewSet(ScopedReadOnlyViewSet):
    """职工技能竞赛。"""

    queryset = Competition.objects.select_related("organiser", "occupation")
    serializer_class = CompetitionSerializer
    filterset_class = CompetitionFilter
    search_fields = ["code", "name", "series"]
    ordering_fields = ["year", "code"]


class CompetitionResultSerializer(serializers.ModelSerializer):
    competition = serializers.CharField(source="competition.code", read_only=True, label=_("competition code"))
    worker_name = serializers.CharField(source="worker.name", read_only=True, label=_("name"))
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("unit"))

    class Meta:
        model = CompetitionResult
        fields = ["id", "competition", "worker", "worker_name", "unit", "rank", "award"]


class CompetitionResultFilter(UnitFilter):
    # By id, not a choice among all workers: a foreign id answers like an unknown one.
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("worker"))
    competition = django_filters.CharFilter(field_name="competition__code", label=_("competition code"))
    year = django_filters.NumberFilter(field_name="competition__year", label=_("year"))

    class Meta:
        model = CompetitionResult
        fields = ["unit", "competition", "year", "worker"]


class CompetitionResultViewSet(ScopedReadOnlyViewSet):
    """竞赛成绩。"""

    queryset = CompetitionResult.objects.select_related("competition", "worker", "unit")
    serializer_class = CompetitionResultSerializer
    filterset_class = CompetitionResultFilter
    search_fields = ["worker__name", "award", "competition__name"]
    ordering_fields = ["rank", "id"]


router.register("certificates", SkillCertificateViewSet, basename="certificate")
router.register("chief-employees", ChiefEmployeeViewSet, basename="chief-employee")
router.register("studios", StudioViewSet, basename="studio")
router.register("competitions", CompetitionViewSet, basename="competition")
router.register("competition-results", CompetitionResultViewSet, basename="competition-result")
