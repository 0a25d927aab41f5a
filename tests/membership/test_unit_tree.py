"""Issue 8, MEM-1: the unit tree is browsable as a tree with worker counts for each unit's whole
subtree (set-based, a fixed number of queries), and the worker list filters by a unit and
everything under it, offering only units in the viewer's scope and refusing others."""
from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from membership.admin import UnitSubtreeFilter
from membership.selectors import unit_tree
from tests.factories import WorkerFactory, unit_create


def _find(node, unit):
    if node.unit.pk == unit.pk:
        return node
    for child in node.children:
        found = _find(child, unit)
        if found is not None:
            return found
    return None


def test_the_tree_counts_workers_of_each_whole_subtree(tree, chaoyang_officer):
    enterprise = tree["chaoyang_enterprise"]
    branch = unit_create(enterprise, "北京朝阳精密机械有限公司一车间工会")
    deeper = unit_create(branch, "一车间班组工会")
    WorkerFactory.create_batch(2, unit=enterprise)
    WorkerFactory.create_batch(3, unit=branch)
    WorkerFactory.create_batch(4, unit=deeper)
    WorkerFactory(unit=tree["chaoyang"])
    WorkerFactory(unit=tree["haidian_enterprise"])
    root = unit_tree(user=chaoyang_officer)
    assert root.unit == tree["chaoyang"] and root.workers == 10
    assert _find(root, enterprise).workers == 9
    # Two levels below the officer's unit: the branch is shown, the level below it opens on its own page.
    shown = _find(root, branch)
    assert shown.workers == 7 and shown.children == [] and shown.has_hidden_children is True
    below = unit_tree(user=chaoyang_officer, root=branch)
    assert below.workers == 7 and [child.workers for child in below.children] == [4]


def test_the_tree_costs_the_same_queries_however_many_units(tree, chaoyang_officer):
    unit_tree(user=chaoyang_officer)
    with CaptureQueriesContext(connection) as few:
        unit_tree(user=chaoyang_officer)
    for number in range(5):
        unit = unit_create(tree["chaoyang"])
        WorkerFactory(unit=unit_create(unit))
    with CaptureQueriesContext(connection) as many:
        root = unit_tree(user=chaoyang_officer)
    assert root.workers == 5
    assert len(many) == len(few)


def test_an_officer_cannot_open_the_tree_of_another_district(client, tree, chaoyang_officer):
    client.force_login(chaoyang_officer)
    page = client.get(reverse("admin:membership_unit_tree"))
    assert page.status_code == 200
    assert tree["chaoyang_enterprise"].name in page.content.decode()
    assert tree["haidian_enterprise"].name not in page.content.decode()
    assert client.get(reverse("admin:membership_unit_tree"), {"root": tree["haidian"].pk}).status_code == 404
    assert unit_tree(user=chaoyang_officer, root=tree["haidian"]) is None


def test_the_tree_page_expands_and_collapses_and_links_the_workers(client, tree, chaoyang_officer):
    WorkerFactory(unit=tree["chaoyang_enterprise"])
    client.force_login(chaoyang_officer)
    html = client.get(reverse("admin:membership_unit_tree")).content.decode()
    assert "<details open><summary>" in html
    assert f'?unit_subtree={tree["chaoyang_enterprise"].pk}' in html
    changelist = client.get(reverse("admin:membership_unit_changelist")).content.decode()
    assert reverse("admin:membership_unit_tree") in changelist


def test_the_worker_list_filters_by_a_unit_and_everything_under_it(client, tree, chaoyang_officer):
    enterprise = tree["chaoyang_enterprise"]
    inside = WorkerFactory(unit=unit_create(enterprise), name="下级职工")
    direct = WorkerFactory(unit=enterprise, name="本级职工")
    WorkerFactory(unit=unit_create(tree["chaoyang"]), name="别家职工")
    client.force_login(chaoyang_officer)
    response = client.get(reverse("admin:membership_worker_changelist"), {"unit_subtree": enterprise.pk})
    assert response.status_code == 200
    assert {worker.pk for worker in response.context["cl"].result_list} == {inside.pk, direct.pk}


def test_the_subtree_filter_offers_only_units_in_scope_and_refuses_others(client, tree, chaoyang_officer):
    WorkerFactory(unit=tree["haidian_enterprise"], name="海淀职工")
    client.force_login(chaoyang_officer)
    response = client.get(reverse("admin:membership_worker_changelist"))
    spec = next(spec for spec in response.context["cl"].filter_specs if isinstance(spec, UnitSubtreeFilter))
    offered = {int(pk) for pk, _name in spec.lookup_choices}
    assert tree["chaoyang"].pk in offered and tree["chaoyang_enterprise"].pk in offered
    assert tree["haidian"].pk not in offered and tree["haidian_enterprise"].pk not in offered
    for value in (tree["haidian"].pk, "x"):
        refused = client.get(reverse("admin:membership_worker_changelist"), {"unit_subtree": value})
        assert refused.status_code == 200
        assert list(refused.context["cl"].result_list) == []
        assert "This unit is not among your units" in refused.content.decode() or "不在" in refused.content.decode()
