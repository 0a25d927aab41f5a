"""INN-2: reads of proposals for the public board, a worker's own page and staff pages, each with
the related rows it shows fetched in a fixed number of queries."""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language

from membership.models import Unit, Worker

from ..models import (
    ADOPTED_OR_BEYOND,
    NAMES_SEPARATOR,
    PUBLISHED_STEP_FIELDS,
    Proposal,
    ProposalAuthor,
    ProposalRound,
    ProposalState,
    ProposalStep,
    state_path,
)
from ..models.proposals import Category
from . import board_cache

BOARD_PAGE_SIZE = 20


@dataclass
class BoardPage:
    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def board_page_html(*, build: Callable[[], str], language: str, unit_code: str, round_id: int | None,
                    year: int | None, state: str | None, page: int) -> str:
    """INN-2 公示: the board's page (below the site's frame) as ``build`` renders it, kept in the cache
    under the board's version, which services.board_changed renews after every change the board
    shows: never stale, never another filter's page (see board_cache)."""
    return board_cache.cached_page(build=build, language=language, unit_code=unit_code, round_id=round_id, year=year,
                                   state=state, page=page)


def board_unit(*, code: str) -> Unit | None:
    """The unit a board's address names by its code, or None."""
    return Unit.objects.filter(code=code).only("id", "code", "name", "path", "depth").first()


def board_round(*, round_id) -> ProposalRound | None:
    return ProposalRound.objects.filter(pk=round_id).only("id", "name").first()


def board_units() -> QuerySet[Unit]:
    """The units a visitor may pick on the board: the city's level-1 units."""
    return Unit.objects.filter(depth=2).order_by("path").only("id", "code", "name", "path")


def board_rounds(*, unit: Unit | None) -> QuerySet[ProposalRound]:
    """The review rounds a visitor may pick once they have picked a unit: those of its subtree."""
    if unit is None:
        return ProposalRound.objects.none()
    return (ProposalRound.objects.filter(unit__path__startswith=unit.path).order_by("-starts_on", "-id")
            .only("id", "name"))


_PUBLISHED = [(state, field_name) for state, field_name in PUBLISHED_STEP_FIELDS.items()]


@dataclass
class BoardRow:
    """One proposal as the board shows it: the submitters' names and nothing else about them."""

    id: int
    code: str
    title: str
    category: str
    state: str
    submitted_on: object
    measured_benefit: object
    reward_amount: object
    reward_material: str
    reward_honour: str
    unit_name: str
    round_name: str | None
    submitter_names: str
    adopted_on: object
    project_on: object
    implemented_on: object
    rewarded_on: object

    @property
    def category_label(self) -> str:
        return Category(self.category).label

    @property
    def state_label(self) -> str:
        return ProposalState(self.state).label

    @property
    def submitters(self) -> list[str]:
        return self.submitter_names.split(NAMES_SEPARATOR) if self.submitter_names else []

    @property
    def published_steps(self) -> list[tuple[str, str]]:
        """Adoption, project, implementation and reward as far as the proposal got, each with its
        day when known (an uploaded historic step has none)."""
        reached = state_path(self.state)
        language = get_language()
        return [(state, f"{_state_label(state, language)} {getattr(self, name).isoformat() if getattr(self, name) else ''}"
                 .strip()) for state, name in _PUBLISHED if state in reached]


@functools.lru_cache(maxsize=64)
def _state_label(state: str, language: str) -> str:
    """A state's name in a language, translated once (a board page asks for up to 80 of them)."""
    return str(ProposalState(state).label)


_BOARD_COLUMNS = ("id", "code", "title", "category", "state", "submitted_on", "measured_benefit", "reward_amount",
                  "reward_material", "reward_honour", "unit__name", "review_round__name", "submitter_names",
                  *PUBLISHED_STEP_FIELDS.values())


def disclosure_board(*, unit: Unit | None = None, review_round: ProposalRound | None = None, year: int | None = None,
                     state: str | None = None, page: int = 1) -> BoardPage:
    """INN-2 公示: proposals adopted, made projects, implemented and rewarded, newest first, with the
    names of their submitters and nothing else about them. Pages are fetched one row beyond their
    size (no COUNT over the city's proposals). One query of plain rows whatever the page (and one
    for a unit's subtree): the board is the busiest public page, so the names and step days it shows are kept on the
    proposal by the services (see Proposal.submitter_names)."""
    states = (state,) if state in ADOPTED_OR_BEYOND else tuple(ADOPTED_OR_BEYOND)
    # The subtree's units as a list, not a join on their paths: PostgreSQL then knows how many
    # rows each unit holds, and reads a small unit's newest rows from its own index
    # (proposal_board_unit_newest) instead of walking the city's until 21 of them turn up.
    unit_ids = (tuple(Unit.objects.filter(path__startswith=unit.path).order_by("id").values_list("id", flat=True))
                if unit is not None else None)
    start = (page - 1) * BOARD_PAGE_SIZE
    round_id = review_round.pk if review_round is not None else None
    if connection.vendor == "postgresql":
        # Compiling the queryset took as long as PostgreSQL's answer: the SQL is compiled once per
        # filter (see _board_sql) and its rows read as values_list would (no converters on PostgreSQL
        # for these columns).
        sql, params = _board_sql(states, unit_ids, round_id, year, start)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
    else:
        found = list(_board_queryset(states, unit_ids, round_id, year, start))
    rows = [BoardRow(*values) for values in found]
    return BoardPage(rows=rows[:BOARD_PAGE_SIZE], number=page, has_next=len(rows) > BOARD_PAGE_SIZE)


def _board_queryset(states: tuple, unit_ids: tuple | None, round_id: int | None, year: int | None, start: int):
    queryset = Proposal.objects.filter(state__in=states)
    if unit_ids is not None:
        queryset = queryset.filter(unit_id__in=unit_ids)
    if round_id is not None:
        queryset = queryset.filter(review_round_id=round_id)
    if year is not None:
        queryset = queryset.filter(submitted_on__gte=f"{year}-01-01", submitted_on__lte=f"{year}-12-31")
    return (queryset.order_by("-submitted_on", "-id")
            .values_list(*_BOARD_COLUMNS)[start:start + BOARD_PAGE_SIZE + 1])


@functools.lru_cache(maxsize=256)
def _board_sql(states: tuple, unit_ids: tuple | None, round_id: int | None, year: int | None,
               start: int) -> tuple[str, tuple]:
    return _board_queryset(states, unit_ids, round_id, year, start).query.sql_with_params()


def worker_proposals(*, worker: Worker) -> QuerySet[Proposal]:
    """A worker's own proposals, as submitter or co-submitter, with their steps and authors."""
    return (Proposal.objects.filter(pk__in=ProposalAuthor.objects.filter(worker=worker).values("proposal_id"))
            .select_related("unit", "review_round").order_by("-submitted_on", "-id")
            .prefetch_related(Prefetch("authors", ProposalAuthor.objects.select_related("worker").order_by("-is_lead", "id")),
                              Prefetch("steps", ProposalStep.objects.order_by("id"))))


def coworkers(*, worker: Worker, name: str, limit: int = 10) -> QuerySet[Worker]:
    """INN-2: co-submitters are found by name within the submitter's unit; only the name and
    post are shown."""
    name = name.strip()
    if not name or worker.unit_id is None:
        return Worker.objects.none()
    return (Worker.objects.filter(unit_id=worker.unit_id, name__contains=name).exclude(pk=worker.pk)
            .order_by("name", "id").only("id", "name", "post")[:limit])
