"""UPL-6: the talent app's upload kinds — skill certificates, skills competitions and their results."""
from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from membership import scoping
from membership.directory import WorkerDirectory
from membership.models import Industry
from membership.upload_kinds import ScopedUploadKind, UnitDirectory
from uploads import bulk, values
from uploads.kinds import NEW, REJECTED, UNCHANGED, UPDATED, Column, Row, register

from .models import Competition, CompetitionLevel, CompetitionResult, Occupation, SkillCertificate
from .services import certificates as certificate_services
from .services import competitions as competition_services

# TAL-1: 等级 as the sheets write it — a digit, 一级…五级 (国家职业资格一级 …) or the level's name.
LEVEL_WORDS = {
    "高级技师": 1, "技师": 2, "高级工": 3, "中级工": 4, "初级工": 5,
    **{f"{digit}": level for level, digit in enumerate("12345", start=1)},
    **{f"{digit}级": level for level, digit in enumerate("12345", start=1)},
    **{f"{word}级": level for level, word in enumerate("一二三四五", start=1)},
    **{f"国家职业资格{word}级": level for level, word in enumerate("一二三四五", start=1)},
}
COMPETITION_LEVEL_WORDS = {
    "市级": CompetitionLevel.MUNICIPAL, "区级": CompetitionLevel.DISTRICT, "局级": CompetitionLevel.DISTRICT,
    "区级(局级)": CompetitionLevel.DISTRICT, "企业级": CompetitionLevel.ENTERPRISE,
}
_CODE_SPACES = re.compile(r"\s+")


def skill_level(value) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return LEVEL_WORDS.get(values.text(value).replace(" ", "").replace("（", "(").replace("）", ")"))


def _code(value) -> str:
    return _CODE_SPACES.sub("", values.text(value)).upper()


class _Occupations:
    """The occupation catalogue by name, loaded once per file."""

    def __init__(self):
        self.by_name = dict(Occupation.objects.values_list("name", "id"))

    def name_of(self, pk) -> str:
        """For the preview's list of changes: the occupation's name, not its id."""
        return next((name for name, found in self.by_name.items() if found == pk), str(pk))

    def resolve(self, row: Row, column: str, raw) -> int | None:
        name = values.text(raw).replace(" ", "")
        if not name:
            row.reject(column, _("This cell must not be empty"))
            return None
        found = self.by_name.get(name)
        if found is None:
            row.reject(column, _("%(name)s is not in the occupation catalogue; write the occupation's name as "
                                 "the 填写说明 sheet lists it") % {"name": name})
        return found


