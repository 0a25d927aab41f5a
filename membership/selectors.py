"""Reads that other apps may call: membership owns who a worker is."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from . import scoping
from .models import Unit, Worker


def current_worker(request) -> Worker | None:
    """EDU-8: the worker behind the request's log-in, or None for an anonymous visitor or a staff
    account. The one place the public site asks "who is this worker"; every app's pages call it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    # The account's own field: a worker whose record was deleted leaves the account with None.
    return getattr(user, "worker", None)


@dataclass(frozen=True)
class UnitNode:
    """One unit of the browsable tree (MEM-1) with the workers of its whole subtree."""

    unit: Unit
    workers: int
    children: list[UnitNode]
    # Children exist below the depth the page shows: the node links to a tree rooted at it.
    has_hidden_children: bool


# The tree page shows this many levels below its root; a deeper branch opens as its own page,
# so a city of ten thousand units never renders at once.
TREE_LEVELS = 2


def unit_tree(*, user, root: Unit | None = None, levels: int = TREE_LEVELS) -> UnitNode | None:
    """MEM-1: the subtree of ``root`` (the user's own unit by default) that the user may see, to
    ``levels`` levels, each node with the number of workers in its whole subtree. Two queries
    whatever the size: the units, and one GROUP BY on the path prefix at the deepest shown level
    (a deeper unit's workers count for the ancestor shown) whose sums are carried up the tree."""
    visible = scoping.visible_to(Unit.objects.all(), user)
    if root is None:
        root_path = scoping.user_root_path(user)
        if root_path is None:
            return None
        root = visible.filter(path=root_path).first() if root_path else visible.filter(depth=1).order_by("path").first()
        if root is None:
            return None
    elif not visible.filter(pk=root.pk).exists():
        return None
    deepest = root.depth + levels
    units = list(visible.filter(path__startswith=root.path, depth__lte=deepest).select_related("industry")
                 .order_by("path"))
    prefix_length = deepest * Unit.steplen
    counts = dict(scoping.visible_to(Worker.objects.filter(unit__path__startswith=root.path), user)
                  .annotate(prefix=Substr("unit__path", 1, prefix_length)).order_by()
                  .values_list("prefix").annotate(total=Count("id")).values_list("prefix", "total"))
    totals: dict[str, int] = {}
    for prefix, total in counts.items():
        for end in range(len(root.path), len(prefix) + 1, Unit.steplen):
            totals[prefix[:end]] = totals.get(prefix[:end], 0) + total
    nodes: dict[str, UnitNode] = {}
    for unit in units:
        node = UnitNode(unit=unit, workers=totals.get(unit.path, 0), children=[],
                        has_hidden_children=unit.depth == deepest and unit.numchild > 0)
        nodes[unit.path] = node
        parent = nodes.get(unit.path[:-Unit.steplen])
        if parent is not None and unit.path != root.path:
            parent.children.append(node)
    return nodes.get(root.path)


def unit_subtree_choices(*, user) -> QuerySet:
    """The units the worker list offers as "this unit and everything under it": the user's own
    unit and the level below it (a deeper unit is chosen from the tree page)."""
    root_path = scoping.user_root_path(user)
    if root_path is None:
        return Unit.objects.none()
    depth = len(root_path) // Unit.steplen if root_path else 1
    return (scoping.visible_to(Unit.objects.all(), user).filter(depth__lte=depth + 1)
            .only("id", "name", "code", "path", "depth").order_by("path"))


def unit_in_subtree_filter(*, user, unit_id) -> Unit | None:
    """The unit a subtree filter names, if the user may see it; None refuses the filter."""
    try:
        unit_id = int(unit_id)
    except (TypeError, ValueError):
        return None
    return scoping.visible_to(Unit.objects.filter(pk=unit_id), user).first()
