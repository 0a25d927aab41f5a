"""Issue 13: the indexed searches of the training-record list, the enrolment list and the credit
ledger (courses.selectors) find exactly the rows the admin's plain search over their
search_fields finds, and find them without reading every row."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import selectors, services
from courses.models import CreditEntry, Enrolment, TrainingRecord
from membership import scoping
from membership import selectors as membership_selectors
from tests.factories import WorkerFactory, class_create, course_create, dependant_create, enrolment_make

pytestmark = pytest.mark.django_db

TERMS = ["张伟", "张", "伟", "张伟明", "zhang", "WEI", "焊接", "数控", "职工大学", "第", "小明", "张 伟", '"Zhang Wei"',
         "张伟 数控", "不存在", "%", "_"]


@pytest.fixture
def facts(tree):
    chaoyang, haidian = tree["chaoyang_enterprise"], tree["haidian_enterprise"]
    workers = [WorkerFactory(name="张伟", unit=chaoyang), WorkerFactory(name="张伟明", unit=haidian, post="车工"),
               WorkerFactory(name="李张伟", unit=chaoyang), WorkerFactory(name="王芳", unit=chaoyang),
               WorkerFactory(name="Zhang Wei", unit=chaoyang), WorkerFactory(name="伟张", unit=chaoyang, post="电工")]
    welding = course_create(chaoyang, title="焊接技术基础")
    lathe = course_create(haidian, title="数控车床")
    for number, worker in enumerate(workers):
        services.training_record_create(worker=worker, project=["数控车床操作提升班", "焊接张伟班", "Zhang wei class"][number % 3],
                                        kind="skills", hours=Decimal(16), completed_on=timezone.localdate(),
                                        institution=["北京市职工大学", "", "张伟学校"][number % 3])
        enrolment = enrolment_make(class_create(welding if number % 2 else lathe,
                                                name=["焊接一期", "张伟专班", "Spring"][number % 3]), worker)
        if number == 3:
            child = dependant_create(worker, name="小明")
            Enrolment.objects.filter(pk=enrolment.pk).update(dependant=child)
    return tree


def _plain(model, term: str) -> set[int]:
    model_admin = admin.site._registry[model]
    queryset, _duplicates = admin.ModelAdmin.get_search_results(model_admin, None, model.objects.all(), term)
    return set(queryset.values_list("pk", flat=True))


SEARCHES = [(TrainingRecord, selectors.training_record_search), (Enrolment, selectors.enrolment_search),
            (CreditEntry, selectors.credit_entry_search)]


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize(("model", "search"), SEARCHES)
def test_the_indexed_search_finds_what_the_plain_search_finds(facts, model, search, term):
    found = set(search(model.objects.all(), term).values_list("pk", flat=True))
    assert found == _plain(model, term)


@pytest.mark.parametrize(("model", "search"), SEARCHES)
def test_a_word_naming_many_workers_classes_or_children_is_matched_by_a_join(facts, monkeypatch, model, search):
    monkeypatch.setattr(membership_selectors, "SEARCH_WORKER_IDS", 1)
    monkeypatch.setattr(selectors, "SEARCH_RELATED_IDS", 1)
    for term in ("张伟", "焊接", "小明", "第"):
        found = set(search(model.objects.all(), term).values_list("pk", flat=True))
        assert found == _plain(model, term), term


def test_the_records_are_found_by_worker_id_not_by_a_join_on_the_name(facts):
    with CaptureQueriesContext(connection) as captured:
        list(selectors.training_record_search(TrainingRecord.objects.all(), "张伟"))
    sql = captured[-1]["sql"]
    assert "membership_worker" not in sql
    if connection.vendor == "postgresql":
        assert "portal_worker_grams" in sql
        # The workers' ids as one array parameter, not a parameter each (issue 13).
        assert '"worker_id" = ANY(' in sql and "::bigint[]" in sql
    else:
        assert '"worker_id" IN (' in sql


@pytest.mark.parametrize("model", [TrainingRecord, Enrolment, CreditEntry])
def test_an_officer_searching_finds_only_their_own_rows(client, facts, chaoyang_officer, model):
    client.force_login(chaoyang_officer)
    response = client.get(reverse(f"admin:courses_{model._meta.model_name}_changelist"), {"q": "张伟"})
    assert response.status_code == 200
    found = {row.pk for row in response.context["cl"].result_list}
    expected = set(scoping.visible_to(model.objects.filter(pk__in=_plain(model, "张伟")), chaoyang_officer)
                   .values_list("pk", flat=True))
    assert found == expected
    assert expected
    if model is not Enrolment:  # 张伟明's class is 朝阳's: the officer sees his enrolment
        assert len(expected) < len(_plain(model, "张伟"))  # 海淀's 张伟明 is not the officer's


def _statements_reading(captured, table: str) -> list[str]:
    return [query["sql"] for query in captured if f'FROM "{table}"' in query["sql"]
            and query["sql"].startswith(f'SELECT "{table}"."id" AS "pk"')]


@pytest.mark.parametrize("model", [TrainingRecord, Enrolment, CreditEntry])
def test_a_search_on_the_list_is_scoped_once(client, facts, chaoyang_officer, model):
    """The list's queryset comes scoped from get_queryset; the search does not scope it again.
    The same filter twice had PostgreSQL square its selectivity: the 朝阳 ledger's search for 张伟
    was planned at 7 rows among 200,000 and tested each of them against the named workers
    (121 ms of SQL) instead of reading those workers' entries by index (58 ms; issue 13)."""
    client.force_login(chaoyang_officer)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"admin:courses_{model._meta.model_name}_changelist"), {"q": "张伟"})
    assert response.status_code == 200
    statements = _statements_reading(captured, model._meta.db_table)
    assert statements
    subtree = 'FROM "membership_unit" U0 WHERE U0."path"'
    # Each owner tests the subtree once (a worker's owner in either of its two forms).
    owners = len(scoping.model_scope(model).owners)
    assert all(sql.count(subtree) == owners for sql in statements), statements


