"""The plan 首都职工素质建设工程 (2010–2013) with its indicators and targets as data (issue 11), and the
nightly run's schedule (02:00 Asia/Shanghai) as a django-celery-beat periodic task staff can change."""
from decimal import Decimal

from django.db import migrations

PLAN = "首都职工素质建设工程"
YEARS = range(2010, 2014)
# code, name, measure, (comparison, low, high) or None, target years ("each" or 2013)
INDICATORS = [
    ("IND-STUDIOS", "市级职工创新工作室", "count", ("gte", "50", None), "2013"),
    ("IND-BASES", "市级高技能人才示范基地", "count", ("gte", "30", None), "2013"),
    ("IND-COMP-INDUSTRIES", "职业技能大赛覆盖行业", "count", ("gte", "30", None), "each"),
    ("IND-EXCELLENT-ACHIEVEMENTS", "职工优秀创新成果", "count", ("gt", "1000", None), "each"),
    ("IND-HIGH-SKILL-SHARE", "高技能人才占技能人才比例", "percent", ("gt", "20", None), "each"),
    ("IND-TECHNICIAN-SHARE", "技师、高级技师的比例", "percent", ("gt", "5", None), "each"),
    ("IND-TRAINED-SHARE", "接受更新知识教育、参加技能培训的职工", "percent", ("gte", "50", None), "each"),
    ("IND-LEARNING-ORG-RATE", "学习型组织创建率", "percent", ("gte", "80", None), "each"),
    ("IND-CAMPAIGN-COVERAGE", "“创建学习型组织、争做知识型职工”活动覆盖全市", "percent", ("gte", "100", None), "each"),
    ("IND-TEACHERS", "优秀教师队伍", "count", ("range", "500", "1000"), "2013"),
    ("IND-CREDIT-PILOTS", "学分银行试点企业", "count", ("range", "1", "2"), "each"),
    ("IND-FUND-EXTRACTION", "足额提取职工培训教育经费", "percent", None, ""),
    ("IND-FUND-FRONTLINE", "60%用于一线职工", "percent", ("gte", "60", None), "each"),
    ("IND-PROPOSAL-ADOPTION", "合理化建议采纳率", "percent", None, ""),
    ("IND-PROPOSAL-IMPLEMENTATION", "合理化建议实施率", "percent", None, ""),
]
NIGHTLY = "指标夜间计算"


def seed(apps, schema_editor):
    Plan = apps.get_model("reporting", "Plan")
    Indicator = apps.get_model("reporting", "Indicator")
    Target = apps.get_model("reporting", "Target")
    plan, _ = Plan.objects.get_or_create(name=PLAN, defaults={"start_year": 2010, "end_year": 2013})
    for position, (code, name, measure, target, years) in enumerate(INDICATORS, start=1):
        indicator, _ = Indicator.objects.get_or_create(
            plan=plan, code=code, defaults={"name": name, "formula": code, "measure": measure, "position": position})
        if target is None:
            continue
        comparison, low, high = target
        for year in (YEARS if years == "each" else [int(years)]):
            Target.objects.get_or_create(indicator=indicator, year=year, unit=None, defaults={
                "comparison": comparison, "low": Decimal(low), "high": Decimal(high) if high else None})

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai")
    PeriodicTask.objects.get_or_create(name=NIGHTLY, defaults={
        "task": "reporting.tasks.indicators_compute_task", "crontab": crontab, "enabled": True,
        # A nightly run still undelivered six hours later is dropped: the next night's takes over.
        "expire_seconds": 6 * 3600,
        "description": "每晚 02:00（北京时间）重新计算全部指标；工作人员可在此修改时间或暂停。"})


def unseed(apps, schema_editor):
    apps.get_model("reporting", "Plan").objects.filter(name=PLAN).delete()
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NIGHTLY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