@register
class CertificateKind(ScopedUploadKind):
    code = "certificates"
    label = gettext_lazy("Skill certificates")
    permission = "talent.add_skillcertificate"
    key_column = "证书编号"
    columns = (
        Column("身份证号", "id_number", "必填，职工的18位身份证号（职工须已在花名册中）；请将本列设为文本格式", "11010519491231002X", True, True),
        Column("姓名", "name", "必填，须与花名册登记的姓名一致；不能以 = + - @ 开头", "张三", True, formula_guard=True),
        Column("职业", "occupation", "必填，国家职业资格目录中的职业名称，如 车工、焊工、维修电工、育婴员", "焊工", True),
        Column("等级", "level", "必填：1–5，或 一级…五级，或 高级技师、技师、高级工、中级工、初级工（1级/一级为高级技师）", "高级工", True),
        Column("证书编号", "number", "必填，全市唯一；再次上传同一编号即更新该证书", "1311000000123456", True),
        Column("发证机构", "issuer", "必填，不超过200字", "北京市职业技能鉴定指导中心", True),
        Column("发证日期", "issued_on", "必填，如 2012-06-30 或 2012/6/30，不能晚于今天", "2012-06-30", True),
        Column("有效期至", "valid_until", "选填，证书有效期的最后一天；新证书不填表示长期有效；再次上传时留空或删去本列，"
               "保留已登记的有效期", "", optional=True),
    )
    compared = certificate_services.CERTIFICATE_CHANGEABLE

    def prepare(self) -> None:
        self.workers = WorkerDirectory(self.user)
        self.in_scope = scoping.path_checker(self.user)
        self.occupations = _Occupations()
        self.today = timezone.localdate()

    def clean(self, row: Row, cells: dict) -> None:
        data = row.data
        data["digest"] = self.workers.key(row, cells["id_number"])
        try:
            data["name"] = values.required_text(cells["name"], 50)
        except values.CellError as error:
            row.reject("姓名", str(error))
        data["occupation_id"] = self.occupations.resolve(row, "职业", cells["occupation"])
        data["level"] = skill_level(cells["level"])
        if data["level"] is None:
            row.reject("等级", _("Write the level as 1–5, 一级…五级 or 高级技师、技师、高级工、中级工、初级工"))
        data["number"] = _code(cells["number"])
        if not data["number"]:
            row.reject("证书编号", _("This cell must not be empty"))
        elif len(data["number"]) > 64:
            row.reject("证书编号", _("Longer than %(max)d characters") % {"max": 64})
        try:
            data["issuer"] = values.required_text(cells["issuer"], 200)
        except values.CellError as error:
            row.reject("发证机构", str(error))
        try:
            data["issued_on"] = values.date(cells["issued_on"], required=True)
            if data["issued_on"] > self.today:
                row.reject("发证日期", _("The issue date lies in the future"))
        except values.CellError as error:
            row.reject("发证日期", str(error))
        try:
            data["valid_until"] = values.date(cells["valid_until"])
            if data["valid_until"] and data.get("issued_on") and data["valid_until"] < data["issued_on"]:
                row.reject("有效期至", _("The certificate cannot expire before it was issued"))
        except values.CellError as error:
            row.reject("有效期至", str(error))

    def natural_key(self, row: Row):
        return row.data["number"]

    def classify(self, rows: list[Row]) -> None:
        # MEM-4: one answer for "registered nowhere" and "registered elsewhere" (see WorkerDirectory).
        self.workers.resolve(rows, key="digest", name="name", into="worker_id")
        live = [row for row in rows if row.status != REJECTED]
        existing = {number: (pk, worker_id, path, tuple(current)) for number, pk, worker_id, path, *current
                    in bulk.fetch_by_keys(SkillCertificate, "number", [row.data["number"] for row in live],
                                          ("id", "worker_id", "unit__path", *self.compared))}
        for row in live:
            found = existing.get(row.data["number"])
            if found is None:
                row.status = NEW
                continue
            pk, worker_id, path, current = found
            if worker_id != row.data["worker_id"]:
                # TAL-1: a number is unique city-wide; whose it is stays unsaid (MEM-4).
                row.reject("证书编号", _("This certificate number is already registered to another worker"))
            elif not self.in_scope(path):
                row.reject("证书编号", _("This certificate was recorded by the worker's former unit; "
                                     "only that unit may change it"))
            else:
                # The pipeline keeps the stored 有效期至 for a blank or missing cell, then settles
                # the row UPDATED or UNCHANGED (Column.optional).
                row.existing = pk
                row.stored = dict(zip(self.compared, current))

    def display(self, name: str, value) -> str:
        if name == "occupation_id" and value is not None:
            return self.occupations.name_of(value)
        return super().display(name, value)

    def settled(self, rows: list[Row]) -> None:
        # A kept 有效期至 must still lie on or after the (possibly new) issue date.
        for row in rows:
            if row.status in (NEW, UPDATED) and row.data["valid_until"] and row.data["valid_until"] < row.data["issued_on"]:
                row.reject("有效期至", _("The certificate cannot expire before it was issued"))

    def write(self, rows: list[Row]) -> int:
        return certificate_services.skill_certificates_write(
            new=[row.data for row in rows if row.status == NEW],
            updated=[(row.existing, {name: row.data[name] for name in self.compared})
                     for row in rows if row.status == UPDATED],
            upload=self.upload)


