"""Demo content for certificates and competitions (TAL-1, TAL-6): certificates for about a third of
the workers at a realistic spread of levels (most at 5 and 4, a few at 1), some with an earlier
certificate or an expired one kept as history; competitions at every level across many industries
in 2010–2013 with results, whose municipal prizes start the fast track. Deterministic from the rng;
a second run adds nothing. Written through the services' bulk forms, so credits and the fast track
follow as they do for an upload."""
from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from membership.models import Industry, Unit, Worker

from .models import Competition, CompetitionLevel, Occupation, SkillCertificate
from .services.certificates import skill_certificates_write
from .services.competitions import competition_results_write, competitions_write

D = dt.date
# TAL-1: 5 初级工 … 1 高级技师, weighted as a city's certified workforce is.
LEVEL_WEIGHTS = {5: 40, 4: 33, 3: 17, 2: 7, 1: 3}
ISSUERS = ["北京市职业技能鉴定指导中心", "北京市人力资源和社会保障局", "北京市职业技能鉴定管理中心", "国家职业技能鉴定所（北京）"]
SERIES = ["数控技能大赛", "国际焊接对抗赛", "职工职业技能大赛", "服务业技能竞赛", "首都职工技术比武", ""]
YEARS = (2010, 2011, 2012, 2013)
COMPETITIONS_PER_YEAR = {CompetitionLevel.MUNICIPAL: 12, CompetitionLevel.DISTRICT: 16, CompetitionLevel.ENTERPRISE: 8}


def _level(rng: random.Random) -> int:
    return rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange(max((last - first).days, 1)))


@transaction.atomic
def seed_certificates_and_competitions(*, rng: random.Random, share: float = 0.35) -> dict:
    if SkillCertificate.objects.exists() or Competition.objects.exists():
        return {"certificates": 0, "competitions": 0}
    today = timezone.localdate()
    occupations = list(Occupation.objects.order_by("name").values_list("id", flat=True))
    workers = list(Worker.objects.order_by("id").values_list("id", "unit_id"))
    demo_worker = Worker.objects.filter(account__username="worker").values_list("id", flat=True).first()
    rows, sequence = [], 0

    def add(worker_id, unit_id, level, issued_on, valid_until=None, occupation=None):
        nonlocal sequence
        sequence += 1
        rows.append({"worker_id": worker_id, "unit_id": unit_id, "occupation_id": occupation or rng.choice(occupations),
                     "level": level, "number": f"{issued_on.year}{sequence:010d}", "issuer": rng.choice(ISSUERS),
                     "issued_on": issued_on, "valid_until": valid_until})

    for worker_id, unit_id in workers:
        if worker_id != demo_worker and rng.random() >= share:
            continue
        level = _level(rng)
        occupation = rng.choice(occupations)
        issued_on = _day(rng, D(2003, 1, 1), min(today, D(2013, 12, 31)))
        if level < 5 and rng.random() < 0.4:
            # 动态管理: the level below, earlier, in the same occupation, stays as history.
            add(worker_id, unit_id, level + 1, issued_on - dt.timedelta(days=rng.randrange(400, 1500)),
                occupation=occupation)
        expired = rng.random() < 0.08
        valid_until = issued_on + dt.timedelta(days=365 * 3) if expired else None
        add(worker_id, unit_id, level, issued_on, valid_until, occupation=occupation)
        if worker_id == demo_worker:
            add(worker_id, unit_id, 5, D(2004, 5, 20), D(2008, 5, 19))  # an expired one, kept as history
    for start in range(0, len(rows), 5000):
        skill_certificates_write(new=rows[start:start + 5000], updated=[])
    competitions = _seed_competitions(rng=rng, occupations=occupations)
    return {"certificates": len(rows), "competitions": competitions}


def _seed_competitions(*, rng: random.Random, occupations: list[int]) -> int:
    """TAL-6, IND-COMP-INDUSTRIES: competitions in more than 30 industries each year, with results."""
    root = Unit.objects.get(depth=1)
    level1 = list(Unit.objects.filter(depth=2).order_by("path"))
    level2 = list(Unit.objects.filter(depth=3).order_by("path")[:60])
    divisions = list(Industry.objects.filter(section__isnull=False).order_by("code").values_list("id", "name"))
    if not divisions or not level1:
        return 0
    planned = []
    for year in YEARS:
        industries = rng.sample(divisions, min(len(divisions), sum(COMPETITIONS_PER_YEAR.values())))
        index = 0
        for level, count in COMPETITIONS_PER_YEAR.items():
            for _ in range(count):
                organiser = {CompetitionLevel.MUNICIPAL: root, CompetitionLevel.DISTRICT: rng.choice(level1),
                             CompetitionLevel.ENTERPRISE: rng.choice(level2 or level1)}[level]
                industry_id, industry_name = industries[index % len(industries)]
                index += 1
                series = rng.choice(SERIES)
                planned.append({
                    "code": f"{organiser.code}-{year}-{index:02d}", "level": level, "organiser_id": organiser.pk,
                    "industry_id": industry_id, "occupation_id": rng.choice(occupations), "year": year,
                    "series": series, "organiser_path": organiser.path,
                    "name": f"{year}年{organiser.district or '北京'}{industry_name}职工{series or '职业技能竞赛'}",
                })
    competitions_write(new=planned, updated=[])
    # 人力社保局, 经信委 …: co-organisers and the public flag are edited in the admin; the demo sets them here.
    Competition.objects.filter(level=CompetitionLevel.MUNICIPAL).update(co_organisers="北京市人力资源和社会保障局、北京市经济和信息化委员会")
    Competition.objects.exclude(code__endswith="7").update(is_public=True)
    results = []
    ids = dict(Competition.objects.values_list("code", "id"))
    for plan in planned:
        entrants = list(Worker.objects.filter(unit__path__startswith=plan["organiser_path"])
                        .order_by("id").values_list("id", "unit_id")[:400])
        for rank, (worker_id, unit_id) in enumerate(rng.sample(entrants, min(len(entrants), rng.randrange(4, 10))),
                                                    start=1):
            award = "一等奖" if rank == 1 else "二等奖" if rank <= 3 else "三等奖" if rank <= 6 else "优秀奖"
            results.append({"competition_id": ids[plan["code"]], "worker_id": worker_id, "unit_id": unit_id,
                            "rank": rank, "award": award})
    competition_results_write(new=results, updated=[])
    return len(planned)
