"""INN-2: every write to a proposal. The site's form, the admin's actions and the `proposals`
upload all move a proposal through ``_apply_moves``, which allows only forward moves along the
arrows and records each state passed as a dated step; the database trigger of migration 0002
refuses any other move of ``state`` (a raw UPDATE, a bug here)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.ledger import Earning, credit_entries_record_bulk
from membership import scoping
from membership.models import Worker

from ..models import (
    ADOPTED_OR_BEYOND,
    NAMES_SEPARATOR,
    NEXT_STATES,
    PUBLISHED_STEP_FIELDS,
    Proposal,
    ProposalAssignment,
    ProposalAuthor,
    ProposalRound,
    ProposalState,
    ProposalStep,
    state_path,
    states_between,
)
from ..roles import PROPOSAL_EVALUATOR_GROUP as EVALUATOR_GROUP
from . import board_cache

State = ProposalState


def board_changed() -> None:
    """INN-2 公示: something the disclosure board shows changed (a published step, a proposal's text
    or round, a round, a submitter's or a unit's name). Its cached pages give way once the change
    commits; a change rolled back leaves them, as it leaves the rows. Every write below that
    touches what the board shows ends here."""
    transaction.on_commit(board_cache.bump)


def _code_for(pk: int, on: dt.date) -> str:
    # 建议编号 is unique city-wide: the portal's own numbers carry the year and the row's id, so they
    # never meet an uploaded number (which a unit writes in its own scheme) by accident: JY prefix.
    return f"JY{on.year}{pk:08d}"


def proposal_submit(*, worker: Worker, title: str, category: str, description: str, expected_benefit: str = "",
                    co_submitters: Iterable[Worker] = (), by=None, unit=None, submitted_on: dt.date | None = None,
                    review_round: ProposalRound | None = None) -> Proposal:
    """A worker's proposal from the site (``by`` is their account), or entered by unit staff in the
    admin for a worker of their units. Co-submitters are workers of the submitter's unit."""
    unit = unit or worker.unit
    if by is not None and getattr(by, "worker_id", None) != worker.pk and not scoping.unit_in_scope(by, unit):
        raise PermissionDenied
    co_submitters = [each for each in co_submitters if each.pk != worker.pk]
    strangers = [each.name for each in co_submitters if each.unit_id != worker.unit_id]
    if strangers:
        raise ValidationError(_("Co-submitters are workers of the submitter's unit: %(names)s is not.")
                              % {"names": "、".join(strangers)})
    submitted_on = submitted_on or timezone.localdate()
    proposal = Proposal(code=f"tmp-{timezone.now().timestamp()}-{worker.pk}", title=title.strip(), category=category,
                        description=description.strip(), expected_benefit=expected_benefit.strip(), submitter=worker,
                        unit=unit, submitted_on=submitted_on, state=State.SUBMITTED, review_round=review_round,
                        submitter_names=NAMES_SEPARATOR.join([worker.name, *(each.name for each in co_submitters)])[:300],
                        created_by=by if getattr(by, "pk", None) else None)
    proposal.full_clean(exclude=["code"])
    with transaction.atomic():
        proposal.save()
        proposal.code = _code_for(proposal.pk, submitted_on)
        proposal.save(update_fields=["code"])
        ProposalAuthor.objects.bulk_create([ProposalAuthor(proposal=proposal, worker=worker, is_lead=True)]
                                           + [ProposalAuthor(proposal=proposal, worker=each) for each in co_submitters])
        ProposalStep.objects.create(proposal=proposal, state=State.SUBMITTED, on=submitted_on,
                                    by=by if getattr(by, "pk", None) else None)
    return proposal


def proposal_update(*, proposal: Proposal, by, **fields) -> Proposal:
    """Staff correct the text of a proposal; its state moves only through proposal_advance."""
    if not scoping.changeable_by(Proposal.objects.filter(pk=proposal.pk), by).exists():
        raise PermissionDenied
    allowed = {"title", "category", "description", "expected_benefit", "review_round"}
    if set(fields) - allowed:
        raise ValueError(sorted(set(fields) - allowed))
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.full_clean()
    with transaction.atomic():
        proposal.save(update_fields=sorted(fields))
        if proposal.state in ADOPTED_OR_BEYOND:
            board_changed()
    return proposal


@dataclass
class Move:
    """One proposal to move forward to ``target``: the upload's row, or an admin's decision."""

    proposal: Proposal
    target: str
    comment: str = ""
    rejection_reason: str = ""
    measured_benefit: Decimal | None = None
    reward_amount: Decimal | None = None
    reward_material: str = ""
    reward_honour: str = ""


