"""UPL-6: the unit roster and the worker roster, the first two upload kinds."""
from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.identity import InvalidCode, parse_credit_code
from uploads import bulk, values
from uploads.fingerprint import row_text
from uploads.keyset import FirstRows
from uploads.kinds import NEW, REJECTED, UNCHANGED, UPDATED, Column, Row, UploadKind, register

from . import scoping, services
from .directory import id_number_encrypter, worker_id_fields_builder
from .models import IdNumberLookup, Industry, Unit, Worker, WorkerTransfer

EDUCATION_WORDS = {
    "小学": Worker.Education.PRIMARY, "小学及以下": Worker.Education.PRIMARY, "文盲": Worker.Education.PRIMARY,
    "初中": Worker.Education.JUNIOR,
    "高中": Worker.Education.SENIOR, "中专": Worker.Education.SENIOR, "技校": Worker.Education.SENIOR,
    "职高": Worker.Education.SENIOR, "高中/中专/技校": Worker.Education.SENIOR, "中职": Worker.Education.SENIOR,
    "大专": Worker.Education.COLLEGE, "专科": Worker.Education.COLLEGE, "高职": Worker.Education.COLLEGE,
    "本科": Worker.Education.BACHELOR, "大学本科": Worker.Education.BACHELOR, "大学": Worker.Education.BACHELOR,
    "研究生": Worker.Education.POSTGRADUATE, "硕士": Worker.Education.POSTGRADUATE,
    "博士": Worker.Education.POSTGRADUATE, "硕士研究生": Worker.Education.POSTGRADUATE,
    "博士研究生": Worker.Education.POSTGRADUATE,
}
LEAVING_REASON_WORDS = {"离职": Worker.LeavingReason.RESIGNED, "辞职": Worker.LeavingReason.RESIGNED,
                        "退休": Worker.LeavingReason.RETIRED, "其他": Worker.LeavingReason.OTHER,
                        "其它": Worker.LeavingReason.OTHER}
UNIT_TYPE_WORDS = {"企业工会": Unit.Kind.ENTERPRISE_UNION, "街道乡镇工会": Unit.Kind.STREET_UNION,
                   "街道工会": Unit.Kind.STREET_UNION, "乡镇工会": Unit.Kind.STREET_UNION}


class ScopedUploadKind(UploadKind):
    """An upload kind whose rows lie in the uploader's subtree (MEM-2): its commits take turns only
    within one level-1 unit (UPL-2, see UploadKind.lock_keys). Every kind of a unit-scoped app
    derives from this."""

    def lock_partition(self) -> str | None:
        root = scoping.user_root_path(self.user) or ""
        if len(root) <= Unit.steplen:
            return None  # city-wide (or no unit at all: it writes nothing, and waits for everyone)
        return root[: 2 * Unit.steplen]

    def all_lock_partitions(self) -> list[str]:
        return list(Unit.objects.filter(depth=2).values_list("path", flat=True))


class UnitDirectory:
    """Every unit's code → (id, path), loaded once per file: rows are checked against a dict."""

    def __init__(self, user):
        self.user = user
        self.in_scope = scoping.path_checker(user)
        self.by_code = {code: (pk, path) for pk, code, path in Unit.objects.values_list("id", "code", "path")}

    def resolve(self, row: Row, column: str, raw) -> tuple[int, str] | None:
        found = self.by_code.get(raw)  # the common case: the cell is exactly a known code
        if found is not None and self.in_scope(found[1]):
            return found
        code = values.text(raw).replace(" ", "").upper()
        if not code:
            row.reject(column, _("This cell must not be empty"))
            return None
        found = self.by_code.get(code)
        if found is None:
            row.reject(column, _("No unit has the code %(code)s") % {"code": code})
            return None
        if not self.in_scope(found[1]):
            row.reject(column, _("Unit %(code)s is outside the units you manage") % {"code": code})
            return None
        return found


_WITHHELD_TIMEOUT = 7 * 24 * 3600


def _withheld_key(upload_id: int) -> str:
    return f"upload-withheld-from:{upload_id}"


