"""The reporting app's admin: its inputs, governance, and plans, indicators, targets and runs."""
from .governance import (  # noqa: F401
    CoordinationMeetingAdmin,
    FollowUpActionAdmin,
    LeadingGroupAdmin,
    MeetingDecisionAdmin,
    WorkPlanAdmin,
)
from .indicators import IndicatorAdmin, IndicatorValueAdmin, PlanAdmin, RunAdmin, TargetAdmin  # noqa: F401
from .inputs import CampaignYearAdmin, FundsReturnAdmin, LearningOrgStatusAdmin  # noqa: F401
