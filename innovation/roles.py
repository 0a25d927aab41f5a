"""INN-1…6: what the innovation app's models allow each staff role, and the roles it owns. Each
area of the app declares its permissions in a list below; ROLES merges them."""
from __future__ import annotations

# INN-2: proposal evaluators (合理化建议评审员) are staff users of any unit, assigned proposals
# in bulk; they see only what is assigned to them. A group name is data staff read, so Chinese.
EVALUATOR = "proposal_evaluator"
EVALUATOR_GROUP = "合理化建议评审员"

GROUPS = {EVALUATOR: EVALUATOR_GROUP}

_PROPOSAL_STAFF = [
    "innovation.add_proposal", "innovation.change_proposal", "innovation.view_proposal",
    "innovation.decide_proposal", "innovation.assign_evaluators", "innovation.view_proposalstep",
    "innovation.add_proposalround", "innovation.change_proposalround", "innovation.view_proposalround",
    "innovation.view_proposalassignment",
]
_PROPOSAL_READ = ["innovation.view_proposal", "innovation.view_proposalstep", "innovation.view_proposalround",
                  "innovation.view_proposalassignment"]

ROLES = {
    "municipal": [*_PROPOSAL_STAFF],
    "level1": [*_PROPOSAL_STAFF],
    "level2": [*_PROPOSAL_STAFF],
    # REP-3: leadership reads everything and changes nothing.
    "leadership": [*_PROPOSAL_READ],
    EVALUATOR: ["innovation.view_proposal", "innovation.view_proposalstep", "innovation.view_proposalassignment",
                "innovation.change_proposalassignment"],
}
