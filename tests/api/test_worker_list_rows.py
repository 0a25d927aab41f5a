"""Issue 12 (Speed): the workers list is made from .values() rows by portal.api.worker_list_rows,
not by WorkerSerializer; each row must still be exactly what the serializer answers (the detail):
same names in the same order, same values — labels in the request's language, dates, a blank
education, a leaver's reason, MEM-4's mask and birth band, and a full number only when revealed."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from membership import services
from membership.models import IdNumberReveal, Worker
from tests.factories import WorkerFactory


@pytest.fixture
def workers(tree):
    plain = WorkerFactory(unit=tree["chaoyang_enterprise"])
    full = WorkerFactory(unit=tree["chaoyang_enterprise"], post="", is_frontline=True, is_migrant=True,
                         is_needy=True, education=Worker.Education.BACHELOR,
                         joined_union_on=dt.date(2011, 3, 9))
    leaver = WorkerFactory(unit=tree["chaoyang_enterprise"], education=Worker.Education.PRIMARY)
    services.worker_update(worker=leaver, left_on=timezone.localdate() - dt.timedelta(days=3),
                           leaving_reason=Worker.LeavingReason.RETIRED)
    WorkerFactory(unit=tree["haidian_enterprise"])  # another district's: never listed
    return [plain, full, leaver]


@pytest.fixture
def municipal_api(tree, token_client):
    return token_client(tree["root"], "municipal", name="市总数据平台")


def _list(client, **query):
    response = client.get(reverse("worker-list"), {"roll": "all", **query})
    assert response.status_code == 200
    return response.json()["results"]


def _detail(client, worker, **query):
    # roll=all: the detail answers leavers only when asked, like the list.
    response = client.get(reverse("worker-detail", args=[worker.pk]), {"roll": "all", **query})
    assert response.status_code == 200
    return response.json()


def test_list_rows_are_the_serializers_rows(chaoyang_api, workers):
    rows = _list(chaoyang_api)
    assert [row["id"] for row in rows] == sorted((worker.pk for worker in workers), reverse=True)
    for row in rows:
        detail = _detail(chaoyang_api, Worker.objects.get(pk=row["id"]))
        assert list(row) == list(detail)
        assert row == detail
    leaver = rows[0]
    assert (leaver["leaving_reason"], leaver["leaving_reason_display"]) == ("retired", "退休")
    assert leaver["education_display"] == "小学及以下"
    assert rows[2]["education"] == rows[2]["education_display"] == ""
    assert rows[1]["joined_union_on"] == "2011-03-09" and rows[2]["joined_union_on"] is None
    assert all(row["id_number"] is None for row in rows)


def test_revealed_list_rows_are_the_serializers_rows_and_each_is_logged(municipal_api, workers):
    rows = _list(municipal_api, reveal=1, under=workers[0].unit.code)
    assert len(rows) == 3
    for row in rows:
        assert row == _detail(municipal_api, Worker.objects.get(pk=row["id"]), reveal=1)
    logged = sorted(IdNumberReveal.objects.values_list("worker_id", flat=True))
    # Each worker twice: once for the list, once for the detail.
    assert logged == sorted([worker.pk for worker in workers] * 2)


def test_a_page_of_workers_by_token_is_two_queries(chaoyang_api, workers, django_assert_num_queries):
    # The token's last-used time is written once a minute; a page of a new shape (scope, filters,
    # size) is prepared in the session the first time (PREPARE, then EXECUTE).
    _list(chaoyang_api)
    # The token with its account, the account's unit (the scope's path comes with it) and the
    # account's permissions (its own and its groups': membership/backends.py) in one; the page.
    with django_assert_num_queries(2):
        assert len(_list(chaoyang_api)) == 3
