"""The innovation app's models, one module per area of the plan; each module's models are imported here."""
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