@pytest.mark.parametrize("model", [TrainingRecord, Enrolment, CreditEntry])
def test_a_search_given_a_queryset_not_scoped_for_the_user_scopes_it(rf, facts, chaoyang_officer, haidian_officer,
                                                                     model):
    """Only get_queryset's own scoped queryset, for the same user, skips the second scoping: any
    other queryset (unscoped, or scoped for someone else) is scoped for the user searching."""
    haidian = facts["haidian_enterprise"]
    worker = WorkerFactory(name="张伟", unit=haidian)  # a 海淀 张伟's training, credits and a 海淀 class
    services.training_record_create(worker=worker, project="数控车床操作提升班", kind="skills", hours=Decimal(16),
                                    completed_on=timezone.localdate())
    enrolment_make(class_create(course_create(haidian, title="海淀数控车床")), worker)
    model_admin = admin.site._registry[model]
    request = rf.get("/", {"q": "张伟"})
    request.user = chaoyang_officer
    visible = set(scoping.visible_to(model.objects.all(), chaoyang_officer).values_list("pk", flat=True))
    haidian_request = rf.get("/")
    haidian_request.user = haidian_officer
    for queryset in (model.objects.all(), model_admin.get_queryset(haidian_request)):
        found, _duplicates = model_admin.get_search_results(request, queryset, "张伟")
        given = set(queryset.values_list("pk", flat=True))
        assert set(found.values_list("pk", flat=True)) == given & _plain(model, "张伟") & visible
    assert visible & _plain(model, "张伟") < _plain(model, "张伟")  # 海淀's rows were there to leave out
    # get_queryset's own, for this user: the same rows, scoped once.
    found, _duplicates = model_admin.get_search_results(request, model_admin.get_queryset(request), "张伟")
    assert set(found.values_list("pk", flat=True)) == visible & _plain(model, "张伟")
