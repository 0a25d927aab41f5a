"""The reporting app's models: its own inputs (training funds, learning organisations, the campaign),
governance (MEM-7), and the plans, indicators, targets, runs and values (REP-1)."""
from .governance import (  # noqa: F401
    CoordinationMeeting,
    FollowUpAction,
    LeadingGroup,
    LeadingGroupMember,
    MeetingDecision,
    WorkPlan,
    WorkPlanItem,
)
from .indicators import Indicator, IndicatorValue, Plan, Run, Target, WorkforceFigure  # noqa: F401
from .inputs import CampaignYear, FundsReturn, LearningOrgStatus  # noqa: F401