@register
class CompetitionKind(ScopedUploadKind):
    code = "competitions"
    label = gettext_lazy("Skills competitions")
    permission = "talent.add_competition"
    key_column = "竞赛编码"
    columns = (
        Column("竞赛编码", "code", "必填，全市唯一，建议以主办单位代码开头，如 110108-2013-01；再次上传同一编码即更新该竞赛", "110108-2013-01", True),
        Column("竞赛名称", "name", "必填，不超过200字；不能以 = + - @ 开头", "海淀区职工数控技能大赛", True,
               formula_guard=True),
        Column("级别", "level", "必填：市级、区级、企业级", "区级", True),
        Column("主办单位代码", "organiser_code", "必填，主办单位的单位代码，须在本单位管辖范围内", "110108", True),
        Column("行业代码", "industry_code", "必填，GB/T 4754-2017 行业大类的两位代码，如 34（通用设备制造业）", "34", True),
        Column("职业", "occupation", "必填，国家职业资格目录中的职业名称", "数控车工", True),
        Column("年度", "year", "必填，四位年份，如 2013", "2013", True),
        Column("系列", "series", "选填，竞赛品牌系列，如 数控技能大赛、国际焊接对抗赛；再次上传时留空或删去本列，保留已登记的系列",
               "数控技能大赛", optional=True),
    )
    compared = competition_services.COMPETITION_CHANGEABLE

    def prepare(self) -> None:
        self.units = UnitDirectory(self.user)
        self.in_scope = scoping.path_checker(self.user)
        self.occupations = _Occupations()
        self.industries = dict(Industry.objects.filter(section__isnull=False).values_list("code", "id"))
        self.this_year = timezone.localdate().year

    def clean(self, row: Row, cells: dict) -> None:
        data = row.data
        data["code"] = _code(cells["code"])
        if not data["code"]:
            row.reject("竞赛编码", _("This cell must not be empty"))
        elif len(data["code"]) > 40:
            row.reject("竞赛编码", _("Longer than %(max)d characters") % {"max": 40})
        try:
            data["name"] = values.required_text(cells["name"], 200)
        except values.CellError as error:
            row.reject("竞赛名称", str(error))
        data["level"] = COMPETITION_LEVEL_WORDS.get(values.text(cells["level"]).replace(" ", "").replace("（", "(")
                                                    .replace("）", ")"))
        if data["level"] is None:
            row.reject("级别", _("Write one of 市级、区级、企业级"))
        found = self.units.resolve(row, "主办单位代码", cells["organiser_code"])
        data["organiser_id"] = found[0] if found else None
        industry = _code(cells["industry_code"])
        if industry.isdigit() and len(industry) == 1:
            industry = "0" + industry
        data["industry_id"] = self.industries.get(industry)
        if data["industry_id"] is None:
            row.reject("行业代码", _("%(code)s is not a two-digit industry division of GB/T 4754-2017")
                       % {"code": industry or "—"})
        data["occupation_id"] = self.occupations.resolve(row, "职业", cells["occupation"])
        try:
            data["year"] = values.non_negative_int(cells["year"], required=True)
            if not 1949 <= data["year"] <= self.this_year + 1:
                row.reject("年度", _("Write a four-digit year up to next year, e.g. 2013"))
        except values.CellError:
            row.reject("年度", _("Write a four-digit year up to next year, e.g. 2013"))
        try:
            data["series"] = values.optional_text(cells["series"], 100)
        except values.CellError as error:
            row.reject("系列", str(error))

    def natural_key(self, row: Row):
        return row.data["code"]

    def classify(self, rows: list[Row]) -> None:
        existing = {code: (pk, path, tuple(current)) for code, pk, path, *current in bulk.fetch_by_keys(
            Competition, "code", [row.data["code"] for row in rows], ("id", "organiser__path", *self.compared))}
        for row in rows:
            found = existing.get(row.data["code"])
            if found is None:
                row.status = NEW
            elif not self.in_scope(found[1]):
                row.reject("竞赛编码", _("Another unit's competition already has this code; prefix the code "
                                     "with your organiser's unit code"))
            else:
                # The pipeline keeps the stored 系列 for a blank or missing cell (Column.optional).
                row.existing = found[0]
                row.stored = dict(zip(self.compared, found[2]))

    def display(self, name: str, value) -> str:
        if name == "occupation_id" and value is not None:
            return self.occupations.name_of(value)
        if name == "industry_id" and value is not None:
            return next((code for code, found in self.industries.items() if found == value), str(value))
        return super().display(name, value)

    def write(self, rows: list[Row]) -> int:
        return competition_services.competitions_write(
            new=[row.data for row in rows if row.status == NEW],
            updated=[(row.existing, {name: row.data[name] for name in self.compared})
                     for row in rows if row.status == UPDATED],
            upload=self.upload)


