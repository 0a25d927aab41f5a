"""INN-6 the honours ladder: who holds which rung on a day, who is therefore eligible for the next
rung, and what stands beside each candidate (achievements, awards, and — through
``ladder_evidence_register`` — other apps' records: the talent app's certificates, adopted
proposals). ``is_model_worker`` is the one answer to "is this worker a model worker" (TAL-4 reads it)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from membership import scoping

from ..models import Achievement, AchievementMember, CompetitionEntry, ContestEntry, Honour, Rung

# 五(二)3: each step of a ladder is one rung or a choice of rungs; holding any rung of a step makes
# a holder eligible for the next step.
INDIVIDUAL_LADDER: tuple[tuple[str, ...], ...] = (
    (Rung.INNOVATION_STAR,),
    (Rung.CHIEF_EMPLOYEE, Rung.STUDIO_LEADER),
    (Rung.LABOUR_MEDAL,),
    (Rung.MODEL_WORKER,),
)
COLLECTIVE_LADDER: tuple[tuple[str, ...], ...] = ((Rung.PIONEER_TEAM,), (Rung.LABOUR_AWARD,))


def held_on(day: dt.date) -> Q:
    """Honours in force on ``day``: awarded on or before it and not revoked by then."""
    return Q(awarded_on__lte=day) & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))


def is_model_worker(worker, day: dt.date | None = None) -> bool:
    """INN-6, TAL-4: whether ``worker`` holds 北京市劳动模范 on ``day`` (today by default)."""
    day = day or timezone.localdate()
    worker_id = getattr(worker, "pk", worker)
    return Honour.objects.filter(held_on(day), rung=Rung.MODEL_WORKER, worker_id=worker_id).exists()


def honours_visible(user) -> QuerySet:
    return scoping.visible_to(Honour.objects.all(), user)


# Other apps add what they know about a candidate: register(key, label, provider) where
# provider(worker_ids, user) -> {worker_id: [one line per record]} reads within the user's scope.
# The talent app registers skill certificates and the proposals module adopted proposals (issue 10)
# from their AppConfig.ready(); innovation registers achievements and awards below.
EvidenceProvider = Callable[[list[int], object], dict[int, list[str]]]
_EVIDENCE: dict[str, tuple[object, EvidenceProvider]] = {}


def ladder_evidence_register(key: str, label, provider: EvidenceProvider) -> None:
    _EVIDENCE[key] = (label, provider)


def ladder_evidence_columns() -> list[tuple[str, object]]:
    return [(key, label) for key, (label, _provider) in _EVIDENCE.items()]


def _achievements(worker_ids: list[int], user) -> dict[int, list[str]]:
    found = defaultdict(list)
    visible = scoping.visible_to(Achievement.objects.all(), user).values("pk")
    for worker_id, year, title, grade in (AchievementMember.objects
                                          .filter(worker_id__in=worker_ids, achievement__in=visible)
                                          .order_by("-achievement__year", "achievement__code")
                                          .values_list("worker_id", "achievement__year", "achievement__title",
                                                       "achievement__grade")):
        label = dict(Achievement._meta.get_field("grade").flatchoices).get(grade, "") if grade else ""
        found[worker_id].append(f"{year} {title}" + (f"（{label}）" if label else ""))
    return found


def _awards(worker_ids: list[int], user) -> dict[int, list[str]]:
    found = defaultdict(list)
    entries = scoping.visible_to(ContestEntry.objects.exclude(award=""), user).filter(workers__in=worker_ids)
    for entry in entries.select_related("contest").prefetch_related("workers"):
        for worker in entry.workers.all():
            if worker.pk in worker_ids:
                found[worker.pk].append(f"{entry.contest.title} · {entry.get_award_display()}")
    return found


ladder_evidence_register("achievements", _("Innovation achievements"), _achievements)
ladder_evidence_register("awards", _("Contest awards"), _awards)


@dataclass
class Candidate:
    """One holder of a rung eligible for the next: a worker, or a team of a unit."""

    target: str  # the rungs the candidate may be put forward for, as text
    name: str
    unit: str
    id_number_masked: str = ""
    worker_id: int | None = None
    team_key: tuple | None = None  # (unit id, team name) of a collective
    held: list[str] = field(default_factory=list)  # "rung（date）"
    evidence: dict[str, list[str]] = field(default_factory=dict)
    # The evidence in the order of ladder_evidence_columns(), for a table row.
    evidence_cells: list[list[str]] = field(default_factory=list)


@dataclass
class LadderStep:
    target: str
    below: str
    collective: bool
    candidates: list[Candidate]


def _names(rungs) -> str:
    labels = dict(Rung.choices)
    return " / ".join(str(labels[rung]) for rung in rungs)


def honours_ladder(*, user, day: dt.date | None = None, q: str = "") -> list[LadderStep]:
    """INN-6: for each rung above the first, the holders (in the user's scope, on ``day``) of the
    rung below who hold neither it nor any rung above it. A fixed number of queries."""
    day = day or timezone.localdate()
    honours = list(honours_visible(user).filter(held_on(day)).select_related("worker", "unit")
                   .order_by("awarded_on", "id"))
    if q:
        honours = [h for h in honours if q in (h.worker.name if h.worker_id else h.team_name) or q in h.unit.name]
    individual, collective = defaultdict(list), defaultdict(list)
    for honour in honours:
        if honour.worker_id:
            individual[honour.worker_id].append(honour)
        else:
            collective[(honour.unit_id, honour.team_name)].append(honour)
    steps = _steps(INDIVIDUAL_LADDER, individual, collective=False) + _steps(COLLECTIVE_LADDER, collective,
                                                                           collective=True)
    worker_ids = sorted({c.worker_id for step in steps for c in step.candidates if c.worker_id})
    if worker_ids:
        for key, (_label, provider) in _EVIDENCE.items():
            found = provider(worker_ids, user)
            for step in steps:
                for candidate in step.candidates:
                    if candidate.worker_id:
                        candidate.evidence[key] = found.get(candidate.worker_id, [])
    _team_results(steps, user)
    keys = [key for key, _label in ladder_evidence_columns()]
    for step in steps:
        for candidate in step.candidates:
            candidate.evidence_cells = [candidate.evidence.get(key, []) for key in keys]
    return steps


def _steps(ladder, holders: dict, *, collective: bool) -> list[LadderStep]:
    position = {rung: index for index, step in enumerate(ladder) for rung in step}
    steps = [LadderStep(target=_names(ladder[index]), below=_names(ladder[index - 1]), collective=collective,
                        candidates=[]) for index in range(1, len(ladder))]
    for held in holders.values():
        top = max(position[honour.rung] for honour in held)
        if top + 1 >= len(ladder):
            continue  # the top of the ladder: nothing further
        first = held[0]
        candidate = Candidate(
            target=steps[top].target, name=first.worker.name if first.worker_id else first.team_name,
            unit=str(held[-1].unit.name), worker_id=first.worker_id,
            id_number_masked=first.worker.id_number_masked if first.worker_id else "",
            team_key=None if first.worker_id else (first.unit_id, first.team_name),
            held=[f"{honour.get_rung_display()}（{honour.awarded_on:%Y-%m-%d}）" for honour in held])
        steps[top].candidates.append(candidate)
    for step in steps:
        step.candidates.sort(key=lambda c: (c.unit, c.name))
    return steps


def _team_results(steps: list[LadderStep], user) -> None:
    """A collective candidate's labour-competition results beside it."""
    keys = {c.team_key for step in steps if step.collective for c in step.candidates}
    if not keys:
        return
    found = defaultdict(list)
    for entry in scoping.visible_to(CompetitionEntry.objects.filter(unit_id__in={k[0] for k in keys}), user) \
            .select_related("competition", "unit"):
        team = entry.team_name or entry.unit.name
        if (entry.unit_id, team) in keys:
            found[(entry.unit_id, team)].append(
                f"{entry.competition.title}" + (f" · {entry.result}" if entry.result else "")
                + (f" · {_('rank')} {entry.rank}" if entry.rank else ""))
    for step in steps:
        if step.collective:
            for candidate in step.candidates:
                candidate.evidence["competitions"] = found.get(candidate.team_key, [])


def ladder_rows(steps: list[LadderStep]) -> tuple[list[str], list[list]]:
    """The ladder as a table for the export: ID numbers masked (MEM-4)."""
    evidence = ladder_evidence_columns()
    headers = [_("Eligible for"), _("Holds"), _("Name"), _("ID number"), _("Unit"), _("Honours held"),
               *[str(label) for _key, label in evidence], _("Labour competitions")]
    rows = []
    for step in steps:
        for c in step.candidates:
            rows.append([step.target, step.below, c.name, c.id_number_masked, c.unit, "；".join(c.held),
                         *["；".join(c.evidence.get(key, [])) for key, _label in evidence],
                         "；".join(c.evidence.get("competitions", []))])
    return headers, rows
