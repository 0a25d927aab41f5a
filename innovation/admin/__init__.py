"""The innovation app's admin, one module per area; importing the package registers them all."""
from .. import record_sections  # noqa: F401,E402
from .achievements import AchievementAdmin, AchievementEvaluationAdmin, EvaluationIndicatorAdmin, PatentAdmin  # noqa: F401
from .competitions import CompetitionCommitteeAdmin, CompetitionEntryAdmin, LabourCompetitionAdmin  # noqa: F401
from .honours import HonourAdmin  # noqa: F401
from .proposals import ProposalAdmin, ProposalAssignmentAdmin, ProposalRoundAdmin  # noqa: F401
from .smalls import ContestEntryAdmin, InventionContestAdmin, SmallsEntryAdmin  # noqa: F401
from .transfer import TechnologyContractAdmin, TransferEventAdmin  # noqa: F401
