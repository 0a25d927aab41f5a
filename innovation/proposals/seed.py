"""Demo proposals (INN-2): a few thousand over 2010–2013 in every state, with their step history,
review rounds per level-1 unit and half-year, evaluators and their assignments. Bulk-created and
deterministic from the rng."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from courses.models import CreditRule
from membership.models import Unit, User, Worker
from membership.seed import DEMO_PASSWORD

from ..models import (
    PUBLISHED_STEP_FIELDS,
    Proposal,
    ProposalAssignment,
    ProposalAuthor,
    ProposalRound,
    ProposalState,
    ProposalStep,
    state_path,
)
from ..roles import PROPOSAL_EVALUATOR_GROUP as EVALUATOR_GROUP
from .services import board_changed

S = ProposalState
TOPICS = {
    "cost": ["焊材回收再利用", "刀具修磨延寿", "包装材料减量", "备件库存优化", "废料分类回收"],
    "energy": ["空压机余热回收", "照明改LED", "变频改造水泵", "锅炉烟气余热利用", "车间节水循环"],
    "technical": ["焊接夹具快换", "数控程序优化", "检测工装改进", "装配线防错", "自动上下料"],
    "safety": ["冲床双手按钮", "高处作业防坠", "叉车限速提醒", "有限空间通风", "配电柜防误操作"],
    "other": ["班组交接班看板", "培训视频化", "合理化建议积分", "职工书屋", "技能比武常态化"],
}
# Shares of the final states: every state is present, most proposals are decided.
STATE_WEIGHTS = [(S.SUBMITTED, 6), (S.REVIEWING, 8), (S.REJECTED, 22), (S.ADOPTED, 16), (S.PROJECT, 14),
                 (S.IMPLEMENTED, 16), (S.REWARDED, 18)]
EVALUATORS = [("pingshen1", "刘评审"), ("pingshen2", "陈评审"), ("pingshen3", "杨评审")]
REASONS = ["与现行工艺冲突", "投入产出比偏低", "已列入年度技改计划", "需进一步论证可行性", "同类建议已采纳"]


def seed_proposals(*, rng: random.Random, count: int = 3000) -> dict:
    if Proposal.objects.exists():
        return {"proposals": Proposal.objects.count()}
    workers = list(Worker.objects.order_by("id").values_list("id", "unit_id", "name")[:20000])
    if not workers:
        return {"proposals": 0}
    paths = dict(Unit.objects.values_list("id", "path"))
    level1 = {unit.path: unit for unit in Unit.objects.filter(depth=2)}
    CreditRule.objects.get_or_create(source="proposal", defaults={
        "credits_each": Decimal(2), "cap_per_year": Decimal(6), "valid_from": dt.date(2013, 1, 1),
        "note": "被采纳的合理化建议每条计2学分，每年最多6学分"})
    today = timezone.localdate()
    with transaction.atomic():
        rounds = {}
        for path, unit in sorted(level1.items()):
            for year in range(2010, 2014):
                for half, (start, end) in enumerate([((3, 1), (3, 31)), ((9, 1), (9, 30))]):
                    rounds[(path, year, half)] = ProposalRound(
                        unit=unit, year=year, name=f"{unit.name}{year}年{'上' if half == 0 else '下'}半年合理化建议评审",
                        starts_on=dt.date(year, *start), ends_on=dt.date(year, *end))
        ProposalRound.objects.bulk_create(list(rounds.values()))
        states, weights = zip(*STATE_WEIGHTS)
        proposals, plans = [], []
        for number in range(count):
            # The demo worker (the first worker) has a few proposals of their own to follow.
            worker_id, unit_id, worker_name = workers[0] if number < 4 else rng.choice(workers)
            state = states[number] if number < 4 else rng.choices(states, weights)[0]
            submitted_on = dt.date(rng.randint(2010, 2013), rng.randint(1, 12), rng.randint(1, 28))
            category = rng.choice(list(TOPICS))
            path = paths[unit_id]
            review_round = None
            if state != S.SUBMITTED and len(path) >= 2 * Unit.steplen:
                review_round = rounds.get((path[: 2 * Unit.steplen], submitted_on.year, 0 if submitted_on.month <= 6 else 1))
            implemented = state in (S.IMPLEMENTED, S.REWARDED)
            days, on = [], submitted_on
            for index, _state in enumerate(state_path(state)):
                if index:
                    on = min(on + dt.timedelta(days=rng.randint(3, 60)), today)
                days.append(on)
            reached = dict(zip(state_path(state), days))
            proposals.append(Proposal(
                code=f"JY{submitted_on.year}D{number + 1:06d}", title=f"{rng.choice(TOPICS[category])}的建议",
                category=category, description="针对生产现场存在的问题，提出改进办法和实施步骤。",
                expected_benefit=f"预计每年节约{rng.randint(1, 50)}万元", submitter_id=worker_id, unit_id=unit_id,
                submitted_on=submitted_on, state=state, review_round=review_round,
                rejection_reason=rng.choice(REASONS) if state == S.REJECTED else "",
                measured_benefit=Decimal(rng.randint(50, 5000)) / 100 if implemented else None,
                reward_amount=Decimal(rng.choice([500, 1000, 2000, 5000])) if state == S.REWARDED else None,
                reward_material="奖金" if state == S.REWARDED else "",
                reward_honour=rng.choice(["", "合理化建议能手", "金点子奖"]) if state == S.REWARDED else "",
                submitter_names=worker_name,
                **{name: reached.get(step) for step, name in PUBLISHED_STEP_FIELDS.items()}))
            plans.append(days)
        Proposal.objects.bulk_create(proposals, batch_size=2000)
        authors, steps = [], []
        for proposal, days in zip(proposals, plans):
            authors.append(ProposalAuthor(proposal=proposal, worker_id=proposal.submitter_id, is_lead=True))
            for state, on in zip(state_path(proposal.state), days):
                steps.append(ProposalStep(proposal=proposal, state=state, on=on,
                                          comment=proposal.rejection_reason if state == S.REJECTED else ""))
        ProposalAuthor.objects.bulk_create(authors, batch_size=5000)
        ProposalStep.objects.bulk_create(steps, batch_size=5000)
        group, _created = Group.objects.get_or_create(name=EVALUATOR_GROUP)
        evaluators = []
        for username, name in EVALUATORS:
            # Evaluators belong to no unit: they see only the proposals assigned to them.
            user, created = User.objects.get_or_create(username=username, defaults={
                "first_name": name, "is_staff": True, "email": f"{username}@example.org"})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            user.groups.add(group)
            evaluators.append(user)
        assignments = [ProposalAssignment(proposal=proposal, evaluator=evaluator)
                       for proposal in proposals if proposal.state != S.SUBMITTED
                       for evaluator in rng.sample(evaluators, 2 if proposal.state == S.REVIEWING else 1)]
        ProposalAssignment.objects.bulk_create(assignments, batch_size=5000)
        # The seed writes its rows in bulk, beside the services: the board follows all the same.
        board_changed()
    return {"proposals": len(proposals), "rounds": len(rounds), "steps": len(steps), "assignments": len(assignments),
            "users": [(username, DEMO_PASSWORD) for username, _name in EVALUATORS]}
