"""UPL-6 `proposals`: rationalisation proposals from a unit's own register, through the one
pipeline (preview, Chinese row errors, atomic, idempotent on 建议编号, scoped, rejected rows).

建议编号 is unique city-wide. A new row may start at any of the seven states (historic proposals
arrive already decided); a re-upload moves a proposal forward along the arrows only — backwards
or across (已实施 → 评审中, 未采纳 → 已立项) is a row error. The year of a proposal is its 提出日期's."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from membership import scoping
from membership.directory import WorkerDirectory
from membership.upload_kinds import ScopedUploadKind, UnitDirectory
from uploads import values
from uploads.kinds import NEW, REJECTED, UPDATED, Column, Row

from ..models import Proposal, ProposalState, states_between
from . import services

CATEGORY_WORDS = {"降低成本": Proposal.Category.COST, "节能减排": Proposal.Category.ENERGY,
                  "技术改造": Proposal.Category.TECHNICAL, "安全生产": Proposal.Category.SAFETY, "其他": Proposal.Category.OTHER}
STATE_WORDS = {"已提交": ProposalState.SUBMITTED, "评审中": ProposalState.REVIEWING, "已采纳": ProposalState.ADOPTED,
               "未采纳": ProposalState.REJECTED, "已立项": ProposalState.PROJECT, "已实施": ProposalState.IMPLEMENTED,
               "已奖励": ProposalState.REWARDED}
STATE_NAMES = {state: word for word, state in STATE_WORDS.items()}


class ProposalKind(ScopedUploadKind):
    code = "proposals"
    label = gettext_lazy("Rationalisation proposals")
    permission = "innovation.add_proposal"
    key_column = "建议编号"
    # 经济效益(万元) and 处理意见 are optional columns (Column.optional): a file may leave them out.
    # A blank 经济效益 keeps the stored benefit (the pipeline puts it back before comparing); 处理意见
    # is not stored on the proposal but on the step a re-upload makes, so a blank one records none.
    columns = (
        Column("建议编号", "code", "必填，全市唯一的建议编号，不超过32个字符；重复上传同一编号将更新该建议", "JY2012-0001", True),
        Column("标题", "title", "必填，不超过200字；不能以 = + - @ 开头", "改进焊接夹具降低返工率", True, formula_guard=True),
        Column("类别", "category", "必填：降低成本、节能减排、技术改造、安全生产、其他", "降低成本", True),
        Column("提出人身份证号", "id_number", "必填，提出人的18位身份证号（须已在花名册中）；请将本列设为文本格式",
               "11010519491231002X", True, True),
        Column("提出人姓名", "name", "必填，须与花名册登记的姓名一致；不能以 = + - @ 开头", "张三", True, formula_guard=True),
        Column("单位代码", "unit_code", "必填，建议所属单位的代码，须在您管理的单位范围内", "91110105MA01CY001A", True),
        Column("提出日期", "submitted_on", "必填，如 2012-03-15；建议的年度按提出日期计算", "2012-03-15", True),
        Column("状态", "state", "必填：已提交、评审中、已采纳、未采纳、已立项、已实施、已奖励；再次上传只能按流程向前推进",
               "已实施", True),
        Column("经济效益(万元)", "benefit", "选填，实施后测算的经济效益，单位万元，最多两位小数；再次上传时留空或删去本列，"
               "保留已登记的经济效益", "12.5", optional=True),
        Column("处理意见", "comment", "选填：未采纳时填写向提出人说明的理由，其他状态为处理意见", "", optional=True),
    )
    compared = ("title", "category", "worker_id", "submitted_on", "state", "benefit")

    def prepare(self) -> None:
        self.workers = WorkerDirectory(self.user, id_column="提出人身份证号", name_column="提出人姓名")
        self.units = UnitDirectory(self.user)
        self.in_scope = scoping.path_checker(self.user)
        self.today = timezone.localdate()

    def clean(self, row: Row, cells: dict) -> None:
        data = row.data
        code = values.text(cells["code"]).replace(" ", "").upper()
        if not code:
            row.reject("建议编号", _("This cell must not be empty"))
        elif len(code) > 32:
            row.reject("建议编号", _("At most %(count)d characters") % {"count": 32})
        data["code"] = code
        try:
            data["title"] = values.required_text(cells["title"], 200)
        except values.CellError as error:
            row.reject("标题", str(error))
        data["category"] = CATEGORY_WORDS.get(values.text(cells["category"]).replace(" ", ""))
        if data["category"] is None:
            row.reject("类别", _("Write one of 降低成本、节能减排、技术改造、安全生产、其他"))
        data["digest"] = self.workers.key(row, cells["id_number"])
        try:
            data["name"] = values.required_text(cells["name"], 50)
        except values.CellError as error:
            row.reject("提出人姓名", str(error))
        found = self.units.resolve(row, "单位代码", cells["unit_code"])
        data["unit_id"] = found[0] if found else None
        try:
            data["submitted_on"] = values.date(cells["submitted_on"], required=True)
            if data["submitted_on"] > self.today:
                row.reject("提出日期", _("The date lies in the future"))
        except values.CellError as error:
            row.reject("提出日期", str(error))
        data["state"] = STATE_WORDS.get(values.text(cells["state"]).replace(" ", ""))
        if data["state"] is None:
            row.reject("状态", _("Write one of 已提交、评审中、已采纳、未采纳、已立项、已实施、已奖励"))
        benefit = values.text(cells["benefit"])
        data["benefit"] = None
        if benefit:
            try:
                amount = Decimal(benefit)
                if amount < 0 or amount.as_tuple().exponent < -2 or amount >= Decimal("1e10"):
                    raise InvalidOperation
                data["benefit"] = amount
            except (InvalidOperation, ValueError):
                row.reject("经济效益(万元)", _("The benefit is a number of 10,000 yuan, not negative, with at most two "
                                           "decimals, e.g. 12.5"))
        try:
            data["comment"] = values.optional_text(cells["comment"], 500)
        except values.CellError as error:
            row.reject("处理意见", str(error))

    def natural_key(self, row: Row):
        return row.data["code"]

    def classify(self, rows: list[Row]) -> None:
        self.workers.resolve(rows, key="digest", name="name", into="worker_id", unit_into="worker_unit_id")
        live = [row for row in rows if row.status != REJECTED]
        existing = {proposal.code: proposal for proposal in Proposal.objects.filter(
            code__in=[row.data["code"] for row in live]).select_related("unit").only(
            "id", "code", "title", "category", "submitter_id", "unit_id", "unit__path", "submitted_on", "state",
            "measured_benefit")}
        for row in live:
            data = row.data
            proposal = existing.get(data["code"])
            if proposal is None:
                row.status = NEW
                continue
            if not self.in_scope(proposal.unit.path):
                row.reject("建议编号", _("This proposal number belongs to a unit outside the units you manage"))
                continue
            if proposal.unit_id != data["unit_id"]:
                row.reject("单位代码", _("This proposal is registered to another unit; its unit cannot change"))
                continue
            if data["state"] != proposal.state and states_between(proposal.state, data["state"]) is None:
                row.reject("状态", _("The proposal is at %(current)s and cannot move to %(target)s: a proposal only "
                                   "moves forward along 已提交→评审中→已采纳/未采纳→已立项→已实施→已奖励")
                           % {"current": STATE_NAMES[proposal.state], "target": STATE_NAMES[data["state"]]})
                continue
            # The pipeline keeps the stored benefit for a blank or missing 经济效益 and settles the row.
            row.existing = proposal.pk
            row.stored = {"title": proposal.title, "category": proposal.category, "worker_id": proposal.submitter_id,
                          "submitted_on": proposal.submitted_on, "state": proposal.state,
                          "benefit": proposal.measured_benefit}

    def display(self, name: str, value) -> str:
        if name == "state" and value in STATE_NAMES:
            return STATE_NAMES[value]
        return super().display(name, value)

    def write(self, rows: list[Row]) -> int:
        return services.proposals_write_upload(
            new=[row.data for row in rows if row.status == NEW],
            updated=[(row.existing, row.data) for row in rows if row.status == UPDATED],
            upload=self.upload, by=self.user)
