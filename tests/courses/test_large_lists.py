"""Issue 13: the lists of training records, enrolments and the credit ledger cost a fixed number of
queries whatever the page holds, for a district officer and for municipal staff."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services
from tests.factories import WorkerFactory, class_create, course_create, enrolment_make, unit_create

pytestmark = pytest.mark.django_db


def _facts(tree, count: int) -> None:
    # Each worker in a unit of their own, each enrolment in a class of its own: a per-row query
    # for the unit, the worker or the class would show as more queries.
    for number in range(count):
        unit = unit_create(tree["chaoyang"], f"朝阳企业{number}工会")
        worker = WorkerFactory(unit=unit)
        services.training_record_create(worker=worker, project=f"数控车床操作提升班{number}", kind="skills",
                                        hours=Decimal(16), completed_on=timezone.localdate())
        enrolment_make(class_create(course_create(unit)), worker)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["chaoyang_officer", "municipal"])
@pytest.mark.parametrize("model", ["trainingrecord", "enrolment", "creditentry"])
@pytest.mark.parametrize("query", ["", "?q=职工"])
def test_a_large_list_costs_the_same_queries_for_3_rows_and_30(client, tree, who, model, query, request,
                                                                django_assert_max_num_queries):
    client.force_login(request.getfixturevalue(who))
    url = reverse(f"admin:courses_{model}_changelist") + query
    _facts(tree, 3)
    few = _queries(client, url)
    _facts(tree, 27)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 30


@pytest.mark.parametrize("who", ["chaoyang_officer", "municipal"])
def test_the_enrolment_list_editable_columns_render_the_templates_html(client, tree, who, request, monkeypatch):
    from django.forms.renderers import DjangoTemplates

    from membership import admin_scoped

    client.force_login(request.getfixturevalue(who))
    _facts(tree, 5)
    url = reverse("admin:courses_enrolment_changelist")
    fast = client.get(url).content.decode()
    monkeypatch.setattr(admin_scoped, "LIST_FORM_RENDERER", DjangoTemplates())
    templated = client.get(url).content.decode()
    assert 'name="form-4-attended_hours"' in fast
    # The CSRF token differs between two pages; nothing else may.
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)  # noqa: E731
    assert strip(fast) == strip(templated)


@pytest.mark.parametrize("who", ["chaoyang_officer", "municipal"])
def test_a_search_shown_on_one_page_reads_its_rows_by_the_ids_it_counted(client, tree, who, request):
    client.force_login(request.getfixturevalue(who))
    _facts(tree, 3)
    url = reverse("admin:courses_trainingrecord_changelist")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"q": "数控车床操作提升班1"})
    assert [row.project for row in response.context["cl"].result_list] == ["数控车床操作提升班1"]
    rows = [query["sql"] for query in captured if query["sql"].startswith('SELECT "courses_trainingrecord"."id", ')]
    assert len(rows) == 1 and '"courses_trainingrecord"."id" IN (' in rows[0]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"q": "不存在的项目"})
    assert list(response.context["cl"].result_list) == []
    assert not [query for query in captured if query["sql"].startswith('SELECT "courses_trainingrecord"."id", ')]
