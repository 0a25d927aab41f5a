"""Demo content for the skilled-talent system. Chief employees, innovation studios at every level
(with an upgrade and one removed by its assessment), demonstration bases (one revoked), 职工技协
with member units and forums/observation events with registrations — all marked public so the
技术英才网 pages show them. Deterministic from the rng; a second run adds nothing."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from innovation.models import Rung
from innovation.services.honours import honour_award
from membership.models import Unit, Worker

from .models import ChiefEmployee, DemonstrationBase, RecognitionLevel, TalentEvent, TechAssociation
from .services.bases import tech_association_save
from .services.chief import chief_designate, chief_evaluation_save
from .services.events import talent_event_register
from .services.studios import studio_activity_save, studio_assessment_save, studio_create, studio_recognise

D = dt.date
FIELDS = ["数控加工", "焊接工艺", "电气自动化", "汽车维修", "精密装配", "电梯安装维修", "中式烹调", "养老护理"]
STUDIO_WORDS = ["精工", "匠心", "创新", "攻坚", "巧匠", "启航", "卓越", "先锋"]
BASE_NAMES = ["数控技能", "焊接技能", "电工技能", "汽车维修技能", "养老护理技能", "烹饪技能"]


def _grade(score: int) -> str:
    return "excellent" if score >= 90 else "good" if score >= 80 else "passed" if score >= 60 else "failed"


def _workers_by_level1(level1: list[Unit], per_unit: int) -> dict[int, list[Worker]]:
    return {unit.pk: list(Worker.objects.filter(unit__path__startswith=unit.path).order_by("id")[:per_unit])
            for unit in level1}


@transaction.atomic
def seed_programmes(*, rng: random.Random) -> dict:
    if ChiefEmployee.objects.exists() or TalentEvent.objects.exists():
        return {"studios": 0}
    root = Unit.objects.get(depth=1)
    level1 = list(Unit.objects.filter(depth=2).order_by("path"))
    # The first eight districts with workers; a small demo (a few workers) still gets every kind.
    pools = {pk: workers for pk, workers in _workers_by_level1(level1, 14).items() if workers}
    level1 = [unit for unit in level1 if unit.pk in pools][:8]
    if not level1:
        return {"studios": 0}
    today = timezone.localdate()
    chiefs = studios = 0
    for index, district in enumerate(level1):
        workers = pools[district.pk]
        rng.shuffle(workers)
        first_chief, second_chief = workers[0], workers[1 % len(workers)]
        # TAL-3: the district designates chief employees: one for the plan's years (2010–2013),
        # whose 2012 evaluation failed in one district, and one in office today.
        early = chief_designate(worker=first_chief, unit=district, field=rng.choice(FIELDS), term_from=D(2010, 1, 1),
                                term_to=D(2013, 12, 31), monthly_allowance=Decimal(rng.choice([300, 500, 800])),
                                other_benefits="带薪研修、年度体检", introduction="长期扎根生产一线，带出多名技师。", public=True)
        for year in (2010, 2011, 2012):
            failed = index == 1 and year == 2012
            score = 55 if failed else rng.randrange(75, 98)
            chief_evaluation_save(designation=early, year=year, evaluated_on=D(year + 1, 1, 20), score=Decimal(score),
                                  result="failed" if failed else "excellent" if score >= 90 else "passed")
        chief_designate(worker=second_chief, unit=district, field=rng.choice(FIELDS), term_from=today - dt.timedelta(days=400),
                        term_to=today + dt.timedelta(days=700), monthly_allowance=Decimal(rng.choice([500, 800, 1000])),
                        other_benefits="每年外出研修一次", introduction="技术骨干，多项技术革新获奖。", public=True)
        chiefs += 2
        # TAL-4: studios at every level, the first one led by the early chief employee.
        for number, level in enumerate([RecognitionLevel.CITY, RecognitionLevel.DISTRICT, RecognitionLevel.ENTERPRISE]):
            head = first_chief if number == 0 else workers[(2 + number) % len(workers)]
            team = [worker for worker in workers[3:] if worker != head]
            host = head.unit
            recognised_on = D(2010 + (index + number) % 3, rng.randrange(3, 10), 1)
            upgraded = number == 0 and index % 2 == 1
            first_level = RecognitionLevel.DISTRICT if upgraded else level
            if number != 0:
                # TAL-4: these leaders qualify as model workers (劳模), an honour the innovation app
                # records (INN-6) before their studio's recognition.
                honour_award(rung=Rung.MODEL_WORKER, level="municipal", worker=head,
                             awarded_on=D(recognised_on.year - 1, 4, 28), awarded_by="北京市人民政府")
            studio = studio_create(
                name=f"{head.name}{rng.choice(STUDIO_WORDS)}{'职工创新工作室'}", unit=host, leader=head,
                field=rng.choice(FIELDS), level=first_level,
                recognised_on=recognised_on, recognised_by=root.name if first_level == RecognitionLevel.CITY else district.name,
                members=team[:4], public=True,
                introduction="围绕生产难题开展技术攻关和技能传承。")
            if upgraded:
                # An upgrade: 区级 first, 市级 from a later date; the earlier row stays.
                studio_recognise(studio=studio, level=RecognitionLevel.CITY, recognised_on=D(2012, 10, 1),
                                 recognised_by=root.name)
            for year in range(recognised_on.year, 2013):
                removed = index == 2 and number == 2 and year == 2012
                score = 50 if removed else rng.randrange(70, 99)
                studio_assessment_save(studio=studio, year=year, assessed_on=D(year + 1, 1, 15), score=Decimal(score),
                                       grade=_grade(score))
            start = recognised_on + dt.timedelta(days=60)
            studio_activity_save(studio=studio, kind="project", title=f"{studio.field}关键工序攻关", started_on=start,
                                 ended_on=start + dt.timedelta(days=180), outcome="攻克工艺难题，年节约成本约 20 万元。")
            if team:
                studio_activity_save(studio=studio, kind="apprenticeship", title="名师带徒结对", started_on=start,
                                     master=head, apprentices=team[:2], outcome="徒弟取得高级工证书。")
            studio_activity_save(studio=studio, kind="training", title=f"{studio.field}技能培训班", started_on=start + dt.timedelta(days=30),
                                 ended_on=start + dt.timedelta(days=32), outcome="培训职工 40 人次。")
            studio_activity_save(studio=studio, kind="exchange", title="跨企业技术交流会", started_on=start + dt.timedelta(days=90),
                                 outcome="与兄弟单位交流先进操作法。")
            studios += 1
        # TAL-5: a base per district; the third one revoked in 2013.
        DemonstrationBase.objects.create(
            name=f"{district.district or district.name}{BASE_NAMES[index % len(BASE_NAMES)]}高技能人才示范基地",
            unit=workers[0].unit, level=RecognitionLevel.CITY if index % 2 == 0 else RecognitionLevel.DISTRICT,
            recognised_on=D(2010 + index % 3, 6, 1), revoked_on=D(2013, 6, 30) if index == 2 else None,
            occupations="数控车工、焊工、维修电工", introduction="承担高技能人才培训和技能鉴定任务。", public=True)
    # 职工技协: a city association with the districts as member units, and one in the first district.
    tech_association_save(association=TechAssociation(name="北京市职工技术协会", unit=root, founded_on=D(1986, 5, 1),
                                                      introduction="组织职工技术交流、技术服务和技能培训。", public=True),
                          member_units=level1)
    first = level1[0]
    tech_association_save(association=TechAssociation(name=f"{first.district or first.name}职工技协", unit=first,
                                                      founded_on=D(2005, 9, 1), introduction="服务区内企业的职工技术协作组织。",
                                                      public=True),
                          member_units=sorted({worker.unit for worker in pools[first.pk]}, key=lambda unit: unit.pk)[:4])
    # TAL-7: forums and observation events, one coming with registrations, one past.
    forum = TalentEvent.objects.create(title="首都高技能人才创新论坛", kind="forum", unit=root, place="北京市职工服务中心",
                                       starts_on=today + dt.timedelta(days=14), ends_on=today + dt.timedelta(days=14),
                                       capacity=200, description="首席员工和工作室领衔人分享技术创新经验。", public=True)
    TalentEvent.objects.create(title="数控技能操作观摩会", kind="observation", unit=first, place="朝阳区职工技能实训基地",
                               starts_on=today + dt.timedelta(days=30), ends_on=today + dt.timedelta(days=31),
                               capacity=60, description="观摩市级创新工作室的先进操作法。", public=True)
    TalentEvent.objects.create(title="2012 年焊接技术交流论坛", kind="forum", unit=root, place="北京市工人体育馆",
                               starts_on=D(2012, 11, 8), ends_on=D(2012, 11, 8), registration_open=False, public=True)
    registrations = 0
    for worker in [pool[-1] for pool in pools.values()]:
        talent_event_register(worker=worker, event=forum)
        registrations += 1
    return {"chiefs": chiefs, "studios": studios, "registrations": registrations}
