"""UPL-6: enterprises' training-fund returns (MEM-6) and units' learning-organisation statuses."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from membership.models import Unit
from membership.upload_kinds import ScopedUploadKind, UnitDirectory
from uploads import values
from uploads.kinds import NEW, REJECTED, UNCHANGED, UPDATED, Column, Row, register

from . import services
from .models import FundsReturn, LearningOrgStatus

STATUS_WORDS = {"创建中": LearningOrgStatus.Status.BUILDING, "已命名": LearningOrgStatus.Status.NAMED,
                "已撤销": LearningOrgStatus.Status.REVOKED}
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(row: Row, column: str, raw) -> int | None:
    try:
        year = int(Decimal(values.text(raw) or "x"))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidOperation
        return year
    except (InvalidOperation, ValueError):
        row.reject(column, _("Write the year as four digits, e.g. 2012"))
        return None


def _money(row: Row, column: str, raw) -> Decimal | None:
    """万元, at most four decimals (one yuan), not negative; "1,234.5" and full-width digits too."""
    text = values.text(raw).replace(",", "").replace("，", "")
    try:
        amount = Decimal(text or "x")
        if amount < 0 or not amount.is_finite() or amount.as_tuple().exponent < -4 or amount >= Decimal(10) ** 10:
            raise InvalidOperation
        return amount
    except (InvalidOperation, ValueError):
        row.reject(column, _("Write an amount in 10,000 yuan, not negative, at most four decimals, e.g. 125.5"))
        return None


@register
class FundsKind(ScopedUploadKind):
    code = "funds"
    label = gettext_lazy("Training-fund returns")
    permission = "reporting.add_fundsreturn"
    key_column = "统一社会信用代码"
    columns = (
        Column("统一社会信用代码", "unit_code", "必填，企业工会的单位代码（统一社会信用代码），须在本单位管辖范围内", "91110105MA01ABCD2X", True),
        Column("年度", "year", "必填，四位年份", "2012", True),
        Column("工资总额(万元)", "payroll", "必填，单位：万元，最多四位小数", "5000", True),
        Column("提取金额(万元)", "extracted", "必填，单位：万元；按规定不低于工资总额的1.5%", "80", True),
        Column("使用金额(万元)", "spent", "必填，单位：万元", "70", True),
        Column("一线职工使用金额(万元)", "frontline", "必填，单位：万元，不能超过使用金额；按规定不低于60%", "45", True),
    )
    compared = ("payroll", "extracted", "spent", "frontline")

    def prepare(self) -> None:
        self.units = UnitDirectory(self.user)
        self.enterprise_ids = set(Unit.objects.filter(kind=Unit.Kind.ENTERPRISE_UNION).values_list("id", flat=True))

    def clean(self, row: Row, cells: dict) -> None:
        data = row.data
        found = self.units.resolve(row, "统一社会信用代码", cells["unit_code"])
        if found is not None:
            if found[0] not in self.enterprise_ids:
                row.reject("统一社会信用代码", _("Training-fund returns are made by enterprise unions; this unit is not one"))
            data["unit_id"] = found[0]
        data["year"] = _year(row, "年度", cells["year"])
        for key, column in (("payroll", "工资总额(万元)"), ("extracted", "提取金额(万元)"), ("spent", "使用金额(万元)"),
                            ("frontline", "一线职工使用金额(万元)")):
            data[key] = _money(row, column, cells[key])
        if data["spent"] is not None and data["frontline"] is not None and data["frontline"] > data["spent"]:
            row.reject("一线职工使用金额(万元)", _("Front-line spending cannot exceed the amount spent"))

    def natural_key(self, row: Row):
        return (row.data["unit_id"], row.data["year"])

    def classify(self, rows: list[Row]) -> None:
        live = [row for row in rows if row.status != REJECTED]
        existing = {}
        for pk, unit_id, year, *current in FundsReturn.objects.filter(
                unit_id__in={row.data["unit_id"] for row in live}).values_list("id", "unit_id", "year", *self.compared):
            existing[(unit_id, year)] = (pk, tuple(current))
        for row in live:
            found = existing.get(self.natural_key(row))
            if found is None:
                row.status = NEW
                continue
            row.existing = found[0]
            incoming = tuple(row.data[name] for name in self.compared)
            row.status = UNCHANGED if incoming == found[1] else UPDATED

    def write(self, rows: list[Row]) -> int:
        return services.funds_returns_write(
            new=[row.data for row in rows if row.status == NEW],
            updated=[(row.existing, {name: row.data[name] for name in self.compared}) for row in rows if row.status == UPDATED],
            upload=self.upload)


@register
class LearningOrgKind(ScopedUploadKind):
    code = "learning_orgs"
    label = gettext_lazy("Learning organisations")
    permission = "reporting.add_learningorgstatus"
    key_column = "单位代码"
    columns = (
        Column("单位代码", "unit_code", "必填，单位代码，须在本单位管辖范围内", "110105001", True),
        Column("年度", "year", "必填，四位年份", "2012", True),
        Column("创建状态", "status", "必填：创建中、已命名、已撤销", "已命名", True),
    )

    def prepare(self) -> None:
        self.units = UnitDirectory(self.user)

    def clean(self, row: Row, cells: dict) -> None:
        found = self.units.resolve(row, "单位代码", cells["unit_code"])
        row.data["unit_id"] = found[0] if found else None
        row.data["year"] = _year(row, "年度", cells["year"])
        row.data["status"] = STATUS_WORDS.get(values.text(cells["status"]).replace(" ", ""))
        if row.data["status"] is None:
            row.reject("创建状态", _("Write one of 创建中、已命名、已撤销"))

    def natural_key(self, row: Row):
        return (row.data["unit_id"], row.data["year"])

    def classify(self, rows: list[Row]) -> None:
        live = [row for row in rows if row.status != REJECTED]
        existing = {(unit_id, year): (pk, status) for pk, unit_id, year, status in LearningOrgStatus.objects.filter(
            unit_id__in={row.data["unit_id"] for row in live}).values_list("id", "unit_id", "year", "status")}
        for row in live:
            found = existing.get(self.natural_key(row))
            if found is None:
                row.status = NEW
            else:
                row.existing = found[0]
                row.status = UNCHANGED if found[1] == row.data["status"] else UPDATED

    def write(self, rows: list[Row]) -> int:
        return services.learning_org_statuses_write(
            new=[row.data for row in rows if row.status == NEW],
            updated=[(row.existing, row.data["status"]) for row in rows if row.status == UPDATED],
            upload=self.upload)
