"""INN-6, INN-2: the adopted proposals (adopted, made a project, implemented or rewarded) beside each
candidate on the honours ladder, as submitter or co-submitter. Registered from InnovationConfig.ready()."""
from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy

from membership import scoping

from ..models import Proposal, ProposalAuthor
from ..models.proposals import ADOPTED_OR_BEYOND, ProposalState
from ..selectors.honours import ladder_evidence_register


def adopted_proposals(worker_ids: list[int], user) -> dict[int, list[str]]:
    visible = scoping.visible_to(Proposal.objects.filter(state__in=ADOPTED_OR_BEYOND), user).values("pk")
    found = defaultdict(list)
    for worker_id, submitted_on, code, title, state in (
            ProposalAuthor.objects.filter(worker_id__in=worker_ids, proposal__in=visible)
            .order_by("worker_id", "-proposal__submitted_on", "proposal__code")
            .values_list("worker_id", "proposal__submitted_on", "proposal__code", "proposal__title",
                         "proposal__state")):
        found[worker_id].append(f"{submitted_on:%Y} {title}（{code} · {ProposalState(state).label}）")
    return found


def register() -> None:
    ladder_evidence_register("adopted_proposals", gettext_lazy("Adopted proposals"), adopted_proposals)
