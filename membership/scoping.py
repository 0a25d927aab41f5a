"""MEM-2: the one place that decides which rows a user may see or change.

A scoped model names its owners: ORM paths to a Unit ("" for a model that carries the unit
tree's ``path`` itself, like Unit), each allowing view or view and change, and optionally
"assigned to me" rules: ORM paths to a User (a course review's reviewer) with what they allow.

* ``SCOPE_FIELD = "unit"`` is shorthand for one owner allowed to view and change.
* ``SCOPE = Scope(owners=(...), assigned=(...))`` declares several. A fact shared by two units (a
  海淀 class with a 朝阳 worker's enrolment) is seen by both; a third unit sees nothing.

"This user's rows" is one query: the owners' filters ORed, each an ``<owner>__in`` against the
user's subtree of units (the FK column's index, then the materialised path's), so no owner adds
duplicate rows (an owner through a worker is tested in one of two SQL forms, see
:func:`owners_probed`: the same rows). The admin, exports, uploads, commands and the API all call :func:`visible_to`
and :func:`changeable_by`; nothing else filters by unit on its own. A user without a unit sees
no unit's rows (fail closed) and only what is assigned to them; a superuser sees everything.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import BooleanField, Expression, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.lookups import In

from .models import Unit

# Group names are data that staff read in the admin, so they are Chinese.
MUNICIPAL_GROUP = "市总工会工作人员"
LEVEL1_GROUP = "一级单位工作人员"
LEVEL2_GROUP = "二级单位工作人员"
LEADERSHIP_GROUP = "领导小组（只读）"


@dataclass(frozen=True)
class Owner:
    """A unit that owns the rows: ``path`` leads to a Unit ("" when the model has the tree's own
    ``path``). ``change=False`` lets the unit see the rows but not change or delete them."""

    path: str
    change: bool = True


@dataclass(frozen=True)
class Assigned:
    """A user the rows are assigned to, wherever their unit lies: ``path`` leads to a User."""

    path: str
    change: bool = False


@dataclass(frozen=True)
class Scope:
    owners: tuple[Owner, ...]
    assigned: tuple[Assigned, ...] = ()


class NotScoped(LookupError):
    """The model declares no scope: it is global reference data, not unit data."""


def model_scope(model: type[models.Model]) -> Scope:
    declared = getattr(model, "SCOPE", None)
    if declared is not None:
        return declared
    try:
        return Scope(owners=(Owner(model.SCOPE_FIELD),))
    except AttributeError:
        raise NotScoped(model._meta.label) from None


def is_scoped(model: type[models.Model]) -> bool:
    return getattr(model, "SCOPE", None) is not None or hasattr(model, "SCOPE_FIELD")


def user_root_path(user) -> str | None:
    """The path prefix of the user's subtree, "" for everything, None for nothing."""
    if not _is_live(user):
        return None
    if user.is_superuser:
        return ""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return None
    cached = getattr(user, "_scope_path", None)
    if cached is None:
        # A user read with their unit (the API's token look-up joins it) costs no query here.
        if get_user_model()._meta.get_field("unit").is_cached(user):
            cached = user.unit.path
        else:
            cached = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
        user._scope_path = cached
    return cached


