"""django-import-export resources: the declared columns of list exports (masked, neutralised)."""
from __future__ import annotations

from import_export import fields, resources

from uploads.spreadsheets import NeutralisingResourceMixin

from .models import Unit, Worker


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


class WorkerResource(NeutralisingResourceMixin, resources.ModelResource):
    name = fields.Field(attribute="name", column_name="姓名")
    id_number = fields.Field(attribute="id_number_masked", column_name="身份证号")
    unit_code = fields.Field(attribute="unit__code", column_name="单位代码")
    unit_name = fields.Field(attribute="unit__name", column_name="单位名称")
    post = fields.Field(attribute="post", column_name="岗位")
    is_frontline = fields.Field(column_name="一线职工")
    is_migrant = fields.Field(column_name="农民工")
    is_needy = fields.Field(column_name="困难职工")
    education = fields.Field(column_name="文化程度")
    phone = fields.Field(attribute="phone", column_name="手机号码")
    joined_union_on = fields.Field(attribute="joined_union_on", column_name="入会日期")

    class Meta:
        model = Worker
        fields = ("name", "id_number", "unit_code", "unit_name", "post", "is_frontline", "is_migrant",
                  "is_needy", "education", "phone", "joined_union_on")
        export_order = fields

    def dehydrate_is_frontline(self, worker):
        return _yes_no(worker.is_frontline)

    def dehydrate_is_migrant(self, worker):
        return _yes_no(worker.is_migrant)

    def dehydrate_is_needy(self, worker):
        return _yes_no(worker.is_needy)

    def dehydrate_education(self, worker):
        return worker.get_education_display() if worker.education else ""


class UnitResource(NeutralisingResourceMixin, resources.ModelResource):
    name = fields.Field(attribute="name", column_name="单位名称")
    code = fields.Field(attribute="code", column_name="单位代码")
    kind = fields.Field(column_name="单位类型")
    industry = fields.Field(attribute="industry__code", column_name="行业代码")
    district = fields.Field(attribute="district", column_name="所属区")
    worker_count = fields.Field(attribute="worker_count", column_name="职工人数")

    class Meta:
        model = Unit
        fields = ("name", "code", "kind", "industry", "district", "worker_count")
        export_order = fields

    def dehydrate_kind(self, unit):
        return unit.get_kind_display()
