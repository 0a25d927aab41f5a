"""TAL-2: the skilled-talent database's xlsx export — ID numbers masked, birth dates never (only the
birth-year band), cells neutralised against formulas."""
from __future__ import annotations

from import_export import fields, resources

from core.identity import birth_year_band
from uploads.spreadsheets import NeutralisingResourceMixin

from .models import TalentRecord


class TalentRecordResource(NeutralisingResourceMixin, resources.ModelResource):
    name = fields.Field(attribute="worker__name", column_name="姓名")
    id_number = fields.Field(attribute="worker__id_number_masked", column_name="身份证号")
    birth_band = fields.Field(column_name="出生年段")
    unit_code = fields.Field(attribute="worker__unit__code", column_name="单位代码")
    unit_name = fields.Field(attribute="worker__unit__name", column_name="单位名称")
    district = fields.Field(attribute="worker__unit__district", column_name="所属区")
    industry = fields.Field(column_name="行业")
    occupation = fields.Field(attribute="occupation__name", column_name="职业")
    level = fields.Field(column_name="等级")
    number = fields.Field(attribute="number", column_name="证书编号")
    issuer = fields.Field(attribute="issuer", column_name="发证机构")
    issued_on = fields.Field(attribute="issued_on", column_name="发证日期")
    valid_until = fields.Field(attribute="valid_until", column_name="有效期至")

    class Meta:
        model = TalentRecord
        fields = ("name", "id_number", "birth_band", "unit_code", "unit_name", "district", "industry", "occupation",
                  "level", "number", "issuer", "issued_on", "valid_until")
        export_order = fields

    def dehydrate_birth_band(self, record):
        return birth_year_band(record.worker.birth_date)

    def dehydrate_industry(self, record):
        industry = record.worker.unit.industry
        return str(industry) if industry else ""

    def dehydrate_level(self, record):
        return record.get_level_display()
