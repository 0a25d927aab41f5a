"""UPL-6: training and education completions from enterprises' own training."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from membership import scoping
from membership.directory import WorkerDirectory
from membership.upload_kinds import ScopedUploadKind
from uploads import values
from uploads.kinds import NEW, REJECTED, UPDATED, Column, Row, register

from . import services
from .models import Course, TrainingRecord

KIND_WORDS = {
    "更新知识教育": TrainingRecord.Kind.KNOWLEDGE_UPDATE, "知识更新": TrainingRecord.Kind.KNOWLEDGE_UPDATE,
    "继续教育": TrainingRecord.Kind.KNOWLEDGE_UPDATE, "技能培训": TrainingRecord.Kind.SKILLS,
    "职业技能培训": TrainingRecord.Kind.SKILLS, "岗位培训": TrainingRecord.Kind.JOB, "安全培训": TrainingRecord.Kind.SAFETY,
    "学历教育": TrainingRecord.Kind.ACADEMIC, "其他": TrainingRecord.Kind.OTHER,
}


@register
class TrainingKind(ScopedUploadKind):
    code = "training"
    label = gettext_lazy("Training completions")
    permission = "courses.add_trainingrecord"
    key_column = "身份证号"
    columns = (
        Column("身份证号", "id_number", "必填，职工的18位身份证号（职工须已在花名册中）；请将本列设为文本格式", "11010519491231002X", True, True),
        Column("姓名", "name", "必填，须与花名册登记的姓名一致", "张三", True, formula_guard=True),
        Column("课程编码", "course_code", "选填，课程菜单中的课程编码；填写后培训项目名称可留空", "KC20260001"),
        Column("培训项目名称", "project", "未填课程编码时必填，不超过200字；不能以 = + - @ 开头", "数控车床操作提升班",
               formula_guard=True),
        Column("培训类型", "kind", "必填：更新知识教育、技能培训、岗位培训、安全培训、学历教育、其他", "技能培训", True),
        Column("学时", "hours", "必填，大于0，可有一位小数", "16", True),
        Column("完成日期", "completed_on", "必填，如 2024-06-30 或 2024/6/30，不能晚于今天", "2024-06-30", True),
        Column("成绩", "result", "选填：分数或 合格/优秀 等，不超过20字", "合格", optional=True),
        Column("培训机构", "institution", "选填，不超过200字", "北京市职工大学", optional=True),
    )
    compared = ("course_id", "kind", "hours", "result", "institution")

    def prepare(self) -> None:
        self.workers = WorkerDirectory(self.user)
        self.in_scope = scoping.path_checker(self.user)
        # EDU-5: a row may name a published course, or any course of the uploader's own units; a
        # draft elsewhere is as unknown as a code that does not exist (its title is unpublished).
        nameable = Course.objects.published() | scoping.visible_to(Course.objects.all(), self.user)
        self.courses, self.course_titles = {}, {}
        for code, pk, title in nameable.values_list("code", "id", "title"):
            self.courses[code], self.course_titles[code] = pk, title
        self.today = timezone.localdate()

    def clean(self, row: Row, cells: dict) -> None:
        data = row.data
        data["digest"] = self.workers.key(row, cells["id_number"])
        try:
            data["name"] = values.required_text(cells["name"], 50)
        except values.CellError as error:
            row.reject("姓名", str(error))
        code = values.text(cells["course_code"]).replace(" ", "").upper()
        data["course_id"] = None
        if code:
            data["course_id"] = self.courses.get(code)
            if data["course_id"] is None:
                row.reject("课程编码", _("No course has the code %(code)s") % {"code": code})
        try:
            data["project"] = values.optional_text(cells["project"], 200) or self.course_titles.get(code, "")
            if not data["project"]:
                raise values.CellError(_("Give the training project's name, or a course code"))
        except values.CellError as error:
            row.reject("培训项目名称", str(error))
        data["kind"] = KIND_WORDS.get(values.text(cells["kind"]).replace(" ", ""))
        if data["kind"] is None:
            row.reject("培训类型", _("Write one of 更新知识教育、技能培训、岗位培训、安全培训、学历教育、其他"))
        try:
            hours = Decimal(values.text(cells["hours"]) or "x")
            if not (Decimal(0) < hours <= Decimal(2000)) or hours.as_tuple().exponent < -1:
                raise InvalidOperation
            data["hours"] = hours
        except (InvalidOperation, ValueError):
            row.reject("学时", _("Hours are a number above 0 with at most one decimal, e.g. 16 or 2.5"))
        try:
            data["completed_on"] = values.date(cells["completed_on"], required=True)
            if data["completed_on"] > self.today:
                row.reject("完成日期", _("The completion date lies in the future"))
        except values.CellError as error:
            row.reject("完成日期", str(error))
        try:
            data["result"] = values.optional_text(cells["result"], 20)
            data["institution"] = values.optional_text(cells["institution"], 200)
        except values.CellError as error:
            row.reject("成绩", str(error))

    def natural_key(self, row: Row):
        return (row.data["digest"], row.data["project"], row.data["completed_on"])

    def classify(self, rows: list[Row]) -> None:
        # MEM-4: one answer for "registered nowhere" and "registered elsewhere" (see WorkerDirectory).
        self.workers.resolve(rows, key="digest", name="name", into="worker_id")
        live = [row for row in rows if row.status != REJECTED]
        existing = {}
        if live:
            keys = {(row.data["worker_id"], row.data["project"], row.data["completed_on"]) for row in live}
            worker_ids = list({key[0] for key in keys})
            for pk, worker_id, project, completed_on, unit_path, *current in TrainingRecord.objects.filter(
                    worker_id__in=worker_ids).values_list("id", "worker_id", "project", "completed_on", "unit__path",
                                                          *self.compared):
                if (worker_id, project, completed_on) in keys:
                    existing[(worker_id, project, completed_on)] = (pk, tuple(current), unit_path)
        for row in live:
            found = existing.get((row.data["worker_id"], row.data["project"], row.data["completed_on"]))
            if found is None:
                row.status = NEW
                continue
            if not self.in_scope(found[2]):
                # MEM-2: a record made while the worker belonged to another unit is that unit's to
                # change; the worker's new unit only sees it.
                row.reject("培训项目名称", _("This training was recorded by the worker's former unit; "
                                      "only that unit may change it"))
                continue
            row.existing = found[0]
            row.stored = dict(zip(self.compared, found[1]))

    def row_label(self, row: Row) -> str:
        return f"{row.data['name']} · {row.data['project']} · {row.data['completed_on'].isoformat()}"

    def display(self, name: str, value) -> str:
        if name == "course_id" and value is not None:
            codes = {pk: code for code, pk in self.courses.items()}
            return codes.get(value, str(value))
        if name == "kind" and value:
            return str(TrainingRecord.Kind(value).label)
        return super().display(name, value)

    def write(self, rows: list[Row]) -> int:
        return services.training_records_write(
            new=[row.data for row in rows if row.status == NEW],
            updated=[(row.existing, {name: row.data[name] for name in self.compared})
                     for row in rows if row.status == UPDATED],
            upload=self.upload)
