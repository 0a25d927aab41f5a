"""Reads that other apps may call: membership owns who a worker is."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import BigIntegerField, BooleanField, Count, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Substr
from django.utils.text import smart_split, unescape_string_literal

from . import scoping
from .models import Unit, Worker, WorkerTransfer


def current_worker(request) -> Worker | None:
    """EDU-8: the worker behind the request's log-in, or None for an anonymous visitor or a staff
    account. The one place the public site asks "who is this worker"; every app's pages call it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    # The account's own field: a worker whose record was deleted leaves the account with None.
    return getattr(user, "worker", None)


def worker_units_on(on: dt.date, workers: QuerySet | None = None) -> QuerySet:
    """MEM-3, issue 11: each worker with ``unit_on_id``, the unit they belonged to on ``on`` (the
    end of the day): the unit they left by the first transfer that took effect after ``on``, or,
    when none did, their current unit. A release nobody has taken in yet moves nobody.

    One correlated look-up per worker on the (worker, effective_on) index; for the whole city on
    many dates, join :func:`unit_on_sql` instead."""
    workers = Worker.objects.all() if workers is None else workers
    left_after = WorkerTransfer.objects.filter(
        worker=OuterRef("pk"), to_unit__isnull=False, effective_on__gt=on,
    ).order_by("effective_on", "id").values("from_unit_id")[:1]
    return workers.annotate(unit_on_id=Coalesce(Subquery(left_after), F("unit_id"), output_field=BigIntegerField()))


def unit_on_sql() -> str:
    """Issue 11 ("a worker by the unit they belonged to on E"), set-based for millions of
    workers: SQL for a derived table ``(worker_id, unit_id)`` with one row per registry worker,
    for the date given as the one parameter %s (E). Plain SQL with a window function, as the
    indicators need it on PostgreSQL and on the demo's SQLite alike. The first transfer of each
    worker taking effect after E names the unit they were in on E; workers without one are in
    their current unit. Reads transfers once through the (worker, effective_on) index."""
    worker = Worker._meta.db_table
    transfer = WorkerTransfer._meta.db_table
    return (
        f'SELECT w."id" AS worker_id, COALESCE(t."from_unit_id", w."unit_id") AS unit_id '
        f'FROM "{worker}" w LEFT JOIN ('
        f'SELECT "worker_id", "from_unit_id", ROW_NUMBER() OVER ('
        f'PARTITION BY "worker_id" ORDER BY "effective_on", "id") AS position '
        f'FROM "{transfer}" WHERE "to_unit_id" IS NOT NULL AND "effective_on" > %s'
        f') t ON t."worker_id" = w."id" AND t.position = 1'
    )


def units_left_after_sql() -> str:
    """:func:`unit_on_sql` from the transfers alone, to join to a scan of the workers that filters
    them otherwise: SQL for a derived table ``(worker_id, unit_id)`` holding, for each worker who
    moved after the date given as the one parameter %s (E), the unit they left by their first
    transfer taking effect after E — the unit they were in on E. A worker with no row was in their
    current unit. Plain SQL with a window function (PostgreSQL and the demo's SQLite)."""
    transfer = WorkerTransfer._meta.db_table
    return (
        f'SELECT worker_id, unit_id FROM ('
        f'SELECT "worker_id" AS worker_id, "from_unit_id" AS unit_id, ROW_NUMBER() OVER ('
        f'PARTITION BY "worker_id" ORDER BY "effective_on", "id") AS position '
        f'FROM "{transfer}" WHERE "to_unit_id" IS NOT NULL AND "effective_on" > %s) moved WHERE position = 1'
    )


