"""The quality-education system's models, one module per area of the plan: the catalogue (EDU-1, EDU-2), classes and enrolment (EDU-3), the review committee (EDU-5), the learning record and credit bank (EDU-8, EDU-9), activities (EDU-6, EDU-7) and courseware (EDU-4)."""
from .activities import Activity, ActivityRegistration  # noqa: F401
from .catalogue import APPROVED_VALUES_GUARD, Course, CourseModule, CourseQuerySet, TargetGroup  # noqa: F401
from .classes import (  # noqa: F401
    DEPENDANT_TARGET_GROUP,
    Attendance,
    Certificate,
    ClassQuerySet,
    ClassSession,
    CourseClass,
    Dependant,
    Enrolment,
    EnrolmentQuerySet,
    Place,
    Teacher,
    _certificate_code,
)
from .courseware import Courseware, CoursewareCompletion, CoursewareProgress  # noqa: F401
from .record import (  # noqa: F401
    CreditAccount,
    CreditConversion,
    CreditEntry,
    CreditPilot,
    CreditRule,
    TrainingRecord,
    TranscriptIssue,
)
from .review import CourseReview, CourseRevision, ReviewCriterion, ReviewScore  # noqa: F401
