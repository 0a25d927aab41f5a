"""Issue 12: rationalisation proposals (INN-2) and innovation achievements (INN-4) over
/api/v1/, read-only and scoped like the admin."""
from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.filters import year_filter
from api.registry import router
from api.viewsets import ScopedReadOnlyViewSet

from .models import Achievement, Proposal


class ProposalSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("unit"))
    category_display = serializers.CharField(source="get_category_display", read_only=True, label=_("category"))
    state_display = serializers.CharField(source="get_state_display", read_only=True, label=_("state"))

    class Meta:
        model = Proposal
        fields = ["id", "code", "title", "category", "category_display", "unit", "submitter", "submitter_names",
                  "submitted_on", "state", "state_display", "adopted_on", "project_on", "implemented_on", "rewarded_on",
                  "measured_benefit", "reward_amount"]


class ProposalFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label=_("unit code"))
    year = year_filter("submitted_on")

    class Meta:
        model = Proposal
        fields = ["unit", "year", "state", "category"]


class ProposalViewSet(ScopedReadOnlyViewSet):
    """合理化建议。"""

    queryset = Proposal.objects.select_related("unit")
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    search_fields = ["code", "title", "submitter_names"]
    ordering_fields = ["submitted_on", "code", "id"]


class AchievementSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("unit"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label=_("type"))
    grade_display = serializers.CharField(source="get_grade_display", read_only=True, label=_("grade"))

    class Meta:
        model = Achievement
        fields = ["id", "code", "title", "unit", "kind", "kind_display", "year", "score", "grade", "grade_display",
                  "is_public"]


class AchievementFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label=_("unit code"))

    class Meta:
        model = Achievement
        fields = ["unit", "year", "kind", "grade", "is_public"]


class AchievementViewSet(ScopedReadOnlyViewSet):
    """职工创新成果。"""

    queryset = Achievement.objects.select_related("unit")
    serializer_class = AchievementSerializer
    filterset_class = AchievementFilter
    search_fields = ["code", "title"]
    ordering_fields = ["year", "code", "id"]


router.register("proposals", ProposalViewSet, basename="proposal")
router.register("achievements", AchievementViewSet, basename="achievement")
