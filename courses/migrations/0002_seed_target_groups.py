"""EDU-1 and 三(一)4: the target groups the plan names."""
from django.db import migrations

GROUPS = [
    ("frontline", "一线职工"), ("migrant", "农民工"), ("carer", "护工"), ("domestic", "家政服务员"),
    ("needy", "困难职工及其子女"), ("manager", "管理人员"), ("technical", "专业技术人员"), ("all", "全体职工"),
]


def seed(apps, schema_editor):
    TargetGroup = apps.get_model("courses", "TargetGroup")
    for order, (code, name) in enumerate(GROUPS):
        TargetGroup.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_courses_classes_enrolment")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
