"""seed_demo's proposals: every state, 2010–2013, step history matching each state, rounds and
evaluators who see only what is assigned to them."""
from __future__ import annotations

import random

from innovation.models import Proposal, ProposalAssignment, ProposalRound, ProposalStep, state_path
from innovation.proposals.seed import seed_proposals
from membership import scoping
from membership.models import User
from tests.factories import WorkerFactory


def test_demo_proposals_cover_every_state_and_year_with_their_steps(tree):
    for unit in (tree["chaoyang_enterprise"], tree["haidian_enterprise"]):
        for _ in range(10):
            WorkerFactory(unit=unit)
    result = seed_proposals(rng=random.Random(2013), count=400)
    assert result["proposals"] == 400 == Proposal.objects.count()
    assert set(Proposal.objects.values_list("state", flat=True)) == set(Proposal.State.values)
    assert {p.submitted_on.year for p in Proposal.objects.only("submitted_on")} == {2010, 2011, 2012, 2013}
    assert ProposalStep.objects.count() == sum(len(state_path(s)) for s in Proposal.objects.values_list("state", flat=True))
    assert ProposalRound.objects.exists()
    evaluator = User.objects.get(username="pingshen1")
    seen = set(scoping.visible_to(Proposal.objects.all(), evaluator).values_list("pk", flat=True))
    assert seen == set(ProposalAssignment.objects.filter(evaluator=evaluator).values_list("proposal_id", flat=True))
    assert seed_proposals(rng=random.Random(2013), count=400) == {"proposals": 400}  # a second run adds nothing
