"""The innovation app's admin, one module per area; importing the package registers them all."""
from .proposals import ProposalAdmin, ProposalAssignmentAdmin, ProposalRoundAdmin  # noqa: F401
