"""The talent app's models, one module per area of the plan; each module's models are imported here."""
from .bases import DemonstrationBase, TechAssociation  # noqa: F401
from .certificates import Occupation, SkillCertificate, SkillLevel, TalentRecord  # noqa: F401
from .chief import ChiefEmployee, ChiefEmployeeQuerySet, ChiefEvaluation, EvaluationResult  # noqa: F401
from .competitions import Competition, CompetitionLevel, CompetitionResult, FastTrackRecommendation, QualifyingAward  # noqa: F401
from .events import TalentEvent, TalentEventRegistration  # noqa: F401
from .studios import AssessmentGrade, RecognitionLevel, Studio, StudioActivity, StudioAssessment, StudioRecognition  # noqa: F401