@register
class CompetitionResultKind(ScopedUploadKind):
    code = "competition_results"
    label = gettext_lazy("Competition results")
    permission = "talent.add_competitionresult"
    key_column = "身份证号"
    columns = (
        Column("竞赛编码", "competition_code", "必填，已上传的竞赛的编码，主办单位须在本单位管辖范围内", "110108-2013-01", True),
        Column("身份证号", "id_number", "必填，参赛职工的18位身份证号（职工须已在本单位管辖范围内的花名册中）；请将本列设为文本格式", "11010519491231002X", True, True),
        Column("姓名", "name", "必填，须与花名册登记的姓名一致；不能以 = + - @ 开头", "张三", True, formula_guard=True),
        Column("名次", "rank", "选填，正整数，如 1", "1"),
        Column("奖项", "award", "选填，如 一等奖、二等奖、三等奖、优秀奖；市级一、二、三等奖可获晋升高一级职业资格的推荐", "一等奖"),
    )
    compared = competition_services.RESULT_CHANGEABLE

    def prepare(self) -> None:
        self.workers = WorkerDirectory(self.user)
        self.in_scope = scoping.path_checker(self.user)

    def clean(self, row: Row, cells: dict) -> None:
        data = row.data
        data["competition_code"] = _code(cells["competition_code"])
        if not data["competition_code"]:
            row.reject("竞赛编码", _("This cell must not be empty"))
        data["digest"] = self.workers.key(row, cells["id_number"])
        try:
            data["name"] = values.required_text(cells["name"], 50)
        except values.CellError as error:
            row.reject("姓名", str(error))
        try:
            data["rank"] = values.non_negative_int(cells["rank"])
            if data["rank"] == 0:
                raise values.CellError(_("The rank is a whole number from 1"))
        except values.CellError:
            row.reject("名次", _("The rank is a whole number from 1"))
        try:
            data["award"] = values.optional_text(cells["award"], 50)
        except values.CellError as error:
            row.reject("奖项", str(error))

    def natural_key(self, row: Row):
        return (row.data["competition_code"], row.data["digest"])

    def classify(self, rows: list[Row]) -> None:
        competitions = {code: (pk, path) for code, pk, path in bulk.fetch_by_keys(
            Competition, "code", list({row.data["competition_code"] for row in rows}), ("id", "organiser__path"))}
        for row in rows:
            found = competitions.get(row.data["competition_code"])
            if found is None:
                row.reject("竞赛编码", _("No competition has the code %(code)s; upload the competition first")
                           % {"code": row.data["competition_code"]})
            elif not self.in_scope(found[1]):
                row.reject("竞赛编码", _("Competition %(code)s is organised outside the units you manage")
                           % {"code": row.data["competition_code"]})
            else:
                row.data["competition_id"] = found[0]
        live = [row for row in rows if row.status != REJECTED]
        self.workers.resolve(live, key="digest", name="name", into="worker_id")
        live = [row for row in live if row.status != REJECTED]
        existing = {}
        if live:
            competition_ids = {row.data["competition_id"] for row in live}
            worker_ids = {row.data["worker_id"] for row in live}
            for pk, competition_id, worker_id, *current in CompetitionResult.objects.filter(
                    competition_id__in=competition_ids, worker_id__in=worker_ids).values_list(
                    "id", "competition_id", "worker_id", *self.compared):
                existing[(competition_id, worker_id)] = (pk, tuple(current))
        for row in live:
            found = existing.get((row.data["competition_id"], row.data["worker_id"]))
            if found is None:
                row.status = NEW
                continue
            row.existing = found[0]
            incoming = tuple(row.data[name] for name in self.compared)
            row.status = UNCHANGED if incoming == found[1] else UPDATED

    def write(self, rows: list[Row]) -> int:
        return competition_services.competition_results_write(
            new=[row.data for row in rows if row.status == NEW],
            updated=[(row.existing, {name: row.data[name] for name in self.compared})
                     for row in rows if row.status == UPDATED],
            upload=self.upload)

