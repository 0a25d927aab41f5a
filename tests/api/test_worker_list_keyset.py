"""Issue 12 (Speed): a system paging through the workers gets its pages from the list's statement
compiled once per scope, day and filters, run on a raw cursor (WorkerViewSet._keyset_page). Every
answer must be byte for byte the generic way's — rows, ``next`` and ``previous``, filters,
errors — the statement kept for one scope must never show another's rows, and a kept statement
must not outlive what it was built from: the day, the tree, the token, its permissions."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import token_revoke
from membership import scoping, services
from membership.models import Unit, Worker
from portal.api import WorkerViewSet
from tests.factories import WorkerFactory, unit_create

URL = reverse("worker-list")


@pytest.fixture
def workers(tree):
    enterprise, district = tree["chaoyang_enterprise"], tree["chaoyang"]
    today = timezone.localdate()
    made = [
        WorkerFactory(unit=enterprise),
        WorkerFactory(unit=district, is_frontline=True, education=Worker.Education.BACHELOR,
                      joined_union_on=dt.date(2011, 3, 9), post="钳工"),
        WorkerFactory(unit=enterprise, is_migrant=True, is_needy=True, education=Worker.Education.PRIMARY),
        WorkerFactory(unit=unit_create(enterprise), post=""),
        WorkerFactory(unit=enterprise, is_frontline=True),
    ]
    gone = WorkerFactory(unit=enterprise)
    services.worker_update(worker=gone, left_on=today - dt.timedelta(days=3),
                           leaving_reason=Worker.LeavingReason.RETIRED)
    leaving = WorkerFactory(unit=district)  # leaves tomorrow: on the roll today
    services.worker_update(worker=leaving, left_on=today + dt.timedelta(days=1),
                           leaving_reason=Worker.LeavingReason.RESIGNED)
    others = [WorkerFactory(unit=tree["haidian_enterprise"]), WorkerFactory(unit=tree["haidian"])]
    return {"own": [*made, leaving], "gone": gone, "others": others}


@pytest.fixture
def keyset_taken(monkeypatch):
    """The answers the keyset way gave (not None: it served the page)."""
    taken = []
    original = WorkerViewSet._keyset_page

    def spy(self, request):
        page = original(self, request)
        taken.append(page is not None)
        return page

    monkeypatch.setattr(WorkerViewSet, "_keyset_page", spy)
    return taken


def _generic(client, address, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(WorkerViewSet, "_keyset_page", lambda self, request: None)
        return client.get(address)


def _same(client, address, monkeypatch):
    fast = client.get(address)
    slow = _generic(client, address, monkeypatch)
    assert fast.status_code == slow.status_code, address
    assert fast.content == slow.content, address
    assert fast["Content-Type"] == slow["Content-Type"]
    return fast


def _walk(client, query, monkeypatch):
    """Every page of ``query`` both ways, following ``next``; each page's ``previous`` too."""
    pages, address = [], f"{URL}?{query}" if query else URL
    while address:
        response = _same(client, address, monkeypatch)
        if response.status_code != 200:
            return response.status_code
        body = response.json()
        pages.append([row["id"] for row in body["results"]])
        if body["previous"]:
            _same(client, body["previous"], monkeypatch)
        address = body["next"]
    return pages


QUERIES = ["", "page_size=2", "page_size=1", "page_size=1000", "page_size=0", "page_size=abc", "page_size=-3",
           "page_size=2&roll=all", "page_size=2&roll=left", "roll=current", "page_size=2&is_frontline=true",
           "is_frontline=false&is_migrant=true", "is_needy=true", "education=bachelor", "education=", "sex=F",
           "sex=M&page_size=2", "unit=91110105MA01CY001A", "under=91110105MA01CY001A&page_size=1",
           "under=110105&roll=all&page_size=3", "under=91110108MA01HD001H", "unit=91110108MA01HD001H&roll=all",
           "under=nosuchunit", "roll=bogus", "is_frontline=maybe", "page_size=2&unit=x&unit=91110105MA01CY001A"]


@pytest.mark.parametrize("query", QUERIES)
def test_keyset_pages_are_the_generic_pages_byte_for_byte(chaoyang_api, workers, monkeypatch, query):
    pages = _walk(chaoyang_api, query, monkeypatch)
    if isinstance(pages, int):
        assert pages == 400 and query in ("roll=bogus", "is_frontline=maybe")
        return
    listed = [pk for page in pages for pk in page]
    assert listed == sorted(listed, reverse=True) and len(set(listed)) == len(listed)
    assert not set(listed) & {worker.pk for worker in workers["others"]}


def test_a_system_paging_through_is_served_the_keyset_way(chaoyang_api, workers, monkeypatch, keyset_taken):
    pages = _walk(chaoyang_api, "page_size=2", monkeypatch)
    assert pages == [[pk for pk in sorted((w.pk for w in workers["own"]), reverse=True)][i:i + 2]
                     for i in range(0, 6, 2)]
    # Each page (the generic comparisons were patched past the spy) and none of the previous links,
    # which are backward cursors, the generic way's.
    assert keyset_taken.count(True) == 3 and keyset_taken.count(False) == 2


