"""INN-1…6: what the innovation app's models allow each staff role (membership.seed merges these),
and the roles it owns: achievement evaluators (评审专家, INN-4) and proposal evaluators
(合理化建议评审员, INN-2), staff of any unit who see only what is assigned to them."""
from __future__ import annotations

EVALUATOR = "achievement_evaluator"
# Group names are data staff read in the admin, so they are Chinese.
EVALUATOR_GROUP = "创新成果评审专家"
PROPOSAL_EVALUATOR = "proposal_evaluator"
PROPOSAL_EVALUATOR_GROUP = "合理化建议评审员"

GROUPS = {EVALUATOR: EVALUATOR_GROUP, PROPOSAL_EVALUATOR: PROPOSAL_EVALUATOR_GROUP}


def _crud(*models: str) -> list[str]:
    return [f"innovation.{action}_{model}" for model in models for action in ("add", "change", "delete", "view")]


# INN-1, INN-3, INN-4, INN-5, INN-6: unit staff keep their units' records.
_ACHIEVEMENT_STAFF = [
    *_crud("competitioncommittee", "labourcompetition", "competitionentry", "smallsentry", "inventioncontest",
           "contestentry", "achievement", "achievementmember", "patent", "transferevent", "technologycontract",
           "honour"),
    "innovation.view_achievementevaluation", "innovation.view_indicatorscore", "innovation.view_evaluationindicator",
    "innovation.evaluate_achievement", "innovation.export_honour",
]
# INN-2: rationalisation proposals.
_PROPOSAL_STAFF = [
    "innovation.add_proposal", "innovation.change_proposal", "innovation.view_proposal",
    "innovation.decide_proposal", "innovation.assign_evaluators", "innovation.view_proposalstep",
    "innovation.add_proposalround", "innovation.change_proposalround", "innovation.view_proposalround",
    "innovation.view_proposalassignment",
]
_PROPOSAL_READ = ["innovation.view_proposal", "innovation.view_proposalstep", "innovation.view_proposalround",
                  "innovation.view_proposalassignment"]

ROLES = {
    "municipal": [
        *_ACHIEVEMENT_STAFF, "innovation.add_evaluationindicator", "innovation.change_evaluationindicator",
        "innovation.delete_evaluationindicator", *_PROPOSAL_STAFF,
    ],
    "level1": [*_ACHIEVEMENT_STAFF, *_PROPOSAL_STAFF],
    "level2": [*_ACHIEVEMENT_STAFF, *_PROPOSAL_STAFF],
    # REP-3: leadership reads everything and changes nothing.
    "leadership": [*(code for code in _ACHIEVEMENT_STAFF if code.startswith("innovation.view_")), *_PROPOSAL_READ],
    EVALUATOR: ["innovation.view_achievementevaluation", "innovation.change_achievementevaluation",
                "innovation.view_evaluationindicator"],
    PROPOSAL_EVALUATOR: ["innovation.view_proposal", "innovation.view_proposalstep", "innovation.view_proposalassignment",
                         "innovation.change_proposalassignment"],
}
