"""The talent app's admin, one module per area; importing the package registers them all."""
from .. import record_sections  # noqa: F401,E402
from .bases import DemonstrationBaseAdmin, TechAssociationAdmin  # noqa: F401
from .certificates import OccupationAdmin, SkillCertificateAdmin, TalentRecordAdmin  # noqa: F401
from .chief import ChiefEmployeeAdmin, ChiefEvaluationInline  # noqa: F401
from .competitions import CompetitionAdmin, CompetitionResultAdmin, FastTrackRecommendationAdmin, QualifyingAwardAdmin  # noqa: F401
from .events import TalentEventAdmin, TalentEventRegistrationAdmin  # noqa: F401
from .studios import StudioActivityAdmin, StudioAdmin, StudioAssessmentAdmin  # noqa: F401