def proposal_advance(*, proposal: Proposal, to: str, by, comment: str = "", reason: str = "",
                     measured_benefit: Decimal | None = None, reward_amount: Decimal | None = None,
                     reward_material: str = "", reward_honour: str = "", on: dt.date | None = None) -> Proposal:
    """INN-2: one step along an arrow, dated, by ``by``, with a comment. 未采纳 needs the reason the
    submitter reads; 已实施 needs the measured benefit (万元); 已奖励 a material or honorary reward."""
    if not by.has_perm("innovation.decide_proposal"):
        raise PermissionDenied
    if not scoping.changeable_by(Proposal.objects.filter(pk=proposal.pk), by).exists():
        raise PermissionDenied
    if to == State.REJECTED and not reason.strip():
        raise ValidationError(_("Give the reason for not adopting the proposal; the submitter reads it."))
    if to == State.IMPLEMENTED and measured_benefit is None:
        raise ValidationError(_("Record the measured benefit (10,000 yuan) of the implemented proposal."))
    if to == State.REWARDED and not (reward_material.strip() or reward_honour.strip() or reward_amount):
        raise ValidationError(_("Record the material or honorary reward."))
    move = Move(proposal=proposal, target=to, comment=comment.strip(), rejection_reason=reason.strip(),
                measured_benefit=measured_benefit, reward_amount=reward_amount, reward_material=reward_material.strip(),
                reward_honour=reward_honour.strip())
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if to not in NEXT_STATES[current.state]:
            raise ValidationError(_("A proposal at %(current)s cannot move to %(target)s.")
                                  % {"current": current.get_state_display(), "target": State(to).label})
        move.proposal = current
        _apply_moves([move], by=by, on=on or timezone.localdate(), upload=None)
    proposal.refresh_from_db()
    return proposal


def _apply_moves(moves: Sequence[Move], *, by, on: dt.date | None, upload) -> None:
    """Move each proposal forward to its target, recording every state passed as a step (dated
    ``on``; an upload passes None: a historic step's day is unknown and is not invented), and
    credit the authors of those that reach 已采纳. Set-based: a fixed number of queries."""
    now = timezone.now()
    steps, changed, adopted = [], [], []
    for move in moves:
        proposal = move.proposal
        passed = states_between(proposal.state, move.target)
        if passed is None:
            raise ValidationError(_("A proposal at %(current)s cannot move to %(target)s.")
                                  % {"current": State(proposal.state).label, "target": State(move.target).label})
        for state in passed:
            if state in PUBLISHED_STEP_FIELDS:
                setattr(proposal, PUBLISHED_STEP_FIELDS[state], on)
            steps.append(ProposalStep(proposal=proposal, state=state, on=on, by=by,
                                      comment=move.comment if state == move.target else "", upload=upload))
        if State.ADOPTED in passed:
            adopted.append(proposal)
        proposal.state = move.target
        proposal.state_changed_at = now
        if move.target == State.REJECTED and move.rejection_reason:
            proposal.rejection_reason = move.rejection_reason
        for name in ("measured_benefit", "reward_amount"):
            if getattr(move, name) is not None:
                setattr(proposal, name, getattr(move, name))
        for name in ("reward_material", "reward_honour"):
            if getattr(move, name):
                setattr(proposal, name, getattr(move, name))
        changed.append(proposal)
    Proposal.objects.bulk_update(changed, ["state", "state_changed_at", "rejection_reason", "measured_benefit",
                                           "reward_amount", "reward_material", "reward_honour",
                                           *PUBLISHED_STEP_FIELDS.values()], batch_size=1000)
    ProposalStep.objects.bulk_create(steps, batch_size=2000)
    proposals_credit(proposals=adopted, earned_on=on)
    if any(proposal.state in ADOPTED_OR_BEYOND for proposal in changed):
        board_changed()


def proposals_credit(*, proposals: Sequence[Proposal], earned_on: dt.date | None) -> int:
    """INN-6, EDU-9: an adopted proposal earns each of its authors the credits the rule for
    adopted proposals gives, on the day of adoption (today, for an upload whose adoption day is
    unknown), through the ledger: no rule in force, no credits."""
    if not proposals:
        return 0
    earned_on = earned_on or timezone.localdate()
    authors = ProposalAuthor.objects.filter(proposal__in=[p.pk for p in proposals]).select_related("proposal")
    earnings = [Earning(worker_id=author.worker_id, source=author, earned_on=earned_on,
                        cause=f"合理化建议被采纳：{author.proposal.title}") for author in authors]
    return len(credit_entries_record_bulk(source_kind="proposal", earnings=earnings))