@register
class WorkerKind(ScopedUploadKind):
    code = "workers"
    label = gettext_lazy("Worker roster")
    permission = "membership.add_worker"
    key_column = "身份证号"
    columns = (
        Column("姓名", "name", "必填，不超过50字；不能以 = + - @ 开头", "张三", True, formula_guard=True),
        Column("身份证号", "id_number", "必填，18位居民身份证号；请将本列设为文本格式，以免 Excel 改成科学计数法", "11010519491231002X", True, True),
        Column("单位代码", "unit_code", "必填，所在单位的统一社会信用代码或单位代码，须在本单位管辖范围内；"
               "改填其他单位即为调动，外区职工须先由原单位办理调出", "110105", True),
        Column("岗位", "post", "选填，不超过100字", "焊工", optional=True),
        Column("一线职工", "is_frontline", "填 是 或 否", "是", optional=True),
        Column("农民工", "is_migrant", "填 是 或 否", "否", optional=True),
        Column("困难职工", "is_needy", "填 是 或 否", "否", optional=True),
        Column("文化程度", "education", "小学及以下、初中、高中/中专/技校、大专、本科、研究生", "高中/中专/技校", optional=True),
        Column("手机号码", "phone", "选填，11位手机号", "13800138000", optional=True),
        Column("入会日期", "joined_union_on", "选填，如 2013-05-01 或 2013/5/1", "2013-05-01", optional=True),
        Column("离会日期", "left_on", "选填，职工离会（离职、退休等）的日期，须同时填写离会原因", "", optional=True),
        Column("离会原因", "leaving_reason", "选填：离职、退休、其他；须同时有离会日期", "", optional=True),
        Column("调动日期", "moved_on", "选填，单位代码改变（调动）时调动生效的日期，不能晚于今天；"
               "不填时取原单位登记的调出日期，没有调出登记的取上传当天", "", optional=True),
    )
    compared = ("name", "unit_id", "post", "is_frontline", "is_migrant", "is_needy", "education", "phone",
                "joined_union_on", "left_on", "leaving_reason")

    def prepare(self) -> None:
        self.units = UnitDirectory(self.user)
        # UPL-2: the number is encrypted only for the rows written new (in write): a
        # re-upload finds most rows stored, and compares them without encrypting anything.
        self.id_fields = worker_id_fields_builder(encrypted=False)
        self.seal = id_number_encrypter()
        # hash(name, mask) → the first such row's number and its number's keyed hash (UPL-2:
        # 500,000 rows within 256 MiB, so kept compact: see uploads.keyset).
        self.name_and_mask = FirstRows(with_values=True)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.none_stored_yet = True  # see classify
        self.blank = {key: parse("") if parse else "" for key, _header, parse in self.optional}
        upload = self.upload
        # Where the preview of this file ran out of the allowance (0: it did not). Unknown (the
        # cache lost it): the commit asks afresh, like a file that was never previewed.
        withheld_from = None
        if upload is not None and upload.status == upload.Status.COMMITTING and upload.previewed_at:
            withheld_from = cache.get(_withheld_key(upload.pk))
        self.committing_preview = withheld_from is not None
        self.withheld_from = withheld_from or None
        if upload is not None and not self.committing_preview:
            cache.set(_withheld_key(upload.pk), 0, timeout=_WITHHELD_TIMEOUT)

    # The optional columns: (key, header, parser). Parsers raise CellError with the reason.
    optional = (
        ("post", "岗位", lambda value: values.optional_text(value, 100)),
        ("is_frontline", "一线职工", values.yes_no),
        ("is_migrant", "农民工", values.yes_no),
        ("is_needy", "困难职工", values.yes_no),
        ("education", "文化程度", None),
        ("phone", "手机号码", values.mobile_phone),
        ("joined_union_on", "入会日期", values.date),
        ("left_on", "离会日期", values.date),
        ("leaving_reason", "离会原因", None),
        ("moved_on", "调动日期", values.date),
    )

    def clean(self, row: Row, cells: dict) -> None:
        # The hot loop of a roster upload: one call per row, so no per-field indirection beyond
        # the parsers themselves.
        data = row.data
        try:
            data["name"] = values.required_text(cells["name"], 50)
        except values.CellError as error:
            row.reject("姓名", str(error))
        try:
            data.update(self.id_fields(cells["id_number"]))
        except InvalidCode as error:
            row.reject("身份证号", str(error))
        if "id_number_masked" in data and "name" in data:
            self._one_number_per_name_and_mask(row, data)
        unit = self.units.resolve(row, "单位代码", cells["unit_code"])
        if unit:
            data["unit_id"], data["unit_path"] = unit
        blank = self.blank
        for key, header, parse in self.optional:
            raw = cells.get(key)  # .get: optional columns may be missing from the cells a caller passes
            if raw is None or raw == "":
                data[key] = blank[key]  # what the parser makes of an empty cell, without calling it
                continue
            try:
                data[key] = parse(raw) if parse else self._words(key, raw)
            except values.CellError as error:
                row.reject(header, str(error))

    def _one_number_per_name_and_mask(self, row: Row, data: dict) -> None:
        """MEM-4: rows that share a name and a mask but differ in the hidden digits are guesses at
        one person's number (the mask and a birth band leave about 166): only the first is answered."""
        key = hash((data["name"], data["id_number_masked"])) & 0xFFFF_FFFF_FFFF_FFFF
        digest = int(data["id_number_digest"][:16], 16)
        first, first_digest = self.name_and_mask.first(key, row.number, digest)
        if first_digest != digest:
            row.reject("身份证号", _("Row %(row)d of this file has the same name and masked ID number with other "
                                  "digits; check both ID numbers and upload this row again on its own")
                       % {"row": first})

    @staticmethod
    def _words(key: str, raw) -> str:
        word = values.text(raw).replace(" ", "")
        if not word:
            return ""
        if key == "leaving_reason":
            try:
                return LEAVING_REASON_WORDS[word]
            except KeyError:
                raise values.CellError(_("Write one of 离职、退休、其他")) from None
        try:
            return EDUCATION_WORDS[word]
        except KeyError:
            raise values.CellError(_("Write one of 小学及以下、初中、高中/中专/技校、大专、本科、研究生")) from None

    def natural_key(self, row: Row):
        # An int, not the 24 hex digits: the pipeline keeps one per row of the file.
        return int(row.data["id_number_digest"][:24], 16)

    # UPL-2 (issue 13): a row whose cells are those that last wrote a worker (Worker.upload_row_digest,
    # cleared by any other change of the worker) is that worker unchanged, unless the uploader's
    # scope or the units' codes say otherwise: see recognise_written. Bump the version when a rule
    # of clean, classify or settled changes: the rows written before are then validated again.
    recognises_written = True
    rules_version = 1
    _unit_position = [column.key for column in columns].index("unit_code")

    def find_written(self, digests: list[str]) -> dict[str, tuple]:
        if not digests:
            return {}
        with connection.cursor() as cursor:
            cursor.execute("SELECT upload_row_digest, id_number_digest, name, id_number_masked, unit_id "
                           "FROM membership_worker WHERE upload_row_digest = ANY(%s)", [digests])
            return {digest: found for digest, *found in cursor.fetchall()}

    def recognise_written(self, row: Row, found: tuple) -> bool:
        """The row wrote this worker (``found``: keyed hash, name, mask, unit id) and nothing has
        changed it since, so validating the row again would find it unchanged, provided its unit
        cell still names the worker's unit exactly and the unit is in the uploader's scope (MEM-2:
        anything else is validated in full, as the checks against other districts' workers need).
        The checks across the file's rows still run: the name-and-mask guard here, the repeated
        row in the pipeline (by natural_key)."""
        digest, name, masked, unit_id = found
        unit = self.units.by_code.get(row.values[self._unit_position])
        if unit is None or unit[0] != unit_id or not self.units.in_scope(unit[1]):
            return False
        data = row.data
        data["name"], data["id_number_masked"], data["id_number_digest"] = name, masked, digest
        self._one_number_per_name_and_mask(row, data)
        if row.status != REJECTED:
            row.status = UNCHANGED
        return True

    def prepare_new(self, rows: list[Row]) -> None:
        # Encrypted ahead only in a commit's rows expected new (a preview encrypts none); write
        # seals any row still holding the clear number.
        seal = self.seal
        for row in rows:
            if "id_number" in row.data:
                seal(row.data)

    def classify_as_new(self, rows: list[Row]) -> bool:
        """Every row NEW without looking its key up, when nothing would be withheld (the allowance,
        see _withhold_new): the pipeline tries this while every row of the file so far was new, and
        the unique ID number refuses the batch if one is stored after all (pipeline._write_as_new)."""
        if self.withheld_from is not None:
            return False
        if not self.committing_preview and services.id_number_lookups_exhausted(user=self.user):
            return False
        for row in rows:
            row.status, row.unlooked = NEW, True
        return True

    def classify(self, rows: list[Row]) -> None:
        compared = self.compared
        # UPL-2: the database compares each stored worker with the row (uploads.fingerprint) and
        # sends the compared fields only of the workers that differ: a re-upload of an unchanged
        # roster fetches and compares nothing in Python.
        candidates = rows
        if self.none_stored_yet:
            # While no row of the file so far was stored, only the keys are looked up first: the
            # rows' texts (a third of a new row's classification) are made for the stored ones.
            stored = {key for (key,) in bulk.fetch_by_keys(
                Worker, "id_number_digest", [row.data["id_number_digest"] for row in rows], ())}
            candidates = [row for row in rows if row.data["id_number_digest"] in stored]
            self.none_stored_yet = not stored
        existing = {digest: (pk, unit_path, same, current) for digest, pk, unit_path, same, *current
                    in bulk.fetch_compared(Worker, "id_number_digest", [
                        (row.data["id_number_digest"], row_text([row.data[name] for name in compared], row.kept),
                         row.kept) for row in candidates], ("id", "unit__path"), compared)}
        outside = [found[0] for found in existing.values() if not self.units.in_scope(found[1])]
        # MEM-3: workers their unit has released (调出), with the release date: any officer may
        # take them into one of their units. One query, for the rows outside the uploader's units.
        released = dict(WorkerTransfer.objects.filter(worker_id__in=outside, to_unit__isnull=True)
                        .values_list("worker_id", "released_on")) if outside else {}
        lookups = []
        if rows and self.withheld_from is None and not self.committing_preview \
                and services.id_number_lookups_exhausted(user=self.user):  # once a batch, not a row
            self._allowance_used_up(rows[0])
        moves = []
        for row in rows:  # in file order: the day's allowance runs out at a row, not at a batch
            found = existing.get(row.data["id_number_digest"])
            if found is None:
                if self._withhold_new(row):
                    row.reject("身份证号", services.id_number_lookup_limit_message())
                else:
                    row.status = NEW
                continue
            pk, unit_path, same, current = found
            if not self.units.in_scope(unit_path) and pk not in released:
                # MEM-2: a worker registered outside the uploader's subtree is not theirs to move
                # until their unit releases them. MEM-4: the answer names no unit, counts
                # against the uploader's daily allowance and is recorded; over the allowance
                # nothing is answered either way.
                answered = services.id_number_lookup_count(user=self.user, digest=row.data["id_number_digest"])
                lookups.append((row.data["id_number_masked"], pk, answered))
                if answered:
                    row.reject("身份证号", _("This worker is registered with a unit outside the units you manage; "
                                          "that unit must release the worker first"))
                else:
                    self._allowance_used_up(row)
                    row.reject("身份证号", services.id_number_lookup_limit_message())
                continue
            if same:
                # Every compared field is as stored (name and unit included: no rename, no move).
                row.status = UNCHANGED
                continue
            stored = dict(zip(compared, current))
            if stored["name"] != row.data["name"]:
                # MEM-3: the ID number names the person; a different name is a typing error or
                # another person's number, never a rename (that is done in the admin).
                row.reject("姓名", _("The name differs from the registry's name for this ID number"))
                continue
            row.existing = (pk, stored)
            row.stored = stored
            if stored["unit_id"] != row.data["unit_id"]:
                row.data["moved_on"] = row.data["moved_on"] or released.get(pk) or self.today
                moves.append(row)
        if moves:
            problems = services.transfer_date_problems(
                moves=[(row.existing[0], row.data["moved_on"]) for row in moves])
            for row in moves:
                if row.existing[0] in problems:
                    header = "调动日期" if row.data["moved_on"] != self.today else "单位代码"
                    row.reject(header, problems[row.existing[0]])
        if lookups:
            services.id_number_lookups_record(user=self.user, source=IdNumberLookup.Source.UPLOAD,
                                              entries=lookups, upload=self.upload)

    def settled(self, rows: list[Row]) -> None:
        for row in rows:
            if row.status in (NEW, UPDATED):
                data = row.data
                if data["left_on"] and not data["leaving_reason"]:
                    row.reject("离会原因", _("A leaving date needs a leaving reason: 离职、退休 or 其他"))
                elif data["leaving_reason"] and not data["left_on"]:
                    row.reject("离会日期", _("A leaving reason needs a leaving date"))

    def row_label(self, row: Row) -> str:
        return f"{row.data['name']}（{row.data['id_number_masked']}）"

    def display(self, name: str, value) -> str:
        if name == "unit_id" and value is not None:
            if not hasattr(self, "_unit_codes"):
                self._unit_codes = {pk: code for code, (pk, _path) in self.units.by_code.items()}
            return self._unit_codes.get(value, str(value))
        if name == "education" and value:
            return str(Worker.Education(value).label)
        if name == "leaving_reason" and value:
            return str(Worker.LeavingReason(value).label)
        return super().display(name, value)

    # Once the allowance is used up, "new" would tell that a number is registered nowhere, so rows
    # outside the uploader's workers get no answer either way. The commit of a previewed file asks
    # nothing new: it withholds exactly the rows its preview withheld (from the row where the
    # preview ran out), so preview and commit agree.
    def _withhold_new(self, row: Row) -> bool:
        return self.withheld_from is not None and row.number >= self.withheld_from

    def _allowance_used_up(self, row: Row) -> None:
        if self.withheld_from is None and not self.committing_preview:
            self.withheld_from = row.number
            if self.upload is not None:
                cache.set(_withheld_key(self.upload.pk), row.number, timeout=_WITHHELD_TIMEOUT)

    # The columns a new worker is written with, in the order of new_row (also the bench's COPY
    # baseline: bench/import_roster.py writes exactly these values).
    new_fields = (
        "name", "id_number_encrypted", "id_number_digest", "id_number_masked", "birth_date", "sex",
        "unit", "post", "is_frontline", "is_migrant", "is_needy", "education", "phone",
        "joined_union_on", "left_on", "leaving_reason", "created_at", "updated_at", "upload_row_digest",
    )

    @staticmethod
    def new_row(d: dict, now: str, digest: str | None) -> tuple:
        return (
            d["name"], d["id_number_encrypted"], d["id_number_digest"], d["id_number_masked"],
            d["birth_date"], d["sex"], d["unit_id"], d["post"], d["is_frontline"], d["is_migrant"],
            d["is_needy"], d["education"], d["phone"], d["joined_union_on"], d["left_on"],
            d["leaving_reason"], now, now, digest,
        )

    def write(self, rows: list[Row]) -> int:
        # The timestamp as text once, not formatted again for each of many thousand rows.
        now = self.now.isoformat()
        new = [row for row in rows if row.status == NEW]
        # UPL-2: numbers are encrypted only for the rows written (a preview encrypts none). A row
        # is sealed already when a batch is written again row by row (contention).
        seal = self.seal
        for row in new:
            if "id_number" in row.data:
                seal(row.data)
        new_row = self.new_row
        if any(row.unlooked for row in new):
            # Not looked up (classify_as_new): a stored key raises IntegrityError, and the
            # pipeline classifies the batch as usual (pipeline._write_as_new).
            return bulk.insert_rows(Worker, self.new_fields, [new_row(row.data, now, row.digest) for row in new])
        # The ID number is a city-wide key: another district's upload may register the same
        # person while this one runs (UPL-2). The unique constraint decides who was first.
        inserted = bulk.insert_new(Worker, self.new_fields, [new_row(row.data, now, row.digest) for row in new],
                                   key="id_number_digest")
        written = len(inserted)
        for row in new:
            if row.data["id_number_digest"] not in inserted:
                row.reject("身份证号", _("Another upload registered this worker while this one was being written; "
                                      "upload this row again to check it against the registry"))
        updates = [row for row in rows if row.status == UPDATED]
        written += bulk.update_rows(
            Worker, ("updated_at", "upload_row_digest", *self.compared),
            ((row.existing[0], now, row.digest, *(row.data[name] for name in self.compared)) for row in updates),
        )
        services.worker_transfers_record(moves=[
            (row.existing[0], row.existing[1]["unit_id"], row.data["unit_id"], row.data["moved_on"])
            for row in updates if row.existing[1]["unit_id"] != row.data["unit_id"]
        ], by=self.user, upload=self.upload)
        return written


