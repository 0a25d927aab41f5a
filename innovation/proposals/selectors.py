"""INN-2: reads of proposals for the public board, a worker's own page and staff pages, each with
the related rows it shows fetched in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from membership.models import Unit, Worker

from ..models import ADOPTED_OR_BEYOND, Proposal, ProposalAuthor, ProposalRound, ProposalStep

BOARD_PAGE_SIZE = 20


@dataclass
class BoardPage:
    rows: list[Proposal]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def board_units() -> QuerySet[Unit]:
    """The units a visitor may pick on the board: the city's level-1 units."""
    return Unit.objects.filter(depth=2).order_by("path").only("id", "code", "name", "path")


def board_rounds(*, unit: Unit | None) -> QuerySet[ProposalRound]:
    rounds = ProposalRound.objects.select_related("unit").order_by("-starts_on", "-id")
    if unit is not None:
        rounds = rounds.filter(unit__path__startswith=unit.path)
    return rounds


def disclosure_board(*, unit: Unit | None = None, review_round: ProposalRound | None = None, year: int | None = None,
                     state: str | None = None, page: int = 1) -> BoardPage:
    """INN-2 公示: proposals adopted, made projects, implemented and rewarded, newest first, with the
    names of their submitters and nothing else about them. Pages are fetched one row beyond their
    size (no COUNT over the city's proposals); three queries whatever the page."""
    queryset = Proposal.objects.filter(state__in=[state] if state in ADOPTED_OR_BEYOND else ADOPTED_OR_BEYOND)
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if review_round is not None:
        queryset = queryset.filter(review_round=review_round)
    if year is not None:
        queryset = queryset.filter(submitted_on__gte=f"{year}-01-01", submitted_on__lte=f"{year}-12-31")
    start = (page - 1) * BOARD_PAGE_SIZE
    rows = list(queryset.order_by("-submitted_on", "-id")
                .select_related("unit", "review_round")
                .only("id", "code", "title", "category", "state", "submitted_on", "measured_benefit", "reward_amount",
                      "reward_material", "reward_honour", "unit__name", "review_round__name")
                .prefetch_related(Prefetch("authors", ProposalAuthor.objects.select_related("worker").only(
                    "id", "proposal_id", "is_lead", "worker__name").order_by("-is_lead", "id")),
                    Prefetch("steps", ProposalStep.objects.only("id", "proposal_id", "state", "on").order_by("id")))
                [start:start + BOARD_PAGE_SIZE + 1])
    return BoardPage(rows=rows[:BOARD_PAGE_SIZE], number=page, has_next=len(rows) > BOARD_PAGE_SIZE)


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