def pending_release(worker: Worker) -> WorkerTransfer | None:
    """The release of this worker that waits for a receiving unit, if any."""
    return WorkerTransfer.objects.filter(worker=worker, to_unit__isnull=True).select_related("released_by").first()


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
    counts = dict(scoping.visible_to(Worker.objects.current().filter(unit__path__startswith=root.path), user)
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


# A search naming more units than this (a word every unit name holds) is matched by a join instead.
SEARCH_UNIT_IDS = 500


class _WorkerGramsMatch(Func):
    """``portal_worker_grams(a, b) @> portal_search_grams(term)``: the rows whose two columns (a
    worker's name and post, a unit's name and code) hold every pair of characters of the term
    between them, found by the GIN indexes of migrations 0015 and 0017."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        (name, name_params), (post, post_params), (term, term_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions())
        return (f"portal_worker_grams({name}, {post}) @> portal_search_grams({term})",
                (*name_params, *post_params, *term_params))


def grams_match(first, second, word: str) -> Q:
    """``portal_worker_grams(first, second) @> portal_search_grams(word)`` for another table's
    pairs index over two of its columns (expressions, e.g. F("project"), Value(""))."""
    return Q(_WorkerGramsMatch(first, second, Value(word)))


class _AnyOfIds(Func):
    """``column = ANY('{1,2,…}'::bigint[])``: one array parameter for a list of ids."""

    output_field = BooleanField()

    def __init__(self, column, ids: list[int]):
        super().__init__(column)
        self.ids = ids

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.get_source_expressions()[0])
        return f"{column} = ANY(%s::bigint[])", (*params, "{" + ",".join(str(int(pk)) for pk in self.ids) + "}")


def ids_in(field: str, ids: list[int]) -> Q:
    """``Q(<field>__in=ids)``, on PostgreSQL as one array parameter: a search's few thousand
    worker ids as an IN list were as many parameters, each prepared by Django in every statement
    of the page (the estimate, the ids, the page: 100 ms of Python for 张伟's 4,311 workers) and
    parsed and planned by PostgreSQL one by one (issue 13). The rows are the same."""
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": ids})
    return Q(_AnyOfIds(F(field), ids))


def search_words(term: str) -> list[str]:
    """The words of an admin search term, split and unquoted as the admin's own search does."""
    words = []
    for word in smart_split(term):
        if word[:1] in "\"'" and word[-1:] == word[:1] and len(word) > 1:
            word = unescape_string_literal(word)
        words.append(word)
    return words


# A word naming more workers than this (a single common character) is matched by a join instead.
SEARCH_WORKER_IDS = 20_000


def worker_ids_named(word: str) -> list[int] | None:
    """Issue 13: the ids of the workers whose name holds ``word`` (case-insensitively), found
    through the pairs index of migration 0015, for the lists of a worker's records (training,
    enrolments, the ledger) to find their rows by the worker's id index rather than by a join
    that reads every record; None when more than SEARCH_WORKER_IDS match (then join)."""
    ids = list(Worker.objects.filter(Q(name__icontains=word) & Q(_WorkerGramsMatch(F("name"), F("post"), Value(word))))
               .values_list("pk", flat=True)[:SEARCH_WORKER_IDS + 1])
    return ids if len(ids) <= SEARCH_WORKER_IDS else None


def worker_search(queryset: QuerySet, term: str) -> QuerySet:
    """MEM-2 at city scale (issue 13): the worker list's search, the rows the admin's own search
    over ``name``, ``post``, ``unit__name`` and ``unit__code`` finds (every word in one of them,
    case-insensitively), with an index to find them among millions. The name and post keep their
    icontains test, narrowed first by the character-pair index; the units whose name or code
    matches are looked up first (a small table), so the worker rows come from two indexes
    (PostgreSQL ORs their bitmaps) rather than from a scan of every worker."""
    for word in search_words(term):
        # The units' name and code through the same pairs index (migration 0017).
        units = list(Unit.objects.filter(_WorkerGramsMatch(F("name"), F("code"), Value(word)))
                     .filter(Q(name__icontains=word) | Q(code__icontains=word))
                     .values_list("pk", flat=True)[:SEARCH_UNIT_IDS + 1])
        in_units = (Q(unit_id__in=units) if len(units) <= SEARCH_UNIT_IDS
                    else Q(unit__name__icontains=word) | Q(unit__code__icontains=word))
        by_text = Q(name__icontains=word) | Q(post__icontains=word)
        # The LIKE first: where rows are tested one by one (a unit's few workers) it spares the
        # PL/pgSQL pairs of every row that fails it; the index finds the pairs either way.
        queryset = queryset.filter((by_text & Q(_WorkerGramsMatch(F("name"), F("post"), Value(word)))) | in_units)
    return queryset
