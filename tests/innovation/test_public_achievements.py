"""TAL-7, INN-5: the public 技术英才网 pages list the achievements their units mark public, with the
team's names and no other personal data, in a fixed number of queries."""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innovation.models import Patent
from tests.factories import WorkerFactory, achievement_create


def test_anyone_sees_public_achievements_and_never_private_ones(client, tree):
    team = [WorkerFactory(unit=tree["chaoyang_enterprise"], name=name, phone="13800138000") for name in ("王建国", "李秀英")]
    shown = achievement_create(tree["chaoyang_enterprise"], team, code="CX-PUB-1", title="主轴热变形补偿装置",
                               is_public=True, grade="excellent", year=2013)
    Patent.objects.create(achievement=shown, number="ZL201310001234.5", kind="invention", granted_on=dt.date(2013, 8, 1))
    achievement_create(tree["chaoyang_enterprise"], code="CX-PRIV-1", title="内部成果")
    page = client.get(reverse("innovation:achievements")).content.decode()
    assert "主轴热变形补偿装置" in page and "王建国、李秀英" in page
    assert "内部成果" not in page
    for private in (team[0].id_number_masked, "13800138000", str(team[0].birth_date.year) + "-"):
        assert private not in page
    detail = client.get(reverse("innovation:achievement", args=["CX-PUB-1"]))
    assert detail.status_code == 200 and "ZL201310001234.5" in detail.content.decode()
    assert team[0].id_number_masked not in detail.content.decode()
    assert client.get(reverse("innovation:achievement", args=["CX-PRIV-1"])).status_code == 404


def test_the_list_filters_by_kind_year_and_words(client, tree):
    achievement_create(tree["chaoyang_enterprise"], code="A1", title="焊接机器人", kind="invention", year=2012, is_public=True)
    achievement_create(tree["chaoyang_enterprise"], code="A2", title="班组核算法", kind="management", year=2013, is_public=True)
    assert "焊接机器人" not in client.get(reverse("innovation:achievements"), {"kind": "management"}).content.decode()
    assert "班组核算法" not in client.get(reverse("innovation:achievements"), {"year": "2012"}).content.decode()
    page = client.get(reverse("innovation:achievements"), {"q": "焊接"}).content.decode()
    assert "焊接机器人" in page and "班组核算法" not in page


def test_the_list_costs_the_same_queries_for_one_or_many_achievements(client, tree):
    workers = [WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(3)]
    achievement_create(tree["chaoyang_enterprise"], workers, is_public=True)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("innovation:achievements"))
    for _ in range(5):
        achievement_create(tree["chaoyang_enterprise"], workers, is_public=True)
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("innovation:achievements"))
    assert len(six.captured_queries) == len(one.captured_queries)
