"""Issue 13: the worker list's indexed search (membership.selectors.worker_search) finds exactly
the rows the admin's plain search over name, post, unit name and unit code finds."""
from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from membership import selectors
from membership.admin import WorkerAdmin
from membership.models import Worker
from tests.factories import WorkerFactory, unit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(tree):
    welding = unit_create(tree["chaoyang"], "北京张伟焊接有限公司工会")
    WorkerFactory(name="张伟", unit=tree["chaoyang_enterprise"])
    WorkerFactory(name="张伟明", unit=tree["haidian_enterprise"], post="车工")
    WorkerFactory(name="李张伟", unit=tree["chaoyang_enterprise"])
    WorkerFactory(name="王芳", unit=welding)  # found through her unit's name
    WorkerFactory(name="张", unit=tree["chaoyang_enterprise"], post="Welder")
    WorkerFactory(name="Zhang Wei", unit=tree["chaoyang_enterprise"])
    WorkerFactory(name="伟张", unit=tree["chaoyang_enterprise"], post="电工")
    return tree


def _plain(term: str) -> set[int]:
    model_admin = WorkerAdmin(Worker, admin.site)
    queryset, _duplicates = admin.ModelAdmin.get_search_results(model_admin, None, Worker.objects.all(), term)
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("term", ["张伟", "张", "伟", "张伟明", "zhang", "WEI", "welder", "焊接", "110105", "91110105",
                                  "车工", "张 伟", '"Zhang Wei"', "张伟 焊接", "不存在", "%", "_"])
def test_the_indexed_search_finds_what_the_plain_search_finds(roster, term):
    found = set(selectors.worker_search(Worker.objects.all(), term).values_list("pk", flat=True))
    assert found == _plain(term)


def test_a_word_every_unit_holds_is_matched_by_a_join(roster, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_UNIT_IDS", 1)
    found = set(selectors.worker_search(Worker.objects.all(), "工会").values_list("pk", flat=True))
    assert found == _plain("工会") == set(Worker.objects.values_list("pk", flat=True))


def test_the_name_search_uses_the_pairs_index(roster):
    with CaptureQueriesContext(connection) as captured:
        list(selectors.worker_search(Worker.objects.all(), "张伟"))
    assert "portal_worker_grams" in captured[-1]["sql"]


def test_an_officer_searching_finds_only_their_own_workers(client, roster, chaoyang_officer):
    client.force_login(chaoyang_officer)
    response = client.get(reverse("admin:membership_worker_changelist"), {"q": "张伟"})
    names = {worker.name for worker in response.context["cl"].result_list}
    # 王芳 through her unit's name (北京张伟焊接…); 张伟明 is 海淀's.
    assert names == {"张伟", "李张伟", "王芳"}
