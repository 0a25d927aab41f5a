"""The innovation app's models, one module per area of the plan; each module's models are imported here."""
from .achievements import (  # noqa: F401
    Achievement,
    AchievementEvaluation,
    AchievementMember,
    EvaluationIndicator,
    Grade,
    IndicatorScore,
    Patent,
)
from .competitions import CompetitionCommittee, CompetitionEntry, CompetitionLevel, LabourCompetition  # noqa: F401
from .honours import COLLECTIVE_RUNGS, Honour, HonourLevel, Rung  # noqa: F401
from .proposals import (  # noqa: F401
    ADOPTED_OR_BEYOND,
    DECIDED,
    IMPLEMENTED_OR_BEYOND,
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
from .smalls import ContestEntry, InventionContest, SmallsEntry  # noqa: F401
from .transfer import TechnologyContract, TransferEvent  # noqa: F401
