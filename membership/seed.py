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
    groups = {}
    for role, name in names.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for code in declared.get(role, []):
            app_label, codename = code.split(".")
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
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


ENTERPRISE_WORDS = ["精密机械", "建工", "电子科技", "物流", "食品", "医药", "软件", "环保", "装备", "能源", "汽车零部件", "印刷"]
STREET_WORDS = ["建国门", "和平里", "望京", "中关村", "八角", "永定", "新华", "城关"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海燕"
POSTS = ["焊工", "车工", "钳工", "电工", "数控操作工", "质检员", "仓储员", "护工", "家政服务员", "司机", "技术员", "会计"]
DEMO_PASSWORD = "Beijing-2026"


def seed_demo(*, workers: int, seed: int, units_per_level1: int = 6) -> dict:
    rng = random.Random(seed)
    seed_unit_tree()
    groups = seed_groups()
    divisions = list(Industry.objects.filter(section__isnull=False).values_list("id", flat=True))
    level1 = list(Unit.objects.filter(depth=2).order_by("path"))
    level2: list[Unit] = list(Unit.objects.filter(depth=3))
    if not level2:
        for index, parent in enumerate(level1):
            region = parent.code if parent.code.isdigit() else "110115"
            for number in range(units_per_level1):
                street = number == 0 and parent.kind == Unit.Kind.DISTRICT
                body = f"MA{index:02d}{number:02d}{rng.randrange(16**3):03X}"[:9]
                code = make_credit_code("81" if street else "91", region, body)
                name = (f"{parent.district}{rng.choice(STREET_WORDS)}街道工会联合会" if street
                        else f"北京{rng.choice(ENTERPRISE_WORDS)}{rng.choice(['有限公司', '股份有限公司', '集团'])}{index}{number}工会")
                parent.refresh_from_db()
                level2.append(services.unit_create(
                    parent=parent, code=code, name=name,
                    kind=Unit.Kind.STREET_UNION if street else Unit.Kind.ENTERPRISE_UNION,
                    industry_id=rng.choice(divisions), worker_count=rng.randrange(20, 3000),
                    # 会员制: most units below a level-1 union are level-2 members; a few are not (yet)
                    # or are suspended, so the member-only resources have someone to refuse.
                    membership_status=_seed_membership_status(rng, first=number == 0),
                ))
    created = seed_workers(count=workers, units=level2, rng=rng)
    users = seed_users(groups=groups)
    return {"units": Unit.objects.count(), "workers_created": created, "users": users}


def _seed_membership_status(rng: random.Random, *, first: bool) -> str:
    draw = rng.random()
    if first or draw < 0.85:
        return Unit.MembershipStatus.ACTIVE
    return Unit.MembershipStatus.NONE if draw < 0.95 else Unit.MembershipStatus.SUSPENDED


def seed_workers(*, count: int, units: list[Unit], rng: random.Random) -> int:
    """Bulk, through the same COPY path as uploads: a million workers take a minute, not hours."""
    id_fields = worker_id_fields_builder()
    existing = set(Worker.objects.values_list("id_number_digest", flat=True)) if Worker.objects.exists() else set()
    now = timezone.now()
    unit_regions = [(unit.pk, unit.code[2:8] if len(unit.code) == 18 else "110105") for unit in units]
    fields = ("name", "id_number_encrypted", "id_number_digest", "id_number_masked", "birth_date", "sex", "unit",
              "post", "is_frontline", "is_migrant", "is_needy", "education", "phone", "joined_union_on",
              "created_at", "updated_at")
    educations = [c for c, _ in Worker.Education.choices]
    # ID numbers are unique by (birth date, sequence) alone: index -> (a permutation of 14,000
    # birth dates, then the sequence), so none repeats below 14 million workers.
    start = dt.date(1965, 1, 1)
    created = 0
    batch = []
    for index in range(count):
        unit_id, region = unit_regions[index % len(unit_regions)]
        birth = start + dt.timedelta(days=(index * 7919) % 14000)
        number = make_id_number(region, birth, index // 14000 + 1)
        derived = id_fields(number)
        if derived["id_number_digest"] in existing:
            continue
        existing.add(derived["id_number_digest"])
        batch.append((
            rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else ""),
            *(derived[field] for field in fields[1:6]), unit_id, rng.choice(POSTS),
            rng.random() < 0.6, rng.random() < 0.25, rng.random() < 0.05, rng.choice(educations),
            f"13{rng.randrange(10**9):09d}", birth.replace(year=birth.year + 22) if birth.month != 2 or birth.day != 29 else None,
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