@pytest.mark.parametrize("cursor", ["cD1hYmM=",  # p=abc
                                    "bz0xJnA9NQ==",  # o=1&p=5
                                    "cj0xJnA9NQ==",  # r=1&p=5
                                    "cD0gNQ==",  # p= 5
                                    "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5",  # p beyond bigint
                                    "cD0tNQ==",  # p=-5
                                    "cD0=",  # p=
                                    "bz0w",  # o=0
                                    "not base64", "%%%"])
def test_crafted_cursors_answer_what_the_generic_way_answers(chaoyang_api, workers, monkeypatch, cursor):
    _same(chaoyang_api, f"{URL}?page_size=2&cursor={cursor}", monkeypatch)


@pytest.mark.parametrize("query", ["search=钳工", "ordering=name", "ordering=-id", "reveal=0", "format=json",
                                   "page_size=2&other=1"])
def test_other_asks_go_the_generic_way(chaoyang_api, workers, monkeypatch, keyset_taken, query):
    _same(chaoyang_api, f"{URL}?{query}", monkeypatch)
    assert keyset_taken == [False]


def test_statements_kept_for_one_scope_never_show_anothers_rows(tree, token_client, workers):
    chaoyang = token_client(tree["chaoyang"], "level1")
    haidian = token_client(tree["haidian"], "level1")
    enterprise = token_client(tree["chaoyang_enterprise"], "level2")
    below = tree["chaoyang_enterprise"].path
    for _round in range(2):
        assert {row["id"] for row in chaoyang.get(URL).json()["results"]} == {w.pk for w in workers["own"]}
        assert {row["id"] for row in haidian.get(URL).json()["results"]} == {w.pk for w in workers["others"]}
        assert ({row["id"] for row in enterprise.get(URL).json()["results"]}
                == {w.pk for w in workers["own"] if w.unit.path.startswith(below)})


def test_a_municipal_statement_is_not_kept_past_a_second_top_level_unit(tree, token_client, workers):
    city = token_client(tree["root"], "municipal", name="市总数据平台")
    everyone = {w.pk for w in [*workers["own"], *workers["others"]]}
    assert {row["id"] for row in city.get(URL).json()["results"]} == everyone
    # The whole tree is the federation's subtree only while it is the one top-level unit.
    elsewhere = services.unit_create(parent=None, code="110000999", name="另一棵树", kind=Unit.Kind.FEDERATION,
                                     district="北京市")
    stranger = WorkerFactory(unit=elsewhere)
    assert {row["id"] for row in city.get(URL).json()["results"]} == everyone
    assert stranger.pk not in {row["id"] for row in city.get(URL, {"roll": "all"}).json()["results"]}


def test_visibility_key_follows_what_scoping_decides_by(tree, municipal, chaoyang_officer):
    assert scoping.visibility_key(chaoyang_officer) == (chaoyang_officer.pk, True, tree["chaoyang"].path, False)
    assert scoping.visibility_key(municipal)[3] is True
    services.unit_create(parent=None, code="110000999", name="另一棵树", kind=Unit.Kind.FEDERATION, district="北京市")
    municipal = type(municipal).objects.get(pk=municipal.pk)
    assert scoping.visibility_key(municipal)[3] is False
    chaoyang_officer.is_active = False
    assert scoping.visibility_key(chaoyang_officer)[1:3] == (False, None)


def test_the_roll_follows_the_day_past_a_kept_statement(chaoyang_api, workers, monkeypatch):
    leaving = workers["own"][-1]
    assert leaving.pk in {row["id"] for row in chaoyang_api.get(URL).json()["results"]}
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    listed = {row["id"] for row in chaoyang_api.get(URL).json()["results"]}
    assert leaving.pk not in listed and len(listed) == len(workers["own"]) - 1


def test_revoked_token_and_withdrawn_permission_after_kept_pages(tree, workers, client):
    from tests.api.conftest import auth
    from tests.factories import api_token_create

    token, key = api_token_create(tree["chaoyang"], role="level1")
    assert client.get(URL, **auth(key)).status_code == 200
    view = Permission.objects.get(codename="view_worker")
    token.user.groups.first().permissions.remove(view)
    refused = client.get(URL, **auth(key))
    assert refused.status_code == 403 and "results" not in refused.json()
    token.user.groups.first().permissions.add(view)
    assert client.get(URL, **auth(key)).status_code == 200
    token_revoke(token)
    assert client.get(URL, **auth(key)).status_code == 401
    assert client.get(URL).status_code in (401, 403)


def test_over_the_rate_a_keyset_page_is_429(tree, workers, client):
    from tests.api.conftest import auth
    from tests.factories import api_token_create

    token, key = api_token_create(tree["chaoyang"], role="level1")
    ApiToken.objects.filter(pk=token.pk).update(rate_per_minute=2)
    assert [client.get(URL, **auth(key)).status_code for _ in range(2)] == [200, 200]
    refused = client.get(URL, **auth(key))
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60


def test_an_account_without_a_unit_sees_no_worker(tree, workers, token_client):
    from django.contrib.auth import get_user_model

    client = token_client(tree["chaoyang"], "level1")
    assert client.get(URL).json()["results"]
    token = ApiToken.objects.latest("pk")
    get_user_model().objects.filter(pk=token.user_id).update(unit=None)
    body = client.get(URL).json()
    assert body == {"next": None, "previous": None, "results": []}
