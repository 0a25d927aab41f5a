"""The real top of the union tree, the staff roles, and deterministic demo data."""
from __future__ import annotations

import datetime as dt
import random
from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from core.identity import make_credit_code, make_id_number
from uploads import bulk

from . import services
from .directory import worker_id_fields_builder
from .models import Industry, Unit, User, Worker

FEDERATION = ("110000", "北京市总工会")
# GB/T 2260 codes of Beijing's 16 districts: a district union's unit code is its district's.
DISTRICTS = [
    ("110101", "东城"), ("110102", "西城"), ("110105", "朝阳"), ("110106", "丰台"), ("110107", "石景山"),
    ("110108", "海淀"), ("110109", "门头沟"), ("110111", "房山"), ("110112", "通州"), ("110113", "顺义"),
    ("110114", "昌平"), ("110115", "大兴"), ("110116", "怀柔"), ("110117", "平谷"), ("110118", "密云"),
    ("110119", "延庆"),
]
# Level-1 unions without a district code get stable internal codes.
OTHER_LEVEL1 = [
    ("BJKFQ", "北京经济技术开发区总工会", Unit.Kind.DEVELOPMENT_ZONE, "大兴"),
    ("BJCY01", "北京市机械冶金建材工会", Unit.Kind.INDUSTRY_UNION, ""),
    ("BJCY02", "北京市教育工会", Unit.Kind.INDUSTRY_UNION, ""),
    ("BJCY03", "北京市卫生健康工会", Unit.Kind.INDUSTRY_UNION, ""),
    ("BJCY04", "北京市建设工会", Unit.Kind.INDUSTRY_UNION, ""),
    ("BJJ01", "北京市公共交通控股（集团）有限公司工会", Unit.Kind.BUREAU_UNION, ""),
    ("BJJ02", "北京首钢集团有限公司工会", Unit.Kind.BUREAU_UNION, ""),
]

def declared_roles() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Every installed app's ``roles`` module merged: (role key → group name, role key →
    permissions). Each app declares the groups it owns (GROUPS) and what its own models allow
    each role (ROLES), so no app lists another's permissions."""
    names: dict[str, str] = {}
    permissions: dict[str, list[str]] = {}
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "roles"):
            continue
        module = import_module(f"{config.name}.roles")
        names.update(getattr(module, "GROUPS", {}))
        for role, codes in getattr(module, "ROLES", {}).items():
            permissions.setdefault(role, []).extend(codes)
    return names, permissions


def seed_groups() -> dict[str, Group]:
    names, declared = declared_roles()
    # Every declared permission in one query (one query each was most of every test's set-up: the
    # suite's `tree` fixture seeds the groups for each test).
    wanted = {tuple(code.split(".")) for codes in declared.values() for code in codes}
    found = {(permission.content_type.app_label, permission.codename): permission
             for permission in Permission.objects.filter(codename__in={codename for _, codename in wanted})
             .select_related("content_type")}
    groups = {}
    for role, name in names.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for code in declared.get(role, []):
            key = tuple(code.split("."))
            if key not in found:
                raise Permission.DoesNotExist(f"Permission {code} declared for role {role} does not exist.")
            permissions.append(found[key])
        group.permissions.set(permissions)
        groups[name] = group
    return groups


@transaction.atomic
def seed_unit_tree() -> Unit:
    root = Unit.objects.filter(code=FEDERATION[0]).first()
    if root is None:
        root = services.unit_create(parent=None, code=FEDERATION[0], name=FEDERATION[1], kind=Unit.Kind.FEDERATION,
                                    district="北京市")
    for code, district in DISTRICTS:
        if not Unit.objects.filter(code=code).exists():
            root.refresh_from_db()
            services.unit_create(parent=root, code=code, name=f"{district}区总工会", kind=Unit.Kind.DISTRICT,
                                 district=district)
    for code, name, kind, district in OTHER_LEVEL1:
        if not Unit.objects.filter(code=code).exists():
            root.refresh_from_db()
            services.unit_create(parent=root, code=code, name=name, kind=kind, district=district)
    return root


