"""The quality-education system's admin, one module per area: the catalogue, the review committee, classes and enrolment, the learning record and credit bank, activities and courseware; importing the package registers them all."""
# The quality-education sections of the officer's worker page (MEM-3).
from .. import record_sections  # noqa: F401
from .activities import ActivityAdmin, ActivityRegistrationAdmin, ActivityRegistrationInline  # noqa: F401
from .catalogue import CourseAdmin, CourseModuleInline, TargetGroupAdmin  # noqa: F401
from .classes import (  # noqa: F401
    ATTENDANCE_STATUSES,
    CertificateAdmin,
    ClassSessionInline,
    CourseClassAdmin,
    CourseClassForm,
    EnrolmentAdmin,
    EnrolmentInline,
    GroupEnrolForm,
    PlaceAdmin,
    TaughtClassInline,
    TaughtSessionInline,
    TeacherAdmin,
    WithdrawForm,
    enrol_in_class,
    mark_completed,
    mark_not_completed,
    withdraw,
)
from .committee import (  # noqa: F401
    AssignReviewersForm,
    CourseReviewAdmin,
    CourseReviewInline,
    RejectForm,
    ReviewCriterionAdmin,
    ScoreForm,
    approve_courses,
    assign_reviewers,
    reject_courses,
    submit_for_review,
)
from .common import _each, _intermediate  # noqa: F401
from .courseware import CoursewareAdmin, CoursewareCompletionAdmin, CoursewareProgressAdmin  # noqa: F401
from .record import (  # noqa: F401
    CreditConversionAdmin,
    CreditConversionForm,
    CreditEntryAdmin,
    CreditPilotAdmin,
    CreditRuleAdmin,
    TrainingRecordAdmin,
)
