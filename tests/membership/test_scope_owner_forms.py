"""Issue 13: a row's owner through its worker (``worker__unit``) is tested in one of two forms —
each row's worker read (scoping.owners_probed), or every worker of the subtree gathered — with
the same rows either way, and a district's list reads its first page and its searches the first
way (gathering 朝阳's 200,000 workers was most of those pages at city scale)."""
from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Enrolment, TrainingRecord
from membership import scoping
from membership.models import Worker
from tests.factories import IN_UNIT, WorkerFactory, unit_create

pytestmark = pytest.mark.django_db

def _probed_heads(model) -> list[str]:
    """The foreign keys through which ``model``'s owner is a worker's unit."""
    heads = []
    for owner in scoping.model_scope(model).owners:
        head, _, rest = owner.path.partition("__")
        if rest and not scoping._multivalued(model, owner.path) and scoping._probed(
                model._meta.get_field(head).related_model, rest):
            heads.append(head)
    return heads


PROBED_MODELS = [model for model in apps.get_models() if scoping.is_scoped(model) and _probed_heads(model)]


def _rows(model, user, *, probed: bool, change: bool = False) -> set[int]:
    choose = scoping.changeable_by if change else scoping.visible_to
    queryset = choose(model._default_manager.all(), user)
    if not probed:
        return set(queryset.values_list("pk", flat=True))
    with scoping.owners_probed():
        return set(queryset.values_list("pk", flat=True))


def test_the_records_of_workers_are_among_the_probed_models():
    assert {TrainingRecord, Enrolment} <= set(PROBED_MODELS)


@pytest.mark.parametrize("model", PROBED_MODELS, ids=lambda model: model._meta.label)
def test_both_forms_of_a_workers_owner_give_the_same_rows(tree, chaoyang_officer, haidian_officer, model):
    """Rows of each district, and a 海淀 row whose worker has since moved to 朝阳 (the worker's
    new unit sees it; where the row keeps the unit of its time, 海淀 keeps it too)."""
    factory = IN_UNIT[model]
    factory(tree["chaoyang_enterprise"])
    factory(tree["haidian_enterprise"])
    moved = factory(unit_create(tree["haidian"], "海淀另一家工会"))
    worker_id = next(filter(None, (getattr(moved, f"{head}_id") for head in _probed_heads(model))), None)
    Worker.objects.filter(pk=worker_id).update(unit=tree["chaoyang_enterprise"])
    for user in (chaoyang_officer, haidian_officer):
        for change in (False, True):
            assert _rows(model, user, probed=True, change=change) == _rows(model, user, probed=False, change=change)
    if worker_id is not None:
        assert moved.pk in _rows(model, chaoyang_officer, probed=True)


def _page_statements(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured if 'FROM "courses_trainingrecord"' in query["sql"]]


def test_a_districts_first_page_and_search_read_each_rows_worker(client, tree, chaoyang_officer):
    worker = WorkerFactory(name="张伟", unit=tree["chaoyang_enterprise"])
    IN_UNIT[TrainingRecord](tree["chaoyang_enterprise"])
    record = IN_UNIT[TrainingRecord](tree["haidian_enterprise"])
    TrainingRecord.objects.filter(pk=record.pk).update(worker=worker)  # a 海淀 fact of a 朝阳 worker
    client.force_login(chaoyang_officer)
    url = reverse("admin:courses_trainingrecord_changelist")
    for address in (url, url + "?q=张伟"):
        ids = [sql for sql in _page_statements(client, address)
               if sql.startswith('SELECT "courses_trainingrecord"."id" AS "pk"')]
        assert ids and all('WHERE U0."id" = ("courses_trainingrecord"."worker_id")' in sql for sql in ids), ids
        response = client.get(address)
        assert record.pk in {row.pk for row in response.context["cl"].result_list}


@pytest.mark.parametrize("model", PROBED_MODELS, ids=lambda model: model._meta.label)
def test_the_gathered_workers_are_not_sorted(chaoyang_officer, model):
    """The gathered form matches the row's worker against the subtree's workers, a set: sorting
    them (the workers' default ordering, which a lookup built outside filter() keeps) was a sort
    and a parallel Gather Merge of a district's 200,000 workers in every deep page's statement,
    ~30% of the 朝阳 training records' ?p=50 SQL at 5,000,000 workers (issue 13)."""
    sql = str(scoping.visible_to(model._default_manager.order_by(), chaoyang_officer).query)
    assert 'FROM "membership_worker"' in sql
    assert "ORDER BY" not in sql, sql
