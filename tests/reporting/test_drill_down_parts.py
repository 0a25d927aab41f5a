"""Issue 11 (Speed): a drill-down into a large subtree computes its per-worker formulas in parts,
each the same statement restricted to a run of the subtree's groups, on connections of their own
reading one snapshot (settings.REPORTING_DRILL_DOWN_CONNECTIONS): the same figures as one statement."""
from __future__ import annotations

import pytest

import core.connections
from membership.models import Unit
from reporting import formulas
from tests.reporting.world import build_world


def _figures(unit, code):
    grouping = formulas.Grouping(len(unit.path) + Unit.steplen, unit.path)
    return sorted((f.group, f.year, f.numerator, f.denominator) for f in formulas.compute(code, grouping, [2011, 2012]))


@pytest.mark.django_db(transaction=True)
def test_the_parts_add_up_to_the_one_statements_figures(tree, settings, monkeypatch):
    build_world(tree)
    chaoyang = Unit.objects.get(pk=tree["chaoyang"].pk)
    monkeypatch.setattr(formulas, "SPLIT_FROM_UNITS", 0)
    shared = []
    real = core.connections.on_connections

    def spy(tasks, work, workers, prepare=None):
        shared.append(list(tasks))
        return real(tasks, work, workers, prepare)

    monkeypatch.setattr(core.connections, "on_connections", spy)
    for code in formulas.PER_WORKER:
        settings.REPORTING_DRILL_DOWN_CONNECTIONS = 1
        alone = _figures(chaoyang, code)
        assert not shared
        settings.REPORTING_DRILL_DOWN_CONNECTIONS = 2
        in_parts = _figures(chaoyang, code)
        assert len(shared.pop()) == 2, code
        assert in_parts == alone and any(row[3] for row in alone), code


@pytest.mark.django_db
def test_the_spans_cut_between_groups_into_runs_of_about_as_many_units(tree, monkeypatch):
    from tests.factories import unit_create

    chaoyang = tree["chaoyang"]
    for _ in range(6):
        unit_create(chaoyang)
    chaoyang.refresh_from_db()
    grouping = formulas.Grouping(len(chaoyang.path) + Unit.steplen, chaoyang.path)
    monkeypatch.setattr(formulas, "SPLIT_FROM_UNITS", 10**6)
    assert formulas._spans(grouping, 2) == [("", "")]
    monkeypatch.setattr(formulas, "SPLIT_FROM_UNITS", 0)
    spans = formulas._spans(grouping, 2)
    assert len(spans) == 2 and spans[0][0] == "" and spans[-1][1] == "" and spans[0][1] == spans[1][0]
    groups = {unit.path[:grouping.length] for unit in Unit.objects.filter(path__startswith=chaoyang.path)}
    assert spans[0][1] in groups  # a cut is a group's first path: no group falls in two parts
    first = [g for g in groups if g < spans[0][1]]
    assert 0 < len(first) < len(groups)
    per_part = [Unit.objects.filter(path__startswith=chaoyang.path, path__lt=spans[0][1]).count(),
                Unit.objects.filter(path__startswith=chaoyang.path, path__gte=spans[0][1]).count()]
    assert abs(per_part[0] - per_part[1]) <= max(per_part) // 2 + 1, per_part
