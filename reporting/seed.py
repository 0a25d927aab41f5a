"""Demo data for the reporting inputs: funds returns, learning organisations, the campaign, the leading
group with a quarterly meeting whose follow-up actions include an overdue one, and work plans."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from membership.models import Unit

from .models import (
    CampaignYear,
    CoordinationMeeting,
    FollowUpAction,
    FundsReturn,
    LeadingGroup,
    LeadingGroupMember,
    LearningOrgStatus,
    MeetingDecision,
    WorkPlan,
    WorkPlanItem,
)

YEARS = range(2010, 2014)


@transaction.atomic
def seed_reporting(*, rng: random.Random) -> dict:
    if FundsReturn.objects.exists():
        return {"funds": FundsReturn.objects.count()}
    root = Unit.objects.get(depth=1)
    level1 = list(Unit.objects.filter(depth=2).order_by("path"))
    enterprises = list(Unit.objects.filter(kind=Unit.Kind.ENTERPRISE_UNION).order_by("path"))
    grass_roots = list(Unit.objects.filter(depth__gte=3).order_by("path"))
    funds = []
    for unit in enterprises:
        for year in YEARS:
            payroll = Decimal(rng.randrange(800, 60000))
            # Most extract 1.5–2.5%; some too little, a few too much (MEM-6's flags).
            rate = Decimal(rng.choice(["0.015", "0.018", "0.02", "0.022", "0.025", "0.012", "0.03"]))
            extracted = (payroll * rate).quantize(Decimal("0.0001"))
            spent = (extracted * Decimal(rng.choice(["0.7", "0.85", "0.95", "1"]))).quantize(Decimal("0.0001"))
            frontline = (spent * Decimal(rng.choice(["0.5", "0.6", "0.65", "0.7", "0.8"]))).quantize(Decimal("0.0001"))
            funds.append(FundsReturn(unit=unit, year=year, payroll=payroll, extracted=extracted, spent=spent,
                                     frontline=frontline))
    FundsReturn.objects.bulk_create(funds)
    statuses = []
    for unit in grass_roots:
        # Units join the movement over the years; a few are named, a very few lose the name.
        start = rng.choice([2010, 2010, 2011, 2011, 2012, 2013, None])
        if start is None:
            continue
        statuses.append(LearningOrgStatus(unit=unit, year=start, status=LearningOrgStatus.Status.BUILDING))
        if start < 2013 and rng.random() < 0.5:
            named = rng.randrange(start + 1, 2014)
            statuses.append(LearningOrgStatus(unit=unit, year=named, status=LearningOrgStatus.Status.NAMED))
            if named < 2013 and rng.random() < 0.1:
                statuses.append(LearningOrgStatus(unit=unit, year=named + 1, status=LearningOrgStatus.Status.REVOKED))
    LearningOrgStatus.objects.bulk_create(statuses)
    CampaignYear.objects.bulk_create([
        CampaignYear(unit=unit, year=year, active=year >= 2010 + index % 3)
        for index, unit in enumerate(level1) for year in YEARS])
    group = LeadingGroup.objects.create(unit=root, name="首都职工素质建设工程领导小组",
                                        office="领导小组办公室（设在市总工会职工教育部）", established_on=dt.date(2010, 3, 1))
    for name, title, role in [("王建国", "市总工会副主席", LeadingGroupMember.Role.HEAD),
                              ("李红", "市人力社保局副局长", LeadingGroupMember.Role.DEPUTY),
                              ("张伟", "市教委副主任", LeadingGroupMember.Role.MEMBER),
                              ("刘洋", "市总工会职工教育部部长", LeadingGroupMember.Role.OFFICE_DIRECTOR)]:
        LeadingGroupMember.objects.create(group=group, name=name, title=title, role=role)
    today = timezone.localdate()
    for quarter, held_on in enumerate([dt.date(2013, 3, 20), dt.date(2013, 6, 18), dt.date(2013, 9, 24),
                                       today - dt.timedelta(days=20)], start=1):
        meeting = CoordinationMeeting.objects.create(
            unit=root, title=f"第{quarter}季度协调会", held_on=held_on,
            attendees="领导小组办公室、市人力社保局、市教委、各区县工会", minutes="通报各项指标进展，部署下一阶段工作。")
        decision = MeetingDecision.objects.create(meeting=meeting, text="加快市级职工创新工作室认定，年底前完成评审。")
        for index, unit in enumerate(rng.sample(level1, 3)):
            overdue = quarter == 4 and index == 0
            due = today - dt.timedelta(days=5) if overdue else held_on + dt.timedelta(days=60)
            done = due < today and not overdue
            FollowUpAction.objects.create(
                decision=decision, description=f"{unit.name}报送工作室推荐名单", owner_unit=unit, due_on=due,
                state=FollowUpAction.State.DONE if done else FollowUpAction.State.IN_PROGRESS,
                done_on=due - dt.timedelta(days=3) if done else None)
    for unit in [root, *level1]:
        plan = WorkPlan.objects.create(unit=unit, year=2013, title=f"{unit.name}2013年职工素质建设工作计划",
                                       summary="围绕职工素质建设工程年度目标，组织技能培训、技能竞赛和学习型组织创建。")
        for quarter, title in enumerate(["新录用职工岗前培训", "技能竞赛赛前集训", "学习型组织创建骨干培训"], start=1):
            WorkPlanItem.objects.create(plan=plan, title=title, target_group="一线职工",
                                        planned_participants=rng.randrange(50, 500), quarter=quarter)
    return {"funds": len(funds), "learning_orgs": len(statuses)}
