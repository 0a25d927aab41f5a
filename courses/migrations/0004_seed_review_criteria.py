"""EDU-5: the committee's default criteria; municipal staff edit them in the admin."""
from django.db import migrations

CRITERIA = [
    ("课程目标与岗位需求的契合度", "是否针对岗位实际需要，目标明确", 20),
    ("内容的科学性与实用性", "内容准确、规范，具有推广价值", 30),
    ("教学设计与方法", "模块划分合理，理论与实操结合", 20),
    ("师资与教学条件", "师资资质、场地设备是否满足教学", 15),
    ("考核评价方式", "考核方式科学，结果可追溯", 15),
]


def seed(apps, schema_editor):
    ReviewCriterion = apps.get_model("courses", "ReviewCriterion")
    if ReviewCriterion.objects.exists():
        return
    for order, (name, description, max_score) in enumerate(CRITERIA):
        ReviewCriterion.objects.create(name=name, description=description, max_score=max_score, order=order)


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_course_review_committee")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
