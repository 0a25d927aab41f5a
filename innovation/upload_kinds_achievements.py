"""UPL-6 `achievements` (INN-4): 成果编码, 成果名称, 单位代码, 完成人身份证号, 完成人姓名, 成果类型, 年度,
评价等级. 成果编码 is unique city-wide; a team is several rows with the same 成果编码, one per member,
whose other cells agree (a row that disagrees with the team's first row is rejected). The unit lies in
the uploader's subtree; each member is a registry worker of that subtree under that name. Idempotent
on the code and the member: a re-upload changes nothing."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from membership.directory import WorkerDirectory
from membership.upload_kinds import ScopedUploadKind, UnitDirectory
from uploads import values
from uploads.kinds import NEW, REJECTED, UNCHANGED, UPDATED, Column, Row, register

from .models import Achievement, AchievementMember, Grade
from .services import achievements as services

KIND_WORDS = {
    "发明创造": Achievement.Kind.INVENTION, "技术革新": Achievement.Kind.TECHNICAL,
    "管理创新": Achievement.Kind.MANAGEMENT, "六小成果": Achievement.Kind.SMALLS, "其他": Achievement.Kind.OTHER,
}
GRADE_WORDS = {"优秀": Grade.EXCELLENT, "良好": Grade.GOOD, "合格": Grade.PASS, "不合格": Grade.FAIL}
# The cells every row of one team repeats, in column order, with the key each is cleaned into.
TEAM_CELLS = (("成果名称", "title"), ("单位代码", "unit_id"), ("成果类型", "kind"), ("年度", "year"),
              ("评价等级", "grade"))


@register
class AchievementKind(ScopedUploadKind):
    code = "achievements"
    label = gettext_lazy("Innovation achievements")
    permission = "innovation.add_achievement"
    key_column = "成果编码"
    columns = (
        Column("成果编码", "code", "必填，全市唯一的成果编码；同一成果的每位完成人各占一行，成果编码相同", "CX2013-0001", True),
        Column("成果名称", "title", "必填，不超过200字；同一成果编码的各行须一致；不能以 = + - @ 开头",
               "数控机床主轴热变形补偿装置", True, formula_guard=True),
        Column("单位代码", "unit_code", "必填，完成单位的统一社会信用代码或单位代码，须在本单位管辖范围内", "110105", True),
        Column("完成人身份证号", "id_number", "必填，完成人的18位身份证号（须已在本单位管辖范围的花名册中）；请将本列设为文本格式",
               "11010519491231002X", True, True),
        Column("完成人姓名", "name", "必填，须与花名册登记的姓名一致；不能以 = + - @ 开头", "张三", True, formula_guard=True),
        Column("成果类型", "kind", "必填：发明创造、技术革新、管理创新、六小成果、其他", "技术革新", True),
        Column("年度", "year", "必填，四位年份，如 2013", "2013", True),
        # Optional: the grade of an evaluation made outside the portal; a blank cell or a file
        # without the column keeps the grade stored (Column.optional, kept by the pipeline).
        Column("评价等级", "grade", "选填：优秀、良好、合格、不合格；留空或删去本列则保留系统中的评价结果", "优秀",
               optional=True),
    )
    compared = services.COMPARED

    def prepare(self) -> None:
        self.units = UnitDirectory(self.user)
        self.workers = WorkerDirectory(self.user, id_column="完成人身份证号", name_column="完成人姓名")
        self.this_year = timezone.localdate().year
        self.teams: dict[str, tuple[int, tuple]] = {}  # code → (first row's number, its team cells)
        self.orders: dict[str, int] = {}

    def clean(self, row: Row, cells: dict) -> None:
        data = row.data
        data["code"] = values.text(cells["code"]).replace(" ", "").upper()
        if not data["code"]:
            row.reject("成果编码", _("This cell must not be empty"))
        elif len(data["code"]) > 40:
            row.reject("成果编码", _("Longer than %(max)d characters") % {"max": 40})
        try:
            data["title"] = values.required_text(cells["title"], 200)
        except values.CellError as error:
            row.reject("成果名称", str(error))
        unit = self.units.resolve(row, "单位代码", cells["unit_code"])
        data["unit_id"] = unit[0] if unit else None
        data["digest"] = self.workers.key(row, cells["id_number"])
        try:
            data["name"] = values.required_text(cells["name"], 50)
        except values.CellError as error:
            row.reject("完成人姓名", str(error))
        data["kind"] = KIND_WORDS.get(values.text(cells["kind"]).replace(" ", ""))
        if data["kind"] is None:
            row.reject("成果类型", _("Write one of 发明创造、技术革新、管理创新、六小成果、其他"))
        try:
            data["year"] = values.non_negative_int(cells["year"], required=True)
            if not 1949 <= data["year"] <= self.this_year:
                row.reject("年度", _("The year lies between 1949 and %(year)d") % {"year": self.this_year})
        except values.CellError as error:
            row.reject("年度", str(error))
        word = values.text(cells["grade"]).replace(" ", "")
        data["grade"] = GRADE_WORDS.get(word, "") if word else ""
        if word and not data["grade"]:
            row.reject("评价等级", _("Write one of 优秀、良好、合格、不合格, or leave it empty"))
        if row.status != REJECTED:
            self._same_team_cells(row)

    def _same_team_cells(self, row: Row) -> None:
        """A team's rows repeat the achievement's cells: the first clean row of a code sets them, a
        later row that differs is rejected with the column and the row it contradicts."""
        cells = tuple(row.data[key] for _header, key in TEAM_CELLS)
        first = self.teams.setdefault(row.data["code"], (row.number, cells))
        if first[0] == row.number:
            self.orders[row.data["code"]] = 0
            row.data["order"] = 0
            return
        for (header, _key), mine, theirs in zip(TEAM_CELLS, cells, first[1]):
            if mine != theirs:
                row.reject(header, _("Differs from row %(row)d, which has the same 成果编码: every row of one "
                                     "achievement repeats its 成果名称, 单位代码, 成果类型, 年度 and 评价等级")
                           % {"row": first[0]})
                return
        self.orders[row.data["code"]] += 1
        row.data["order"] = self.orders[row.data["code"]]

    def natural_key(self, row: Row):
        return (row.data["code"], row.data["digest"])

    def classify(self, rows: list[Row]) -> None:
        self.workers.resolve(rows, key="digest", name="name", into="worker_id", unit_into="member_unit_id")
        live = [row for row in rows if row.status != REJECTED]
        codes = {row.data["code"] for row in live}
        existing = {found["code"]: found for found in Achievement.objects.filter(code__in=codes).values(
            "id", "code", "unit__path", *services.COMPARED)}
        members = set(AchievementMember.objects.filter(achievement__code__in=codes).values_list(
            "achievement__code", "worker_id"))
        for row in live:
            data = row.data
            found = existing.get(data["code"])
            if found is None:
                row.status = NEW
                continue
            if not self.units.in_scope(found["unit__path"]):
                row.reject("成果编码", _("This 成果编码 is registered by a unit outside the units you manage; "
                                     "成果编码 is unique city-wide"))
                continue
            # The pipeline keeps the stored 评价等级 for a blank or missing cell and settles the row;
            # settled() then writes down what changes and adds a new team member.
            row.existing = found["id"]
            row.stored = {name: found[name] for name in self.compared}
            data["new_member"] = (data["code"], data["worker_id"]) not in members

    def settled(self, rows: list[Row]) -> None:
        for row in rows:
            if row.stored is None or row.status not in (UPDATED, UNCHANGED):
                continue
            changes = {name: row.data[name] for name in self.compared if row.data[name] != row.stored[name]}
            if row.status == UNCHANGED and row.data["new_member"]:
                row.status = UPDATED  # the achievement's cells agree; the row adds a member to its team
            row.existing = (row.existing, changes)

    def write(self, rows: list[Row]) -> int:
        new, updated, seen = [], [], set()
        for row in rows:
            data = row.data
            if row.status == NEW and data["code"] not in seen:
                new.append(data)
            elif row.status == UPDATED and row.existing[1] and row.existing[0] not in seen:
                updated.append(row.existing)
            seen.add(data["code"] if row.status == NEW else row.existing[0])
        inserted = services.achievements_write(new=new, updated=updated, members=[
            {"code": row.data["code"], "worker_id": row.data["worker_id"], "unit_id": row.data["member_unit_id"],
             "order": row.data["order"]} for row in rows])
        written = 0
        for row in rows:
            if row.status == NEW and row.data["code"] not in inserted:
                row.reject("成果编码", _("Another upload registered this 成果编码 while this one was being written; "
                                     "upload this row again to check it"))
            else:
                written += 1
        return written
