"""The talent app's models, one module per area of the plan; each module's models are imported here."""
from .certificates import Occupation, SkillCertificate, SkillLevel  # noqa: F401
from .competitions import Competition, CompetitionLevel, CompetitionResult, FastTrackRecommendation, QualifyingAward  # noqa: F401
