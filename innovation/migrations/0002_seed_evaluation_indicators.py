"""INN-4 评价指标: the indicators an achievement is evaluated against, with their weights. Municipal
staff change them in the admin; these are the starting set."""
from decimal import Decimal

from django.db import migrations

INDICATORS = [
    ("创新性", "技术或管理上的新颖程度与创造性", Decimal("30")),
    ("实用性", "解决生产实际问题的程度、可操作性", Decimal("25")),
    ("经济效益", "节约成本、增加效益（万元）的实际测算", Decimal("25")),
    ("推广价值", "在本单位及行业内推广应用的前景", Decimal("20")),
]


def seed(apps, schema_editor):
    EvaluationIndicator = apps.get_model("innovation", "EvaluationIndicator")
    for order, (name, description, weight) in enumerate(INDICATORS, start=1):
        EvaluationIndicator.objects.get_or_create(name=name, defaults={
            "description": description, "weight": weight, "order": order})


class Migration(migrations.Migration):
    dependencies = [("innovation", "0001_achievements_competitions_transfer_honours")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