# What an enterprise of each GB/T 4754 section is called, who works there and how they were
# schooled, so that the demo's population looks like Beijing's: a 建工 company's workers are
# 钢筋工 and 架子工, mostly with a junior or senior secondary education; a software company's are
# 软件工程师 with degrees. Education weights follow Worker.Education's order (primary … postgraduate).
SECTION_PROFILES = {
    "A": (["农业科技", "园林绿化"], ["农艺工", "园林绿化工", "养殖工", "农机驾驶员"], (10, 40, 30, 12, 7, 1)),
    "B": (["矿业", "煤业"], ["采掘工", "矿山机电维修工", "爆破工", "安全员"], (5, 35, 40, 14, 5, 1)),
    "C": (["精密机械", "电子科技", "食品", "医药", "汽车零部件", "印刷", "装备制造"],
          ["焊工", "车工", "钳工", "数控操作工", "质检员", "装配工", "设备维修工"], (2, 25, 40, 20, 11, 2)),
    "D": (["能源", "供电", "燃气"], ["电工", "变电运维工", "燃气管道工", "热力运行工"], (1, 10, 35, 30, 21, 3)),
    "E": (["建工", "市政工程", "装饰工程"], ["钢筋工", "架子工", "砌筑工", "混凝土工", "施工员", "塔吊司机"],
          (8, 45, 30, 10, 6, 1)),
    "F": (["商贸", "超市连锁"], ["营业员", "收银员", "理货员", "采购员"], (3, 35, 40, 15, 6, 1)),
    "G": (["物流", "公交", "快递"], ["司机", "快递员", "仓储员", "调度员", "乘务员"], (3, 38, 39, 14, 5, 1)),
    "H": (["餐饮", "酒店管理"], ["厨师", "服务员", "面点师", "客房服务员"], (6, 45, 35, 10, 4, 0)),
    "I": (["软件", "信息技术", "通信"], ["软件工程师", "网络管理员", "测试工程师", "运维工程师"], (0, 1, 5, 20, 56, 18)),
    "J": (["金融服务", "保险"], ["柜员", "客户经理", "会计", "理赔员"], (0, 1, 6, 23, 58, 12)),
    "K": (["物业", "置业"], ["物业管理员", "保安员", "保洁员", "维修电工"], (6, 40, 35, 13, 5, 1)),
    "L": (["商务服务", "人力资源"], ["行政专员", "人力资源专员", "保安员", "会计"], (2, 15, 33, 27, 20, 3)),
    "M": (["检测技术", "设计研究"], ["检验员", "工程师", "实验员", "技术员"], (0, 2, 10, 25, 45, 18)),
    "N": (["环保", "环卫"], ["环卫工", "污水处理工", "园林绿化工", "垃圾分拣员"], (12, 45, 28, 10, 5, 0)),
    "O": (["家政服务", "汽车维修"], ["家政服务员", "养老护理员", "汽车维修工", "美容美发师"], (10, 45, 30, 11, 4, 0)),
    "P": (["职业技能培训", "教育科技"], ["教师", "培训师", "教务员"], (0, 1, 6, 23, 55, 15)),
    "Q": (["医疗", "康养"], ["护士", "护工", "药剂员", "康复治疗师"], (1, 10, 25, 34, 25, 5)),
    "R": (["文化传媒", "体育"], ["编辑", "摄影师", "健身教练", "舞台技术员"], (1, 8, 25, 30, 30, 6)),
    "S": (["社区服务"], ["社区工作者", "网格员", "办事员"], (1, 8, 25, 33, 30, 3)),
}
# Sections whose workers are mostly in offices: fewer front-line and migrant workers there.
OFFICE_SECTIONS = {"I", "J", "L", "M", "P", "R", "S"}
# A street union federates the small workplaces of its streets: shops, restaurants, services.
STREET_SECTIONS = ("F", "H", "O")
# MEM-3 demo ages: the working population by age band (years), as a share of workers.
AGE_BANDS = [((18, 25), 12), ((26, 35), 30), ((36, 45), 28), ((46, 55), 22), ((56, 60), 8)]
STREET_WORDS = ["建国门", "和平里", "望京", "中关村", "八角", "永定", "新华", "城关"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海燕"
DEMO_PASSWORD = "Beijing-2026"


def seed_demo(*, workers: int, seed: int, units_per_level1: int = 6) -> dict:
    rng = random.Random(seed)
    seed_unit_tree()
    groups = seed_groups()
    divisions: dict[str, list[int]] = {}
    for division_id, section in Industry.objects.filter(section__isnull=False).values_list("id", "section__code"):
        divisions.setdefault(section, []).append(division_id)
    enterprise_sections = [code for code in SECTION_PROFILES if code in divisions]
    level1 = list(Unit.objects.filter(depth=2).order_by("path"))
    level2: list[Unit] = list(Unit.objects.filter(depth=3))
    if not level2:
        for index, parent in enumerate(level1):
            region = parent.code if parent.code.isdigit() else "110115"
            for number in range(units_per_level1):
                street = number == 0 and parent.kind == Unit.Kind.DISTRICT
                body = f"MA{index:02d}{number:02d}{rng.randrange(16**3):03X}"[:9]
                code = make_credit_code("81" if street else "91", region, body)
                section = rng.choice(STREET_SECTIONS if street else enterprise_sections)
                words = SECTION_PROFILES[section][0]
                name = (f"{parent.district}{rng.choice(STREET_WORDS)}街道工会联合会" if street
                        else f"北京{rng.choice(words)}{rng.choice(['有限公司', '股份有限公司', '集团'])}{index}{number}工会")
                parent.refresh_from_db()
                level2.append(services.unit_create(
                    parent=parent, code=code, name=name,
                    kind=Unit.Kind.STREET_UNION if street else Unit.Kind.ENTERPRISE_UNION,
                    industry_id=rng.choice(divisions[section]), worker_count=rng.randrange(20, 3000),
                    # 会员制: most units below a level-1 union are level-2 members; a few are not (yet)
                    # or are suspended, so the member-only resources have someone to refuse.
                    membership_status=_seed_membership_status(rng, first=number == 0),
                ))
    created = seed_workers(count=workers, units=level2, rng=rng)
    users = seed_users(groups=groups)
    seed_member_service_requests(rng=rng)
    return {"units": Unit.objects.count(), "workers_created": created, "users": users}


def _seed_membership_status(rng: random.Random, *, first: bool) -> str:
    draw = rng.random()
    if first or draw < 0.85:
        return Unit.MembershipStatus.ACTIVE
    return Unit.MembershipStatus.NONE if draw < 0.95 else Unit.MembershipStatus.SUSPENDED


def seed_workers(*, count: int, units: list[Unit], rng: random.Random) -> int:
    """Bulk, through the same COPY path as uploads: a million workers take a minute, not hours.

    A realistic population (issue 8): every other pair of workers is one man and one woman, so
    about half are women; ages follow AGE_BANDS (each band appears within the first ten workers);
    posts, education and the front-line and migrant flags follow the unit's industry."""
    id_fields = worker_id_fields_builder()
    existing = set(Worker.objects.values_list("id_number_digest", flat=True)) if Worker.objects.exists() else set()
    now = timezone.now()
    today = timezone.localdate()
    sections = dict(Unit.objects.filter(pk__in=[unit.pk for unit in units])
                    .values_list("id", "industry__section__code"))
    unit_profiles = [(unit.pk, unit.code[2:8] if len(unit.code) == 18 else "110105",
                      SECTION_PROFILES.get(sections.get(unit.pk) or "", SECTION_PROFILES["O"]),
                      (sections.get(unit.pk) or "O") not in OFFICE_SECTIONS) for unit in units]
    fields = ("name", "id_number_encrypted", "id_number_digest", "id_number_masked", "birth_date", "sex", "unit",
              "post", "is_frontline", "is_migrant", "is_needy", "education", "phone", "joined_union_on",
              "created_at", "updated_at")
    educations = [c for c, _ in Worker.Education.choices]
    # Band i's share of every hundred workers, spread so that the first ten already hold every band.
    band_cycle = sorted(((position + 0.5) / weight, band) for band, (_years, weight) in enumerate(AGE_BANDS)
                        for position in range(weight))
    band_cycle = [band for _key, band in band_cycle]
    used_numbers: set[tuple[str, dt.date, int]] = set()
    created = 0
    batch = []
    for index in range(count):
        unit_id, region, (_words, posts, education_weights), shop_floor = unit_profiles[index % len(unit_profiles)]
        # Who the index-th worker is (sex, birth, ID number) depends on the index alone, not on
        # the run's random state: a second run finds the same people and adds no one.
        identity = random.Random(f"demo-worker-{index}")
        female = random.Random(f"demo-pair-{index // 2}").random() < 0.5
        female = female if index % 2 == 0 else not female
        (youngest, oldest), _weight = AGE_BANDS[band_cycle[index % len(band_cycle)]]
        # Born within the year before the birthday that makes them ``age`` today.
        age = identity.randint(youngest, oldest)
        anniversary = (today - dt.timedelta(days=1) if (today.month, today.day) == (2, 29) else today)
        birth = anniversary.replace(year=anniversary.year - age - 1) + dt.timedelta(days=identity.randrange(1, 365))
        # GB 11643: the sequence's last digit is odd for men, even for women.
        sequence = identity.randrange(1, 499) * 2 - (0 if female else 1)
        while (region, birth, sequence) in used_numbers:
            sequence = (sequence + 2) % 1000 or (2 if female else 1)
        used_numbers.add((region, birth, sequence))
        number = make_id_number(region, birth, sequence)
        derived = id_fields(number)
        if derived["id_number_digest"] in existing:
            continue
        existing.add(derived["id_number_digest"])
        joined = birth.replace(year=birth.year + 22) if birth.month != 2 or birth.day != 29 else None
        batch.append((
            rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else ""),
            *(derived[field] for field in fields[1:6]), unit_id, rng.choice(posts),
            rng.random() < (0.75 if shop_floor else 0.25),
            rng.random() < (0.35 if shop_floor else 0.05), rng.random() < 0.05,
            rng.choices(educations, weights=education_weights)[0],
            f"13{rng.randrange(10**9):09d}", joined if joined and joined <= today else None,
            now, now,
        ))
        if len(batch) >= 20000:
            with transaction.atomic():
                created += bulk.insert_rows(Worker, fields, batch)
            batch = []
    if batch:
        with transaction.atomic():
            created += bulk.insert_rows(Worker, fields, batch)
    return created


