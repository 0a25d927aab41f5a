"""TAL-1: the occupations of the national catalogue (国家职业资格目录) that certificates name."""
from django.db import migrations

OCCUPATIONS = [
    "车工", "铣工", "钳工", "磨工", "焊工", "电工", "维修电工", "数控车工", "数控铣工", "加工中心操作工",
    "汽车维修工", "汽车驾驶员", "育婴员", "养老护理员", "家政服务员", "保育员", "中式烹调师", "中式面点师",
    "西式烹调师", "餐厅服务员", "保安员", "电梯安装维修工", "锅炉操作工", "制冷空调系统安装维修工",
    "仪器仪表维修工", "电子仪器仪表装配工", "计算机操作员", "网络管理员", "程序员", "美发师", "美容师",
    "茶艺师", "物流师", "仓储管理员", "收银员", "营销员", "眼镜验光员", "钢筋工", "砌筑工", "混凝土工",
    "架子工", "防水工", "装饰装修工", "管工", "起重装卸机械操作工", "化学检验员", "药物制剂工", "印刷操作员",
    "服装制版师", "缝纫工", "园林绿化工", "农业技术员", "评茶员", "健身教练", "心理咨询师", "企业人力资源管理师",
]


def seed(apps, schema_editor):
    Occupation = apps.get_model("talent", "Occupation")
    Occupation.objects.bulk_create([Occupation(name=name) for name in OCCUPATIONS], ignore_conflicts=True)


def unseed(apps, schema_editor):
    apps.get_model("talent", "Occupation").objects.filter(name__in=OCCUPATIONS, certificates__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_certificates_and_occupations")]
    operations = [migrations.RunPython(seed, unseed)]
