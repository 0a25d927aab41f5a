"""Issue 13: the worker list's indexed search (membership.selectors.worker_search) finds exactly
the rows the admin's plain search over name, post, unit name and unit code finds."""
from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.db.models import F, Q, Value
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


# The definition of migration 0015, which migration 0018 replaced with a PL/pgSQL loop.
_SQL_GRAMS = """SELECT ARRAY(SELECT DISTINCT unnest(portal_grams(%(a)s) || portal_grams(%(b)s)) ORDER BY 1),
                       ARRAY(SELECT DISTINCT unnest(portal_worker_grams(%(a)s, %(b)s)) ORDER BY 1),
                       cardinality(portal_worker_grams(%(a)s, %(b)s))"""


@pytest.mark.parametrize(("first", "second"), [
    ("张伟", "焊工"), ("张伟明", "车工"), ("张", ""), ("", ""), ("伟伟伟", "伟"), ("Zhang Wei", "Welder"),
    ("zhang wei", "WELDER 焊工"), ("北京张伟焊接有限公司工会", "91110105MA01ABCD2X"), ("Straße", "ǆ ß µ"),
    ("a%_b", "100%"), ("  ", " x ")])
def test_the_plpgsql_grams_are_the_sql_grams_without_duplicates(first, second):
    if connection.vendor != "postgresql":
        pytest.skip("the pairs index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(_SQL_GRAMS, {"a": first, "b": second})
        before, after, size = cursor.fetchone()
        cursor.execute("SELECT portal_worker_grams(NULL, 'x'), portal_worker_grams('x', NULL)")
        assert cursor.fetchone() == (None, None)
    assert after == before
    assert size == len(before)  # each gram once: the array is no bigger than the keys GIN keeps


def test_the_units_grams_find_the_same_units(roster):
    from membership.models import Unit

    for word in ("张伟", "焊接", "工会", "110105", "朝阳", "X"):
        indexed = set(Unit.objects.filter(selectors._WorkerGramsMatch(F("name"), F("code"), Value(word)))
                      .filter(Q(name__icontains=word) | Q(code__icontains=word)).values_list("pk", flat=True))
        plain = set(Unit.objects.filter(Q(name__icontains=word) | Q(code__icontains=word)).values_list("pk", flat=True))
        assert indexed == plain, word
