"""Demo data for issue 10 without the proposals: committees at three levels, competitions with
teams and 工人先锋号 titles, six-smalls entries, an invention contest, achievements with grades over
2010–2013 (some public, some with patents, a few waiting for an evaluator), a fair and an exhibition
with achievements, registered technology contracts, and honours on every rung. Deterministic from
the rng; run once (a second run finds the committees and stops)."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction

from membership.models import Unit, User, Worker

from .models import (
    Achievement,
    AchievementEvaluation,
    AchievementMember,
    CompetitionCommittee,
    CompetitionEntry,
    ContestEntry,
    Honour,
    InventionContest,
    LabourCompetition,
    Patent,
    SmallsEntry,
    TechnologyContract,
    TransferEvent,
)
from .roles import EVALUATOR_GROUP
from .services.competitions import competition_save, pioneer_title_award
from .services.honours import honour_award

YEARS = (2010, 2011, 2012, 2013)
WORKS = ["地铁六号线二期工程", "京沪高铁北京段", "首钢京唐钢铁基地", "北京新机场航站楼", "南水北调北京段配套工程",
         "环球影城基础设施", "城市副中心行政办公区", "燕房线轨道交通"]
TEAMS = ["盾构一班", "钢筋班", "焊接班", "数控车间甲班", "电气检修班", "质检组", "安装二队", "混凝土班"]
TITLES = ["数控机床主轴热变形补偿装置", "焊缝自动跟踪小车", "地铁盾构刀具快换工装", "配电柜母线温度在线监测",
          "班组成本日核算法", "废切削液回收再利用装置", "公交车门防夹报警改进", "锅炉余热回收节能改造",
          "钢筋笼自动焊接机", "变电站巡检机器人", "高空作业防坠落挂钩", "冷却塔节水改造"]
THEME_WORDS = {"quality": "比工程质量", "schedule": "比建设工期", "innovation": "比技术创新", "management": "比科学管理",
               "civilised": "比文明施工", "harmony": "创和谐团队", "energy": "我为节能减排做贡献", "safety": "安康杯"}
GRADE_WEIGHTS = (("excellent", 3), ("good", 4), ("pass", 3), ("fail", 1))
PASSWORD = "Beijing-2026"  # membership.seed's demo password


def _team(rng: random.Random, workers: list[Worker], most: int) -> list[Worker]:
    return rng.sample(workers, rng.randint(1, min(most, len(workers))))


@transaction.atomic
def seed_achievements(*, rng: random.Random, achievements: int = 160) -> dict:
    if CompetitionCommittee.objects.exists():
        return {"achievements": Achievement.objects.count()}
    root = Unit.objects.get(depth=1)
    level1 = list(Unit.objects.filter(depth=2).order_by("path"))
    level2 = list(Unit.objects.filter(depth=3).order_by("path"))
    workers_by_unit: dict[int, list[Worker]] = {}
    for worker in Worker.objects.filter(unit__depth=3).order_by("id"):
        workers_by_unit.setdefault(worker.unit_id, []).append(worker)
    # Units with workers (a small demo, as the crawl test seeds, has a few): teams are drawn from them.
    staffed = [unit for unit in level2 if workers_by_unit.get(unit.pk)]
    if not staffed:
        return {"achievements": 0}

    committees = [CompetitionCommittee.objects.create(name="首都劳动竞赛委员会", level="municipal", unit=root,
                                                      established_on=dt.date(2009, 3, 1))]
    for parent in level1[:4]:
        committees.append(CompetitionCommittee.objects.create(
            name=f"{parent.name.removesuffix('工会')}劳动竞赛委员会", level="district", unit=parent,
            established_on=dt.date(2009, 6, 1)))
    enterprise = next((unit for unit in staffed if unit.kind == Unit.Kind.ENTERPRISE_UNION), staffed[0])
    committees.append(CompetitionCommittee.objects.create(
        name=f"{enterprise.name.removesuffix('工会')}劳动竞赛领导小组", level="enterprise", unit=enterprise))
    themes = list(LabourCompetition.Theme.values)
    pioneers = 0
    for index, committee in enumerate(committees):
        under = [unit for unit in staffed if unit.path.startswith(committee.unit.path)] or staffed
        for year in rng.sample(YEARS, 2):
            competition = competition_save(competition=LabourCompetition(
                committee=committee, title=f"{year}年{committee.name.removesuffix('委员会').removesuffix('领导小组')}"
                                          f"“{THEME_WORDS[themes[(index + year) % len(themes)]]}”竞赛",
                theme=themes[(index + year) % len(themes)], works=rng.choice(WORKS), year=year,
                starts_on=dt.date(year, 3, 1), ends_on=dt.date(year, 11, 30)))
            entries = []
            for rank, unit in enumerate(rng.sample(under, min(4, len(under))), start=1):
                entries.append(CompetitionEntry.objects.create(
                    competition=competition, unit=unit, team_name=rng.choice(TEAMS), rank=rank,
                    score=Decimal(98 - rank * 3 - rng.randrange(3)), result="优胜" if rank == 1 else "达标"))
            pioneer_title_award(entry=entries[0], awarded_on=dt.date(year, 12, 20),
                                level={"municipal": "municipal", "district": "district"}.get(committee.level, "enterprise"))
            pioneers += 1

    for number in range(36):
        unit = rng.choice(staffed)
        entry = SmallsEntry.objects.create(
            kind=SmallsEntry.Kind.values[number % 6], title=f"{rng.choice(['刀具', '夹具', '管路', '工艺', '台账', '照明'])}"
                                                           f"{rng.choice(['改进', '革新', '节约', '核算', '小窍门'])}{number + 1}号",
            unit=unit, year=rng.choice(YEARS), benefit=Decimal(rng.randrange(1, 500)) / 10)
        entry.workers.set(_team(rng, workers_by_unit[unit.pk], 2))

    contest = InventionContest.objects.create(title="首都职工发明创新大赛", unit=root, year=2012, held_on=dt.date(2012, 10, 18),
                                              description="面向全市职工的发明创新成果评比。")
    awards = ["first", "second", "second", "third", "third", "third", "merit", "merit", ""]
    for number, award in enumerate(awards):
        unit = rng.choice(staffed)
        entry = ContestEntry.objects.create(contest=contest, title=f"{rng.choice(TITLES)}（参赛{number + 1}）", unit=unit,
                                            score=Decimal(95 - number * 2), award=award)
        entry.workers.set(_team(rng, workers_by_unit[unit.pk], 3))

    grades = [grade for grade, weight in GRADE_WEIGHTS for _ in range(weight)]
    made = []
    for number in range(achievements):
        unit = rng.choice(staffed)
        year = YEARS[number % len(YEARS)]
        grade = rng.choice(grades)
        achievement = Achievement.objects.create(
            code=f"CX{year}-{number + 1:04d}", title=f"{rng.choice(TITLES)}", unit=unit,
            kind=rng.choice(Achievement.Kind.values), year=year, grade=grade,
            score=Decimal({"excellent": 92, "good": 84, "pass": 70, "fail": 52}[grade] + rng.randrange(5)),
            is_public=grade in ("excellent", "good") and number % 2 == 0,
            description="针对生产中的实际难题提出，经现场应用验证有效。")
        team = _team(rng, workers_by_unit[unit.pk], 3)
        AchievementMember.objects.bulk_create([AchievementMember(achievement=achievement, worker=worker,
                                                                 unit_id=worker.unit_id, order=order)
                                               for order, worker in enumerate(team)])
        if grade == "excellent" and number % 3 == 0:
            Patent.objects.create(achievement=achievement, number=f"ZL{year}1{number:07d}.{number % 10}",
                                  kind=rng.choice(Patent.Kind.values), granted_on=dt.date(year, rng.randint(1, 12), 15))
        made.append(achievement)

    expert, created = User.objects.get_or_create(username="expert", defaults={
        "unit": root, "is_staff": True, "email": "expert@example.org", "first_name": "评审专家"})
    if created:
        expert.set_password(PASSWORD)
        expert.save(update_fields=["password"])
    expert.groups.add(Group.objects.get(name=EVALUATOR_GROUP))
    for achievement in made[-5:]:
        AchievementEvaluation.objects.get_or_create(achievement=achievement, evaluator=expert)

    shown = [a for a in made if a.grade in ("excellent", "good")]
    for kind, title, held_on, unit in (
            ("exhibition", "2013年首都职工创新成果展", dt.date(2013, 5, 8), root),
            ("patent_fair", "2012年职工专利技术推介会", dt.date(2012, 9, 20), level1[0]),
            ("trade_fair", "2013年职工创新成果交易会", dt.date(2013, 11, 6), root)):
        event = TransferEvent.objects.create(kind=kind, title=title, unit=unit, held_on=held_on, place="北京市职工服务中心")
        event.achievements.set([a for a in rng.sample(shown, min(12, len(shown)))
                                if a.unit.path.startswith(unit.path)])
    for number, achievement in enumerate(rng.sample(shown, min(12, len(shown)))):
        TechnologyContract.objects.create(
            number=f"1101{achievement.year}{number + 1:06d}", kind=TechnologyContract.Kind.values[number % 3],
            title=f"{achievement.title}技术{['转让', '咨询', '服务'][number % 3]}合同", unit=achievement.unit,
            achievement=achievement, provider=achievement.unit.name.removesuffix("工会"),
            client=f"北京{rng.choice(['机电', '建工', '能源', '交通'])}{rng.choice(['有限公司', '集团'])}",
            amount=Decimal(rng.randrange(50, 50000)) / 100, signed_on=dt.date(achievement.year, 6, 1),
            registered_on=dt.date(achievement.year, 6, 15))

    # INN-6: 40 pacesetters (2010); of them 14 chief employees and 8 studio leaders (2011); 8 of
    # those Labour Medals (2012); 4 of those Model Workers (2013). Each step leaves some eligible.
    people = [worker for unit in staffed for worker in workers_by_unit[unit.pk]]
    holders = rng.sample(people, min(40, len(people)))
    ladder = (("innovation_star", holders, dt.date(2010, 4, 28), "district"),
              ("chief_employee", holders[:14], dt.date(2011, 4, 28), "enterprise"),
              ("studio_leader", holders[14:22], dt.date(2011, 6, 1), "district"),
              ("labour_medal", holders[:4] + holders[14:18], dt.date(2012, 4, 28), "municipal"),
              ("model_worker", holders[:2] + holders[14:16], dt.date(2013, 4, 28), "municipal"))
    honours = pioneers
    for rung, chosen, awarded_on, level in ladder:
        for worker in chosen:
            honour_award(rung=rung, level=level, worker=worker, awarded_on=awarded_on, awarded_by="北京市总工会")
            honours += 1
    for pioneer in Honour.objects.filter(rung="pioneer_team").order_by("awarded_on", "id")[:2]:
        honour_award(rung="labour_award", level="municipal", unit=pioneer.unit, team_name=pioneer.team_name,
                     awarded_on=pioneer.awarded_on + dt.timedelta(days=130), awarded_by="北京市总工会")
        honours += 1
    return {"achievements": len(made), "competitions": LabourCompetition.objects.count(), "pioneers": pioneers,
            "honours": honours}
