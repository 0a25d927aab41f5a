"""Issue 12: units over /api/v1/, scoped like the admin."""
from __future__ import annotations

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.registry import router
from api.viewsets import ScopedReadOnlyViewSet

from .models import Unit


def units_with_parent_code():
    parent = Unit.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Unit.steplen))
    return Unit.objects.annotate(parent_code=Subquery(parent.values("code")[:1])).order_by(F("path"))


class UnitSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(read_only=True, allow_null=True, label=_("parent unit code"))

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "member_level", "membership_status", "membership_since",
                  "parent_code", "depth"]


class UnitViewSet(ScopedReadOnlyViewSet):
    """单位：本账号所属单位及其全部下级单位。"""

    queryset = units_with_parent_code()
    serializer_class = UnitSerializer
    filterset_fields = ["kind", "member_level", "membership_status", "depth", "code"]
    search_fields = ["name", "code"]
    ordering_fields = ["path", "code", "name"]


router.register("units", UnitViewSet, basename="unit")
