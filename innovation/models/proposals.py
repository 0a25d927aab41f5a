"""INN-2 合理化建议: proposals, their authors, the dated steps of the workflow, review rounds and
the evaluators assigned to them.

A proposal belongs to its unit (the unit it was made in, kept when the submitter moves on) and is
seen by the evaluators assigned to it (MEM-2: two owners). Its state moves only forward along
已提交 → 评审中 → 已采纳 | 未采纳 → 已立项 → 已实施 → 已奖励: innovation.proposals.services is the one
writer, and a database trigger (migration 0002) refuses any other move whoever writes."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from membership.scoping import Assigned, Owner, Scope


class ProposalState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    REVIEWING = "reviewing", _("Under review")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Not adopted")
    PROJECT = "project", _("Approved as a project")
    IMPLEMENTED = "implemented", _("Implemented")
    REWARDED = "rewarded", _("Rewarded")


# INN-2: the arrows of the workflow. 未采纳 ends it.
NEXT_STATES: dict[str, tuple[str, ...]] = {
    ProposalState.SUBMITTED: (ProposalState.REVIEWING,),
    ProposalState.REVIEWING: (ProposalState.ADOPTED, ProposalState.REJECTED),
    ProposalState.ADOPTED: (ProposalState.PROJECT,),
    ProposalState.PROJECT: (ProposalState.IMPLEMENTED,),
    ProposalState.IMPLEMENTED: (ProposalState.REWARDED,),
    ProposalState.REJECTED: (),
    ProposalState.REWARDED: (),
}
# IND-PROPOSAL-ADOPTION / IND-PROPOSAL-IMPLEMENTATION (issue 11): the states that count.
ADOPTED_OR_BEYOND = (ProposalState.ADOPTED, ProposalState.PROJECT, ProposalState.IMPLEMENTED, ProposalState.REWARDED)
IMPLEMENTED_OR_BEYOND = (ProposalState.IMPLEMENTED, ProposalState.REWARDED)
DECIDED = (ProposalState.REJECTED, *ADOPTED_OR_BEYOND)
# The published steps and the Proposal field holding each one's day (the disclosure board's).
PUBLISHED_STEP_FIELDS = {ProposalState.ADOPTED: "adopted_on", ProposalState.PROJECT: "project_on",
                         ProposalState.IMPLEMENTED: "implemented_on", ProposalState.REWARDED: "rewarded_on"}
NAMES_SEPARATOR = "、"


def state_path(state: str) -> list[str]:
    """The states a proposal passes through from 已提交 up to and including ``state``."""
    for path in _PATHS:
        if state in path:
            return path[: path.index(state) + 1]
    raise ValueError(state)


_PATHS = [
    [ProposalState.SUBMITTED, ProposalState.REVIEWING, ProposalState.ADOPTED, ProposalState.PROJECT,
     ProposalState.IMPLEMENTED, ProposalState.REWARDED],
    [ProposalState.SUBMITTED, ProposalState.REVIEWING, ProposalState.REJECTED],
]


def states_between(current: str, target: str) -> list[str] | None:
    """The states passed moving forward from ``current`` to ``target`` (excluding ``current``,
    including ``target``), or None when ``target`` is not ahead of ``current`` on the arrows."""
    path = state_path(target)
    if current not in path or current == target:
        return None
    return path[path.index(current) + 1:]


class Category(models.TextChoices):
    COST = "cost", _("Cost reduction")
    ENERGY = "energy", _("Energy saving and emission reduction")
    TECHNICAL = "technical", _("Technical transformation")
    SAFETY = "safety", _("Work safety")
    OTHER = "other", _("Other")


class ProposalRound(models.Model):
    """INN-2 定期评审: a periodic review round of a unit, grouping the proposals it reviews."""

    SCOPE_FIELD = "unit"

    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="proposal_round_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class Proposal(models.Model):
    """INN-2: one rationalisation proposal. ``submitted_on`` (提出日期) gives its year for the
    rates, never a step's date."""

    State = ProposalState
    Category = Category

    SCOPE = Scope(owners=(Owner("unit"),), assigned=(Assigned("assignments__evaluator"),))

    code = models.CharField(_("proposal number"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    expected_benefit = models.TextField(_("expected benefit"), blank=True)
    submitter = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="proposals",
                                  verbose_name=_("submitter"))
    # The unit the proposal was made in: it keeps it when the submitter moves (MEM-2).
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    submitted_on = models.DateField(_("date submitted"))
    state = models.CharField(_("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.SUBMITTED)
    state_changed_at = models.DateTimeField(_("state changed at"), auto_now_add=True)
    review_round = models.ForeignKey(ProposalRound, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="proposals", verbose_name=_("review round"))
    # INN-2: the reason for 未采纳, which the submitter reads.
    rejection_reason = models.TextField(_("reason for not adopting"), blank=True)
    # INN-2: after implementation, the measured benefit (万元) and the reward tied to it.
    measured_benefit = models.DecimalField(_("measured benefit (10,000 yuan)"), max_digits=12, decimal_places=2,
                                           null=True, blank=True)
    reward_amount = models.DecimalField(_("material reward (yuan)"), max_digits=12, decimal_places=2, null=True,
                                        blank=True)
    reward_material = models.CharField(_("material reward"), max_length=200, blank=True)
    reward_honour = models.CharField(_("honorary reward"), max_length=200, blank=True)
    # The disclosure board, the busiest public page, reads one row per proposal: the submitters'
    # names and the days of the published steps are kept here by the services that write the
    # authors and the steps (ProposalAuthor and ProposalStep stay the record; these follow them).
    submitter_names = models.CharField(_("submitters"), max_length=300, blank=True, editable=False)
    adopted_on = models.DateField(_("date adopted"), null=True, blank=True, editable=False)
    project_on = models.DateField(_("date approved as a project"), null=True, blank=True, editable=False)
    implemented_on = models.DateField(_("date implemented"), null=True, blank=True, editable=False)
    rewarded_on = models.DateField(_("date rewarded"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))
    upload = models.ForeignKey("uploads.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("upload"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("rationalisation proposal")
        verbose_name_plural = _("rationalisation proposals")
        permissions = [("decide_proposal", _("Can move proposals along the workflow")),
                       ("assign_evaluators", _("Can assign evaluators to proposals"))]
        indexes = [
            # The disclosure board's first page: newest first among adopted and later states.
            models.Index(fields=["-submitted_on", "-id"], name="proposal_newest"),
            models.Index(fields=["unit", "submitted_on", "state"], name="proposal_unit_year_state"),
            # The disclosure board (INN-2 公示) reads adopted and later proposals only, newest first:
            # for the city, and per unit of a subtree (a small unit's few rows would otherwise be
            # found by walking the city's newest rows until 21 of them turn up).
            models.Index(fields=["-submitted_on", "-id"], name="proposal_board_newest",
                         condition=models.Q(state__in=ADOPTED_OR_BEYOND)),
            models.Index(fields=["unit", "-submitted_on", "-id"], name="proposal_board_unit_newest",
                         condition=models.Q(state__in=ADOPTED_OR_BEYOND)),
            # A round holds one half-year: newest-first over the city reaches an old round's rows
            # only after walking every later one (1.5 s on 500,000 proposals).
            models.Index(fields=["review_round", "-submitted_on", "-id"], name="proposal_board_round_newest",
                         condition=models.Q(state__in=ADOPTED_OR_BEYOND)),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=ProposalState.values), name="proposal_state_known"),
            models.CheckConstraint(condition=models.Q(measured_benefit__isnull=True) | models.Q(measured_benefit__gte=0),
                                   name="proposal_benefit_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProposalAuthor(models.Model):
    """The submitter and the co-submitters of a proposal, each a registry worker: each earns the
    credits an adopted proposal is worth (the ledger's source row)."""

    SCOPE = Scope(owners=(Owner("proposal__unit"),), assigned=(Assigned("proposal__assignments__evaluator"),))

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="authors", verbose_name=_("proposal"))
    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="proposal_authorships",
                               verbose_name=_("worker"))
    is_lead = models.BooleanField(_("lead submitter"), default=False)

    class Meta:
        ordering = ["-is_lead", "id"]
        verbose_name = _("proposal author")
        verbose_name_plural = _("proposal authors")
        constraints = [models.UniqueConstraint(fields=["proposal", "worker"], name="proposal_author_once")]

    def __str__(self) -> str:
        return f"{self.proposal.code} · {self.worker.name}"


class ProposalStep(models.Model):
    """One step of the workflow: the state reached, when (``on``: the day it happened, blank when
    an upload recorded a historic step whose day is unknown), by whom, with a comment."""

    SCOPE = Scope(owners=(Owner("proposal__unit"),), assigned=(Assigned("proposal__assignments__evaluator"),))

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="steps", verbose_name=_("proposal"))
    state = models.CharField(_("state"), max_length=16, choices=ProposalState.choices)
    on = models.DateField(_("date"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                           verbose_name=_("by"))
    comment = models.TextField(_("comment"), blank=True)
    upload = models.ForeignKey("uploads.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("upload"))

    class Meta:
        ordering = ["proposal", "id"]
        verbose_name = _("proposal step")
        verbose_name_plural = _("proposal steps")
        constraints = [models.UniqueConstraint(fields=["proposal", "state"], name="proposal_step_once_per_state")]

    def __str__(self) -> str:
        return f"{self.proposal.code} · {self.get_state_display()}"


class ProposalAssignment(models.Model):
    """INN-2: an evaluator assigned to a proposal, with their opinion (which the unit reads) and
    their private notes (which only they read)."""

    # The unit reads the opinion; only the evaluator writes the opinion and the notes.
    SCOPE = Scope(owners=(Owner("proposal__unit", change=False),), assigned=(Assigned("evaluator", change=True),))

    class Opinion(models.TextChoices):
        ADOPT = "adopt", _("Recommend adopting")
        REJECT = "reject", _("Recommend not adopting")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments",
                                 verbose_name=_("proposal"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposal_assignments",
                                  verbose_name=_("evaluator"))
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("assigned by"))
    opinion = models.CharField(_("opinion"), max_length=16, choices=Opinion.choices, blank=True)
    opinion_comment = models.TextField(_("opinion comment"), blank=True)
    private_note = models.TextField(_("private notes"), blank=True)

    class Meta:
        ordering = ["-assigned_at", "-id"]
        verbose_name = _("evaluator assignment")
        verbose_name_plural = _("evaluator assignments")
        constraints = [models.UniqueConstraint(fields=["proposal", "evaluator"], name="proposal_evaluator_once")]

    def __str__(self) -> str:
        return f"{self.proposal.code} · {self.evaluator}"