# (log-in, unit code, role key as the apps' roles.py declare it, superuser)
DEMO_USERS = [
    ("admin", "110000", "municipal", True),
    ("chaoyang", "110105", "level1", False),
    ("haidian", "110108", "level1", False),
    ("leader", "110000", "leadership", False),
    ("reviewer", "110000", "reviewer", False),
]


def seed_users(*, groups: dict[str, Group]) -> list[tuple[str, str]]:
    result = []
    group_names, _permissions = declared_roles()
    for username, unit_code, role, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username, defaults={
            "unit": Unit.objects.get(code=unit_code), "is_staff": True, "is_superuser": superuser,
            "email": f"{username}@example.org",
        })
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(groups[group_names[role]])
        result.append((username, DEMO_PASSWORD))
    worker = Worker.objects.order_by("id").first()
    if worker is not None:
        user, created = User.objects.get_or_create(username="worker", defaults={
            "unit": None, "is_staff": False, "first_name": worker.name, "worker": worker})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        result.append(("worker", DEMO_PASSWORD))
    return result


def seed_member_service_requests(*, rng: random.Random) -> int:
    """MEM-5: a few member units' requests to the federation — one waiting, one answered, one
    closed with its outcome — so the demo shows the whole path."""
    from .member_resources import MEMBER_LEVELS
    from .models import MemberServiceRequest

    if MemberServiceRequest.objects.exists():
        return 0
    members = list(Unit.objects.filter(member_level__in=MEMBER_LEVELS, membership_status=Unit.MembershipStatus.ACTIVE,
                                       depth=3).order_by("path")[:12])
    if not members:
        return 0
    today = timezone.localdate()
    cases = [
        ("training_consulting", "一线职工安全生产培训方案", "希望市总推荐培训机构并协助设计年度培训方案", "open", "", ""),
        ("teacher_coordination", "数控车工高级技师授课", "需要两名数控车工高级技师为青年职工授课，每周一次",
         "answered", "已联系北京市职工大学，将推荐两名教师", ""),
        ("training_consulting", "职工书画兴趣班开设", "咨询职工书画兴趣班的课程设置与师资",
         "closed", "已提供课程菜单中的文化类课程", "已于上月开班，学员32人"),
    ]
    for kind, subject, need, status, answer, outcome in cases:
        starts = today + dt.timedelta(days=rng.randrange(10, 60))
        MemberServiceRequest.objects.create(
            unit=rng.choice(members), kind=kind, subject=subject, need=need, starts_on=starts,
            ends_on=starts + dt.timedelta(days=rng.randrange(7, 60)), status=status, answer=answer, outcome=outcome,
            answered_at=timezone.now() if answer else None, closed_at=timezone.now() if outcome else None)
    return len(cases)
