"""REP-2: what the dashboards read — stored values of complete runs only — and the drill-down
below a level-1 unit: the run's per-unit figures added up where it kept them, else computed on
demand by the same formulas restricted to its subtree."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet

from core.prepared import execute_prepared
from membership import scoping
from membership.models import Unit

from . import formulas
from .models import Indicator, IndicatorValue, Plan, Run, Target
from .models.indicators import describe_target, target_met


def current_plan() -> Plan | None:
    return Plan.objects.filter(is_current=True).order_by("-start_year", "pk").first()


def runs_serving(years: list[int]) -> dict[int, Run]:
    """For each year, the latest complete run that computed it."""
    serving: dict[int, Run] = {}
    for run in Run.objects.filter(status=Run.Status.COMPLETE).order_by("-started_at", "-pk")[:50]:
        for year in range(run.first_year or 0, (run.last_year or -1) + 1):
            serving.setdefault(year, run)
        if all(year in serving for year in years):
            break
    return serving


def dashboard_cache_key(*, user, options: tuple) -> str:
    """REP-2: what the leadership page's body depends on — the stored values of complete runs (the
    last complete run names them: a run that completes changes the key, which is how a finished run
    invalidates the page), the current plan, the viewer's scope (their subtree) and the page's
    options. One small indexed statement and the scope, whatever the number of units, indicators or runs kept."""
    # The last complete run and the current plan in one statement: on a page otherwise served from
    # the cache, each query is a round trip and a compile.
    sql = (f'SELECT (SELECT "id" FROM "{Run._meta.db_table}" WHERE "status" = %s'
           f' ORDER BY "started_at" DESC, "id" DESC LIMIT 1),'
           f' (SELECT "id" FROM "{Plan._meta.db_table}" WHERE "is_current"'
           f' ORDER BY "start_year" DESC, "id" ASC LIMIT 1)')
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Kept prepared (core/prepared.py): one plan for the session, not one a request.
            execute_prepared(cursor, "reporting_dashboard_key", sql, [Run.Status.COMPLETE])
        else:
            cursor.execute(sql, [Run.Status.COMPLETE])
        last, plan = cursor.fetchone()
    scope = scoping.user_root_path(user)
    raw = repr((last, plan, scope, options))
    return "reporting:dashboard:" + hashlib.sha256(raw.encode()).hexdigest()


def last_complete_run() -> Run | None:
    return Run.objects.filter(status=Run.Status.COMPLETE).order_by("-started_at", "-pk").first()


def stored_values(*, plan: Plan, user, units: QuerySet | None = None) -> QuerySet:
    """The values the dashboards show: per year from the run serving it, within the viewer's scope."""
    years = list(IndicatorValue.objects.filter(indicator__plan=plan).order_by().values_list("year", flat=True).distinct())
    serving = runs_serving(years)
    if not serving:
        return IndicatorValue.objects.none()
    condition = Q()
    for year, run in serving.items():
        condition |= Q(run=run, year=year)
    values = IndicatorValue.objects.filter(condition, indicator__plan=plan)
    if units is not None:
        values = values.filter(unit__in=units)
    return scoping.visible_to(values, user).select_related("indicator", "unit").order_by(
        "indicator__position", "indicator__code", "unit__path", "year")


def dashboard_units(user) -> QuerySet:
    """The city and the level-1 units the viewer may see (a district officer: their own district)."""
    return scoping.visible_to(Unit.objects.filter(depth__in=(1, 2)), user).order_by("path")


@dataclass
class ChildFigure:
    unit: Unit
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    target_text: str
    met: bool | None


def children_figures(*, indicator: Indicator, unit: Unit, year: int, user,
                     now: bool = False) -> tuple[list[ChildFigure], Run | None]:
    """The units one level below ``unit`` and the run they come from: for the formulas of which the
    run serving ``year`` kept each unit's figures (formulas.BY_UNIT), those figures added up — the
    run's, as the stored value above them; for the others, where the run kept none, or when asked
    for the figures ``now``, computed now (run None) by the indicator's formula restricted to
    ``unit``'s subtree. A unit's own target applies where it has one; a rate indicator holds every
    unit to the nearest target above it."""
    if not scoping.unit_in_scope(user, unit) and not _sees_city(user):
        return [], None
    grouping = formulas.Grouping(length=len(unit.path) + Unit.steplen, within=unit.path)
    found, source = None, None
    if indicator.formula in formulas.BY_UNIT and not now:
        source = runs_serving([year]).get(year)
        found = formulas.kept_figures(indicator.formula, grouping, year, source.pk) if source else None
        if found is None:
            source = None
    if found is None:
        found = formulas.compute(indicator.formula, grouping, [year])
    by_path = {figure.group: figure for figure in found}
    ratio = formulas.FORMULAS[indicator.formula].ratio
    target = None
    if indicator.measure == Indicator.Measure.PERCENT:
        target = (Target.objects.filter(indicator=indicator, year=year, unit=unit).first()
                  or Target.objects.filter(indicator=indicator, year=year, unit__isnull=True).first())
    children = scoping.visible_to(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1), user)
    result = []
    for child in children.order_by("path"):
        figure = by_path.get(child.path)
        numerator = figure.numerator if figure else Decimal(0)
        denominator = figure.denominator if figure else (Decimal(0) if ratio else None)
        value = figure.value if figure else (None if ratio else Decimal("0.00"))
        comparison, low, high = (target.comparison, target.low, target.high) if target else ("", None, None)
        result.append(ChildFigure(child, numerator, denominator, value, describe_target(comparison, low, high),
                                  target_met(comparison, low, high, value)))
    return result, source


def _sees_city(user) -> bool:
    return scoping.user_root_path(user) == "" or scoping.is_municipal(user)


def visible_unit(*, user, pk) -> Unit | None:
    """A unit the viewer may see, or None."""
    return scoping.visible_to(Unit.objects.all(), user).filter(pk=pk).first()


def visible_funds_return(*, user, pk):
    from .models import FundsReturn

    return scoping.visible_to(FundsReturn.objects.select_related("unit"), user).filter(pk=pk).first()


def units_by_pk(pk) -> QuerySet:
    return Unit.objects.filter(pk=pk)


def stored_value(*, plan, user, unit, indicator, year):
    """The stored value of one indicator, unit and year from the run serving that year, or None."""
    return stored_values(plan=plan, user=user, units=Unit.objects.filter(pk=unit.pk)).filter(
        indicator=indicator, year=year).first()