def _is_live(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _multivalued(model: type[models.Model], path: str) -> bool:
    """Whether following ``path`` from ``model`` crosses a to-many relation (and so a join on it
    would repeat rows)."""
    for name in path.split("__") if path else ():
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def _condition(model: type[models.Model], lookup: str, value) -> Q:
    path = lookup.rsplit("__", 1)[0]
    if _multivalued(model, path):
        return Q(pk__in=model._default_manager.filter(**{lookup: value}).values("pk"))
    return Q(**{lookup: value})


def _owner_condition(model: type[models.Model], path: str, subtree) -> Q:
    """The rows whose owner at ``path`` is one of the ``subtree`` units. An owner reached through
    a foreign key (a class's ``course_class__unit``) is matched as ``course_class_id IN (the
    subtree's classes)``, not through a join: a join ORed with the row's own ``unit_id`` test
    left PostgreSQL only a scan of every row (issue 13), while the subquery is answered from the
    related table's index and the list's own ordering index stays usable. A worker's unit
    (``worker__unit``, see :func:`_probed`) is read for each row instead. The rows are the same
    either way: a NULL key matches neither."""
    if _multivalued(model, path):
        return Q(pk__in=model._default_manager.filter(**{f"{path}__in": subtree}).values("pk"))
    head, _, rest = path.partition("__")
    if not rest:
        return Q(**{f"{path}__in": subtree})
    related = model._meta.get_field(head).related_model
    gathered = related._base_manager.filter(_owner_condition(related, rest, subtree)).values("pk")
    if _probed(related, rest):
        # (SELECT unit_id FROM membership_worker WHERE id = worker_id) IN (the subtree's units)
        owner = Subquery(related._base_manager.filter(pk=OuterRef(head)).order_by().values(rest))
        # Both subqueries unordered: a lookup built here keeps a queryset's default ordering (the
        # filter() path drops it), and ``ORDER BY id`` over a district's 200,000 gathered workers
        # was a sort and a parallel Gather Merge in every deep page's statement, ~30% of the
        # 朝阳 training records' ?p=50 SQL (EXPLAIN ANALYZE at 5,000,000 workers, issue 13).
        return Q(_OwnerIn(In(owner, subtree.order_by()),
                          In(F(model._meta.get_field(head).attname), gathered.order_by())))
    return Q(**{f"{head}__in": gathered})


# Whether statements compiled now read a row's worker for each row (see _OwnerIn).
_probing_owners: ContextVar[bool] = ContextVar("probing_owners", default=False)


@contextmanager
def owners_probed():
    """Statements compiled inside read each row's owner through a model with
    ``SCOPE_OWNER_PROBED`` (the workers) row by row: for statements that test few rows, a list's
    first pages (a walk of a few hundred rows along its ordering index) and a search's matches
    (a few thousand rows found by index). The same rows as outside; only the plan differs."""
    token = _probing_owners.set(True)
    try:
        yield
    finally:
        _probing_owners.reset(token)


class _OwnerIn(Expression):
    """A row's owner through a worker is in the subtree, in one of two forms of the same test,
    chosen as the statement is compiled (issue 13): ``probe`` reads the row's worker's unit (a
    primary-key probe per row tested), ``gather`` matches ``worker_id`` against every worker of
    the subtree, hashed once per statement. A district's 200,000 workers cost 100-400 ms to gather,
    most of a 朝阳 list's first page or search; a deep page (?p=50 walks 60,000 rows for its 2,500)
    or an export of every row tests too many rows to probe each, and gathers."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, probe, gather):
        super().__init__()
        self.probe, self.gather = probe, gather

    def get_source_expressions(self):
        return [self.probe, self.gather]

    def set_source_expressions(self, expressions):
        self.probe, self.gather = expressions

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self.probe if _probing_owners.get() else self.gather)


def _probed(related: type[models.Model], rest: str) -> bool:
    """Whether a row's owner through ``related`` is read for each row (a primary-key probe of the
    related row, its unit then tested against the subtree's few thousand units) rather than matched
    against every related row of the subtree: so for a model that declares
    ``SCOPE_OWNER_PROBED`` (the workers) when the owner is that model's own unit. A district holds
    200,000 workers; hashing their ids cost 100-400 ms of every list of their records for 朝阳,
    while a page walks a few hundred rows and a search a few thousand (issue 13)."""
    return getattr(related, "SCOPE_OWNER_PROBED", False) and rest == getattr(related, "SCOPE_FIELD", None)


def _always_owned(model: type[models.Model], path: str) -> bool:
    """Whether every row has a unit at ``path`` (a chain of required foreign keys)."""
    for name in path.split("__") if path else ():
        field = model._meta.get_field(name)
        if not (field.many_to_one or field.one_to_one) or not field.concrete or field.null:
            return False
        model = field.related_model
    return True


def _whole_tree(user, root: str) -> bool:
    """Whether the user's subtree is every unit: their unit is the tree's only root (municipal
    staff). Kept on the user object for the request, like their path."""
    if len(root) != Unit.steplen:
        return False
    cached = getattr(user, "_scope_whole_tree", None)
    if cached is None:
        # The tree's first and last paths in order both lie under ``root`` exactly when every
        # path does (a root's subtree is one run of paths): two probes of the path index, where
        # asking for other units of depth 1 read the whole unit table (105,000 units at city
        # scale, 50-100 ms of every municipal list, issue 13).
        ends = Unit.objects.aggregate(first=Min("path"), last=Max("path"))
        cached = all(path is not None and path.startswith(root) for path in ends.values())
        user._scope_whole_tree = cached
    return cached


def _filter(queryset: models.QuerySet, user, *, change: bool) -> models.QuerySet:
    if not _is_live(user):
        return queryset.none()
    root = user_root_path(user)
    if root == "":
        return queryset
    model = queryset.model
    scope = model_scope(model)
    owners = [owner for owner in scope.owners if owner.change or not change]
    if root is not None and any(_always_owned(model, owner.path) for owner in owners) and _whole_tree(user, root):
        # Every row has an owner among all the units: the test would hold for every row, and at
        # city scale it cost a hashed look-up of millions of ids per list (issue 13).
        return queryset
    condition = Q(pk__in=[])
    if root is not None:
        subtree = Unit.objects.filter(path__startswith=root).values("pk")
        for owner in owners:
            if owner.path:
                condition |= _owner_condition(model, owner.path, subtree)
            else:
                condition |= Q(path__startswith=root)
    for rule in scope.assigned:
        if change and not rule.change:
            continue
        condition |= _condition(model, rule.path, user.pk)
    return queryset.filter(condition)


def visible_to(queryset: models.QuerySet, user) -> models.QuerySet:
    """The rows of ``queryset`` that one of their owners in the user's subtree, or an assignment
    to the user, lets the user see."""
    return _filter(queryset, user, change=False)


def changeable_by(queryset: models.QuerySet, user) -> models.QuerySet:
    """The rows of ``queryset`` the user may change or delete: those of an owner or assignment
    that allows change. A unit that only sees a row (a worker's new unit, for the facts of their
    old unit's time) gets a read-only page."""
    return _filter(queryset, user, change=True)


def visibility_key(user) -> tuple:
    """Everything :func:`visible_to` and :func:`changeable_by` decide ``user``'s rows by: for the
    same model and queryset, equal keys give the same filter, so a statement compiled for one
    request may serve another with the same key (api/statements.py). The account itself is part of
    it (assignments name it), and whether it is live (an inactive account sees nothing); so are its
    subtree's path — None for no unit, "" for everything — and whether that subtree is the whole
    tree, which a second top-level unit changes."""
    root = user_root_path(user)
    return (getattr(user, "pk", None), _is_live(user), root, _whole_tree(user, root) if root else None)


def unit_in_scope(user, unit: Unit | None) -> bool:
    root = user_root_path(user)
    if root is None or unit is None:
        return False
    return unit.path.startswith(root)


def path_checker(user):
    """A fast predicate for many paths (uploads check every row)."""
    root = user_root_path(user)
    if root is None:
        return lambda path: False
    return lambda path: path.startswith(root)


def is_municipal(user) -> bool:
    """Municipal staff work city-wide: their unit is the root of the tree."""
    root = user_root_path(user)
    return root is not None and len(root) <= Unit.steplen
