"""IND-PROPOSAL-ADOPTION and IND-PROPOSAL-IMPLEMENTATION (issue 11), INN-2: adoption and
implementation rates per unit (its subtree) and year, from the proposals' states now.

For a unit U and a year Y (the year of 提出日期, never a step's date):
  adoption       = proposals at 已采纳 or beyond / proposals decided (未采纳, or 已采纳 and beyond)
  implementation = proposals at 已实施 or 已奖励 / proposals at 已采纳 and beyond
A zero denominator gives no rate (None), not an error.

``proposal_rate_counts`` is the one function this app's pages and the reporting app's nightly
run call: one set-based statement grouping every proposal under ``root`` by the subtree it lies
in at ``depth`` and by year, in SQL that Django compiles for PostgreSQL and SQLite alike (a
prefix of the materialised path, the year of a date, conditional counts)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear, Substr

from membership.models import Unit

from ..models import ADOPTED_OR_BEYOND, DECIDED, IMPLEMENTED_OR_BEYOND, Proposal


@dataclass(frozen=True)
class ProposalRate:
    unit_path: str
    year: int
    adopted: int  # IND-PROPOSAL-ADOPTION's numerator
    decided: int  # … its denominator
    implemented: int  # IND-PROPOSAL-IMPLEMENTATION's numerator; its denominator is ``adopted``
    submitted: int  # every proposal of the unit and year, whatever its state

    @property
    def adoption_rate(self) -> Decimal | None:
        return _percent(self.adopted, self.decided)

    @property
    def implementation_rate(self) -> Decimal | None:
        return _percent(self.implemented, self.adopted)


def _percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def proposal_rate_counts(*, root: Unit | None = None, depth: int | None = None,
                         years: Iterable[int] | None = None) -> list[ProposalRate]:
    """The counts behind both rates for every (unit, year): the units are ``root``'s subtree
    (the whole city when None) cut at ``depth`` — each unit at that depth stands for its
    subtree, and a proposal of a unit above that depth counts for that unit itself — or, when
    ``depth`` is None, ``root`` alone. One query."""
    root_path = root.path if root is not None else ""
    root_depth = root.depth if root is not None else 1
    depth = depth or (root_depth if root is not None else 1)
    queryset = Proposal.objects.all()
    if root_path:
        queryset = queryset.filter(unit__path__startswith=root_path)
    if years is not None:
        years = sorted(set(years))
        queryset = queryset.filter(submitted_on__year__gte=years[0], submitted_on__year__lte=years[-1])
    rows = (queryset.order_by()
            .annotate(subtree=Substr("unit__path", 1, depth * Unit.steplen), year=ExtractYear("submitted_on"))
            .values("subtree", "year")
            # Counting ``state`` (never null) rather than ids lets PostgreSQL answer from the index
            # (unit, submitted_on, state) alone: a district reads its units' index entries only.
            .annotate(adopted=Count("state", filter=Q(state__in=ADOPTED_OR_BEYOND)),
                      decided=Count("state", filter=Q(state__in=DECIDED)),
                      implemented=Count("state", filter=Q(state__in=IMPLEMENTED_OR_BEYOND)),
                      submitted=Count("state")))
    wanted = set(years) if years is not None else None
    result = [ProposalRate(unit_path=row["subtree"], year=int(row["year"]), adopted=row["adopted"],
                           decided=row["decided"], implemented=row["implemented"], submitted=row["submitted"])
              for row in rows if wanted is None or int(row["year"]) in wanted]
    return sorted(result, key=lambda rate: (rate.unit_path, rate.year))


def proposal_rates_by_unit(*, root: Unit | None = None, years: Iterable[int] | None = None) -> dict:
    """For a staff page: ``root`` (or the city) and each unit directly below it, each with its rates
    per year, from one call of proposal_rate_counts."""
    root = root or Unit.objects.get(depth=1)
    counts = proposal_rate_counts(root=root, depth=root.depth + 1, years=years)
    children = {unit.path: unit for unit in Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1)
                .order_by("path")}
    by_unit: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    for rate in counts:
        for key in {rate.unit_path, root.path}:
            totals = by_unit[key][rate.year]
            totals[0] += rate.adopted
            totals[1] += rate.decided
            totals[2] += rate.implemented
            totals[3] += rate.submitted
    all_years = sorted({rate.year for rate in counts})

    def rates_of(path):
        return [ProposalRate(path, year, *by_unit[path][year]) for year in all_years]

    return {"years": all_years, "root": (root, rates_of(root.path)),
            "children": [(unit, rates_of(path)) for path, unit in children.items() if path in by_unit]}
