"""EDU-9: starting equivalence rules; municipal staff change them in the admin (a new rule with a
later start date, so credits already earned keep the rule of their day)."""
import datetime as dt
from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    CreditRule = apps.get_model("courses", "CreditRule")
    if CreditRule.objects.exists():
        return
    start = dt.date(2013, 1, 1)
    CreditRule.objects.create(source="course", use_course_credits=True, valid_from=start, cap_per_year=Decimal(30),
                              note="课程菜单中的课程按课程学分计")
    CreditRule.objects.create(source="training", credits_per_hour=Decimal("0.125"), valid_from=start,
                              cap_per_year=Decimal(20), note="企业自主培训每8学时计1学分")
    CreditRule.objects.create(source="activity", credits_each=Decimal("0.5"), valid_from=start, cap_per_year=Decimal(5),
                              note="主题教育、文化活动每次0.5学分")


class Migration(migrations.Migration):
    dependencies = [("courses", "0006_credit_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