def proposals_to_round(*, proposals: Iterable[Proposal], review_round: ProposalRound, by) -> int:
    """Group proposals into a review round (定期评审) of a unit the user manages."""
    if not scoping.unit_in_scope(by, review_round.unit):
        raise PermissionDenied
    ids = [p.pk for p in proposals]
    with transaction.atomic():
        count = scoping.changeable_by(Proposal.objects.filter(pk__in=ids), by).update(review_round=review_round)
        board_changed()
    return count


def proposal_round_save(*, review_round: ProposalRound, by) -> ProposalRound:
    """INN-2 定期评审: a review round made or changed in the admin (its name is on the board)."""
    if not scoping.unit_in_scope(by, review_round.unit):
        raise PermissionDenied
    review_round.full_clean()
    with transaction.atomic():
        review_round.save()
        board_changed()
    return review_round


def proposal_rounds_delete(*, rounds: Iterable[ProposalRound]) -> None:
    """The admin's delete of review rounds (its permission checked there): their proposals leave
    the round."""
    with transaction.atomic():
        ProposalRound.objects.filter(pk__in=[each.pk for each in rounds]).delete()
        board_changed()


def proposals_delete(*, proposals: Iterable[Proposal]) -> None:
    """The admin's delete of proposals (its permission checked there), with their steps and authors."""
    with transaction.atomic():
        Proposal.objects.filter(pk__in=[each.pk for each in proposals]).delete()
        board_changed()


def proposals_names_follow(*, worker_ids: Sequence[int] = (), unit_ids: Sequence[int] = ()) -> None:
    """membership's name followers (registered in InnovationConfig.ready): a renamed worker's name
    on their proposals (Proposal.submitter_names, which the board shows: the lead, then the
    co-submitters in the order they were added), and the board's pages, which show unit names."""
    if worker_ids:
        affected = ProposalAuthor.objects.filter(worker_id__in=worker_ids).values("proposal_id")
        names: dict[int, list[str]] = {}
        for proposal_id, name in (ProposalAuthor.objects.filter(proposal_id__in=affected)
                                  .order_by("proposal_id", "-is_lead", "id").values_list("proposal_id", "worker__name")):
            names.setdefault(proposal_id, []).append(name)
        Proposal.objects.bulk_update(
            [Proposal(pk=pk, submitter_names=NAMES_SEPARATOR.join(each)[:300]) for pk, each in names.items()],
            ["submitter_names"], batch_size=1000)
    board_changed()


def evaluators_assign(*, proposals: Iterable[Proposal], evaluators: Iterable, by) -> list[ProposalAssignment]:
    """INN-2: assign evaluators to proposals in bulk; each new assignment is told to its evaluator
    by a task queued once the assignments are committed."""
    if not by.has_perm("innovation.assign_evaluators"):
        raise PermissionDenied
    evaluators = list(evaluators)
    outsiders = [str(user) for user in evaluators
                 if not user.is_active or not user.is_staff or not user.groups.filter(name=EVALUATOR_GROUP).exists()]
    if outsiders:
        raise ValidationError(_("%(names)s is not a proposal evaluator.") % {"names": "、".join(outsiders)})
    ids = list(scoping.changeable_by(Proposal.objects.filter(pk__in=[p.pk for p in proposals]), by)
               .values_list("pk", flat=True))
    with transaction.atomic():
        existing = set(ProposalAssignment.objects.filter(proposal_id__in=ids).values_list("proposal_id", "evaluator_id"))
        created = ProposalAssignment.objects.bulk_create([
            ProposalAssignment(proposal_id=pk, evaluator=user, assigned_by=by)
            for pk in ids for user in evaluators if (pk, user.pk) not in existing])
        from .tasks import proposal_assignment_notify_task

        for pk in [assignment.pk for assignment in created]:
            transaction.on_commit(lambda pk=pk: proposal_assignment_notify_task.delay(pk))
    return created


def assignment_review(*, assignment: ProposalAssignment, by, opinion: str | None = None,
                      opinion_comment: str | None = None, private_note: str | None = None) -> ProposalAssignment:
    """The evaluator's own opinion and private notes: nobody else writes them."""
    if assignment.evaluator_id != by.pk:
        raise PermissionDenied
    fields = []
    for name, value in (("opinion", opinion), ("opinion_comment", opinion_comment), ("private_note", private_note)):
        if value is not None:
            setattr(assignment, name, value)
            fields.append(name)
    assignment.full_clean()
    assignment.save(update_fields=fields)
    return assignment


def state_label(state: str) -> str:
    return str(State(state).label)