@register
class UnitKind(ScopedUploadKind):
    code = "units"
    label = gettext_lazy("Unit roster")
    permission = "membership.add_unit"
    key_column = "统一社会信用代码"
    columns = (
        Column("单位名称", "name", "必填，不超过200字；不能以 = + - @ 开头", "北京某某机械有限公司工会", True,
               formula_guard=True),
        Column("统一社会信用代码", "code", "必填，18位统一社会信用代码（GB 32100-2015），用作单位代码", "91110105MA01A2B3CX", True),
        Column("上级单位代码", "parent_code", "必填，上级工会的单位代码（区总工会为行政区划代码，如朝阳区总工会 110105）", "110105", True),
        Column("行业代码", "industry_code", "选填，国民经济行业分类（GB/T 4754-2017）两位大类代码，如 34 通用设备制造业", "34",
               optional=True, fields=("industry_id",)),
        Column("单位类型", "kind", "必填，企业工会 或 街道乡镇工会", "企业工会", True),
        Column("职工人数", "worker_count", "选填，整数", "120", optional=True),
    )
    compared = ("name", "industry_id", "kind", "worker_count", "parent_code")

    def prepare(self) -> None:
        self.units = UnitDirectory(self.user)
        self.code_by_path = {path: code for code, (_pk, path) in self.units.by_code.items()}
        self.industries = dict(Industry.objects.filter(section__isnull=False).values_list("code", "id"))
        # Codes of units earlier in this file: later rows may name them as their parent.
        self.codes_in_file: set[str] = set()

    def clean(self, row: Row, cells: dict) -> None:
        data = row.data
        try:
            data["name"] = values.required_text(cells["name"], 200)
        except values.CellError as error:
            row.reject("单位名称", str(error))
        try:
            data["code"] = parse_credit_code(cells["code"])
        except InvalidCode as error:
            row.reject("统一社会信用代码", str(error))
        parent_code = values.text(cells["parent_code"]).replace(" ", "").upper()
        data["parent_code"] = parent_code
        data["parent_path"] = ""
        if parent_code in self.codes_in_file and parent_code not in self.units.by_code:
            pass  # created by an earlier row, inside the scope that row was checked against
        else:
            parent = self.units.resolve(row, "上级单位代码", parent_code)
            if parent:
                data["parent_path"] = parent[1]
        industry = values.text(cells["industry_code"]).replace(" ", "")
        if industry.isdigit() and len(industry) == 1:
            industry = "0" + industry
        data["industry_id"] = self.industries.get(industry) if industry else None
        if industry and data["industry_id"] is None:
            row.reject("行业代码", _("%(code)s is not a division of GB/T 4754-2017") % {"code": industry})
        data["kind"] = UNIT_TYPE_WORDS.get(values.text(cells["kind"]).replace(" ", ""))
        if data["kind"] is None:
            row.reject("单位类型", _("Write 企业工会 or 街道乡镇工会"))
        try:
            data["worker_count"] = values.non_negative_int(cells["worker_count"])
        except values.CellError as error:
            row.reject("职工人数", str(error))
        if row.status != REJECTED:
            self.codes_in_file.add(data["code"])

    def natural_key(self, row: Row):
        return row.data["code"]

    def classify(self, rows: list[Row]) -> None:
        by_code = {row.data["code"]: row for row in rows}
        existing = Unit.objects.filter(code__in=list(by_code)).values(
            "id", "code", "path", "name", "industry_id", "kind", "worker_count")
        for unit in existing:
            row = by_code[unit["code"]]
            if not self.units.in_scope(unit["path"]) or len(unit["path"]) <= Unit.steplen:
                row.reject("统一社会信用代码", _("Unit %(code)s is outside the units you manage") % {"code": unit["code"]})
                continue
            if row.data["parent_path"].startswith(unit["path"]):
                row.reject("上级单位代码", _("A unit cannot be placed under itself or its own sub-units"))
                continue
            unit["parent_code"] = self.code_by_path.get(unit["path"][: -Unit.steplen])
            row.existing = unit
            row.stored = {name: unit[name] for name in self.compared}
        for row in rows:
            if not row.status and row.stored is None:
                row.status = NEW

    def row_label(self, row: Row) -> str:
        return f"{row.data['name']}（{row.data['code']}）"

    def display(self, name: str, value) -> str:
        if name == "industry_id" and value is not None:
            codes = {pk: code for code, pk in self.industries.items()}
            return codes.get(value, str(value))
        if name == "kind" and value:
            return str(Unit.Kind(value).label)
        return super().display(name, value)

    def write(self, rows: list[Row]) -> int:
        # Unit files are small (hundreds of rows), and each insert must take the tree's next path.
        for row in rows:
            data = row.data
            parent = Unit.objects.get(code=data["parent_code"])
            fields = dict(name=data["name"], industry_id=data["industry_id"], kind=data["kind"],
                          worker_count=data["worker_count"])
            if row.status == NEW:
                services.unit_create(parent=parent, code=data["code"], **fields)
            else:
                services.unit_update(unit=Unit.objects.get(pk=row.existing["id"]), parent=parent, **fields)
        return len(rows)
