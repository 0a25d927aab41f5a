"""TAL-6: the fast track's qualifying awards (一、二、三等奖 at 市级); EDU-9: the credit rule for
skill certificates (municipal staff edit both in the admin)."""
import datetime as dt
from decimal import Decimal

from django.db import migrations

AWARDS = ["一等奖", "二等奖", "三等奖"]


def seed(apps, schema_editor):
    QualifyingAward = apps.get_model("talent", "QualifyingAward")
    QualifyingAward.objects.bulk_create([QualifyingAward(level="municipal", award=award) for award in AWARDS],
                                        ignore_conflicts=True)
    CreditRule = apps.get_model("courses", "CreditRule")
    if not CreditRule.objects.filter(source="certificate").exists():
        CreditRule.objects.create(source="certificate", credits_each=Decimal(4), valid_from=dt.date(2013, 1, 1),
                                  cap_per_year=Decimal(8), note="取得职业资格证书每本计4学分")


def unseed(apps, schema_editor):
    apps.get_model("talent", "QualifyingAward").objects.filter(level="municipal", award__in=AWARDS).delete()


class Migration(migrations.Migration):
    dependencies = [("talent", "0004_competitions_results_fast_track"), ("courses", "0007_seed_credit_rules")]
    operations = [migrations.RunPython(seed, unseed)]