__all__ = [
    "ADOPTED_OR_BEYOND", "Move", "assignment_review", "board_changed", "evaluators_assign", "proposal_advance",
    "proposal_round_save", "proposal_rounds_delete", "proposal_submit", "proposal_update", "proposals_credit",
    "proposals_delete", "proposals_names_follow", "proposals_to_round", "state_path",
]


def proposals_write_upload(*, new: Sequence[dict], updated: Sequence[tuple[int, dict]], upload, by) -> int:
    """UPL-6 `proposals`: the rows the upload kind validated and classified. A new row may start at
    any state: the states before it are recorded as passed by this upload, with no date (only the
    已提交 step has one: 提出日期). An updated row moves forward through _apply_moves, like every
    other path; its text fields are corrected in place. Set-based per batch."""
    written = 0
    if new:
        proposals = Proposal.objects.bulk_create([Proposal(
            code=row["code"], title=row["title"], category=row["category"], submitter_id=row["worker_id"],
            unit_id=row["unit_id"], submitted_on=row["submitted_on"], state=row["state"],
            rejection_reason=row["comment"] if row["state"] == State.REJECTED else "",
            measured_benefit=row["benefit"], submitter_names=row["name"], created_by=by, upload=upload)
            for row in new], batch_size=1000)
        ProposalAuthor.objects.bulk_create([ProposalAuthor(proposal=proposal, worker_id=proposal.submitter_id, is_lead=True)
                                            for proposal in proposals], batch_size=1000)
        steps = []
        for proposal, row in zip(proposals, new):
            for state in state_path(row["state"]):
                steps.append(ProposalStep(
                    proposal=proposal, state=state, on=row["submitted_on"] if state == State.SUBMITTED else None,
                    by=by, upload=upload,
                    comment=row["comment"] if state == row["state"] and state != State.REJECTED else ""))
        ProposalStep.objects.bulk_create(steps, batch_size=2000)
        proposals_credit(proposals=[p for p in proposals if p.state in ADOPTED_OR_BEYOND], earned_on=None)
        if any(p.state in ADOPTED_OR_BEYOND for p in proposals):
            board_changed()
        written += len(proposals)
    if updated:
        current = Proposal.objects.select_for_update().in_bulk([pk for pk, _fields in updated])
        texts, moves, new_leads = [], [], {}
        for pk, fields in updated:
            proposal = current[pk]
            changed = False
            if proposal.submitter_id != fields["worker_id"]:
                new_leads[proposal.pk] = fields["name"]
            for name, key in (("title", "title"), ("category", "category"), ("submitted_on", "submitted_on"),
                              ("submitter_id", "worker_id")):
                if getattr(proposal, name) != fields[key]:
                    setattr(proposal, name, fields[key])
                    changed = True
            if changed:
                texts.append(proposal)
            if fields["state"] != proposal.state or (fields["benefit"] is not None
                                                     and fields["benefit"] != proposal.measured_benefit):
                if fields["state"] == proposal.state:
                    proposal.measured_benefit = fields["benefit"]
                    texts.append(proposal)
                else:
                    moves.append(Move(proposal=proposal, target=fields["state"], comment=fields["comment"],
                                      rejection_reason=fields["comment"], measured_benefit=fields["benefit"]))
        if new_leads:
            # The board's names follow the authors: the new lead, then the co-submitters as they were.
            others: dict[int, list[str]] = {pk: [] for pk in new_leads}
            for proposal_id, name in (ProposalAuthor.objects.filter(proposal_id__in=new_leads, is_lead=False)
                                      .order_by("id").values_list("proposal_id", "worker__name")):
                others[proposal_id].append(name)
            for pk, name in new_leads.items():
                current[pk].submitter_names = NAMES_SEPARATOR.join([name, *others[pk]])[:300]
        if texts:
            Proposal.objects.bulk_update(list({p.pk: p for p in texts}.values()),
                                         ["title", "category", "submitted_on", "submitter_id", "submitter_names",
                                          "measured_benefit"],
                                         batch_size=1000)
            ProposalAuthor.objects.filter(proposal__in=texts, is_lead=True).exclude(
                worker_id__in=[p.submitter_id for p in texts]).delete()
            ProposalAuthor.objects.bulk_create([ProposalAuthor(proposal=p, worker_id=p.submitter_id, is_lead=True)
                                                for p in texts], ignore_conflicts=True)
            if any(p.state in ADOPTED_OR_BEYOND for p in texts):
                board_changed()
        if moves:
            _apply_moves(moves, by=by, on=None, upload=upload)
        written += len(updated)
    return written
