"""INN-1…6: what the innovation app's models allow each staff role (membership.seed merges these),
and the achievement evaluators (评审专家), a role the innovation app owns (INN-4)."""
from __future__ import annotations

EVALUATOR = "achievement_evaluator"
# A group name is data staff read in the admin, so it is Chinese.
EVALUATOR_GROUP = "创新成果评审专家"

GROUPS = {EVALUATOR: EVALUATOR_GROUP}


def _crud(*models: str) -> list[str]:
    return [f"innovation.{action}_{model}" for model in models for action in ("add", "change", "delete", "view")]


# INN-1, INN-3, INN-4, INN-5, INN-6 (issue 10 without the proposals): unit staff keep their units' records.
_ACHIEVEMENT_STAFF = [
    *_crud("competitioncommittee", "labourcompetition", "competitionentry", "smallsentry", "inventioncontest",
           "contestentry", "achievement", "achievementmember", "patent", "transferevent", "technologycontract",
           "honour"),
    "innovation.view_achievementevaluation", "innovation.view_indicatorscore", "innovation.view_evaluationindicator",
    "innovation.evaluate_achievement", "innovation.export_honour",
]

ROLES = {
    "municipal": [
        *_ACHIEVEMENT_STAFF, "innovation.add_evaluationindicator", "innovation.change_evaluationindicator",
        "innovation.delete_evaluationindicator",
    ],
    "level1": _ACHIEVEMENT_STAFF,
    "level2": _ACHIEVEMENT_STAFF,
    # REP-3: leadership reads everything and changes nothing.
    "leadership": [code for code in _ACHIEVEMENT_STAFF if code.startswith("innovation.view_")],
    EVALUATOR: ["innovation.view_achievementevaluation", "innovation.change_achievementevaluation",
                "innovation.view_evaluationindicator"],
}
