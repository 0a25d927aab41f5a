"""api.viewsets.ValuesListMixin: a list served from .values() answers exactly what the serializer
would (names, values, order, cursor), within the same scope."""
from __future__ import annotations

import json

from django.db.models import F
from rest_framework import serializers
from rest_framework.test import APIRequestFactory, force_authenticate

from api.pagination import LargeListPagination
from api.viewsets import ScopedReadOnlyViewSet, ValuesListMixin
from membership.models import Worker
from tests.factories import WorkerFactory


class WorkerRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number_masked = serializers.CharField()
    birth_date = serializers.DateField()
    unit_code = serializers.CharField()


class Workers(ValuesListMixin, ScopedReadOnlyViewSet):
    queryset = Worker.objects.annotate(unit_code=F("unit__code"))
    serializer_class = WorkerRowSerializer
    pagination_class = LargeListPagination
    filter_backends = []
    list_fields = {name: name for name in ("id", "name", "id_number_masked", "birth_date", "unit_code")}


class SerializedWorkers(Workers):
    list_fields = {}


def _pages(view_class, user):
    view = view_class.as_view({"get": "list"})
    factory = APIRequestFactory()
    address, pages = "/workers/?page_size=2", []
    while address:
        request = factory.get(address)
        force_authenticate(request, user=user)
        response = view(request)
        response.render()
        assert response.status_code == 200
        body = json.loads(response.content)
        pages.append(body["results"])
        address = body["next"]
    return pages


def test_values_list_answers_what_the_serializer_answers(tree, chaoyang_all_permissions):
    own = [WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(5)]
    WorkerFactory(unit=tree["haidian_enterprise"])
    fast = _pages(Workers, chaoyang_all_permissions)
    slow = _pages(SerializedWorkers, chaoyang_all_permissions)
    assert fast == slow
    assert [len(page) for page in fast] == [2, 2, 1]
    assert [row["id"] for page in fast for row in page] == sorted((w.pk for w in own), reverse=True)
    assert fast[0][0]["birth_date"] == own[-1].birth_date.isoformat()
