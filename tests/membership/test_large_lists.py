"""MEM-2 at city scale (issue 13): the worker list costs a fixed number of queries whatever the
page holds, and a list longer than COUNT_CAP is never counted whole but said to hold about N."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from membership import admin_scoped
from membership.admin import WorkerAdmin
from tests.factories import WorkerFactory, unit_create

pytestmark = pytest.mark.django_db


def _workers(tree, count: int) -> None:
    # Each in a unit of its own: a per-row query for the unit would show as more queries.
    for number in range(count):
        WorkerFactory(unit=unit_create(tree["chaoyang"], f"朝阳企业{number}工会"))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["chaoyang_officer", "municipal"])
@pytest.mark.parametrize("query", ["", "?q=职工", "?unit_subtree=chaoyang"])
def test_the_worker_list_costs_the_same_queries_for_3_rows_and_30(client, tree, who, query, request,
                                                                  django_assert_max_num_queries):
    client.force_login(request.getfixturevalue(who))
    url = reverse("admin:membership_worker_changelist") + query.replace("chaoyang", str(tree["chaoyang"].pk))
    _workers(tree, 3)
    few = _queries(client, url)
    _workers(tree, 27)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 30


def test_a_list_under_the_cap_is_counted_exactly(client, tree, chaoyang_officer, monkeypatch):
    monkeypatch.setattr(admin_scoped, "COUNT_CAP", 5)
    _workers(tree, 5)
    client.force_login(chaoyang_officer)
    changelist = client.get(reverse("admin:membership_worker_changelist")).context["cl"]
    assert changelist.result_count == 5
    assert changelist.result_count_text is None


def test_a_list_over_the_cap_is_not_counted_whole_and_says_so(client, tree, chaoyang_officer, monkeypatch):
    monkeypatch.setattr(admin_scoped, "COUNT_CAP", 5)
    monkeypatch.setattr(WorkerAdmin, "list_per_page", 3)
    _workers(tree, 8)
    WorkerFactory(unit=tree["haidian_enterprise"])  # another district's: never counted for 朝阳
    client.force_login(chaoyang_officer)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:membership_worker_changelist"))
    changelist = response.context["cl"]
    counts = [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]
    assert all("LIMIT 6" in sql for sql in counts)
    # The planner's estimate ("about N") or, when it is no higher than the cap, "more than 5".
    assert changelist.result_count_text in (gettext("more than %(count)s") % {"count": "5"},
                                            gettext("about %(count)s") % {"count": f"{changelist.result_count:,}"})
    assert changelist.result_count_text in response.content.decode()
    assert changelist.result_count > 5
    assert len(changelist.result_list) == 3


def test_a_short_page_tells_the_true_count(client, tree, chaoyang_officer, monkeypatch):
    monkeypatch.setattr(admin_scoped, "COUNT_CAP", 5)
    _workers(tree, 8)
    client.force_login(chaoyang_officer)
    changelist = client.get(reverse("admin:membership_worker_changelist")).context["cl"]
    assert changelist.result_count == 8
    assert changelist.result_count_text is None
    assert changelist.paginator.num_pages == 1


def _ids_queries(captured) -> list[str]:
    return [query["sql"] for query in captured if query["sql"].startswith('SELECT "membership_worker"."id" AS "pk"')]


@pytest.mark.parametrize("estimate", ["low", "high"])
def test_a_counted_list_reads_its_ids_whole_and_cuts_the_page(client, tree, chaoyang_officer, monkeypatch, estimate):
    # With a LIMIT of a page, PostgreSQL walked the ordering index past every row for a search's
    # few matches (issue 13): a list counted to the end (at most COUNT_CAP rows) is read whole.
    monkeypatch.setattr(WorkerAdmin, "list_per_page", 3)
    if estimate == "high":  # estimated over the cap, counted under it
        monkeypatch.setattr(admin_scoped, "_planner_rows", lambda queryset: admin_scoped.COUNT_CAP + 1)
    _workers(tree, 8)
    client.force_login(chaoyang_officer)
    url = reverse("admin:membership_worker_changelist")
    everyone = [worker.pk for worker in client.get(url, {"all": ""}).context["cl"].result_list]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"p": "2"})
    changelist = response.context["cl"]
    assert changelist.result_count == 8
    assert [worker.pk for worker in changelist.result_list] == everyone[3:6]
    ids_queries = _ids_queries(captured)
    if estimate == "low":  # the ids counted the list: no count, no second read
        assert [query for query in captured if "COUNT(" in query["sql"].upper()] == []
        assert len(ids_queries) == 1 and f"LIMIT {admin_scoped.COUNT_CAP + 1}" in ids_queries[0]
    else:
        assert len(ids_queries) == 1 and "LIMIT" not in ids_queries[0]


def test_a_list_over_the_cap_reads_only_its_page_of_ids(client, tree, chaoyang_officer, monkeypatch):
    monkeypatch.setattr(admin_scoped, "COUNT_CAP", 5)
    monkeypatch.setattr(WorkerAdmin, "list_per_page", 3)
    _workers(tree, 8)
    client.force_login(chaoyang_officer)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("admin:membership_worker_changelist"), {"p": "2"})
    assert "LIMIT 3 OFFSET 3" in _ids_queries(captured)[-1]


def test_a_lists_editable_form_builds_only_its_editable_columns(client, tree, chaoyang_officer, monkeypatch):
    """Issue 13: the enrolment list's form edits hours and score; Django built a field for every
    column, scoping each foreign key's choices, on every page."""
    from courses.models import Enrolment
    from tests.factories import IN_UNIT

    IN_UNIT[Enrolment](tree["chaoyang_enterprise"])
    scoped = []
    original = admin_scoped.ScopedAdmin._scope_choices
    monkeypatch.setattr(admin_scoped.ScopedAdmin, "_scope_choices",
                        lambda self, formfield, db_field, request: scoped.append(db_field.name)
                        or original(self, formfield, db_field, request))
    client.force_login(chaoyang_officer)
    response = client.get(reverse("admin:courses_enrolment_changelist"))
    assert response.status_code == 200
    formset = response.context["cl"].formset
    assert formset is not None and len(formset.forms) == 1
    assert set(formset.forms[0].fields) == {"id", "attended_hours", "score"}
    assert scoped == []
