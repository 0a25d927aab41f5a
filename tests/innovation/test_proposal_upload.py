"""UPL-6 `proposals`: new rows at any state with the earlier states recorded as passed by the
upload (no invented dates), re-uploads that move forward only, row errors in Chinese, scope,
idempotence, credits for historic adoptions."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.crypto import decrypt_id_number
from courses.models import CreditEntry, CreditRule
from innovation.models import Proposal, ProposalStep
from tests.factories import WorkerFactory
from uploads import pipeline

HEADER = "建议编号,标题,类别,提出人身份证号,提出人姓名,单位代码,提出日期,状态,经济效益(万元),处理意见"
S = Proposal.State


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def people(tree):
    return [WorkerFactory(unit=tree["chaoyang_enterprise"], name=name) for name in ("赵一", "钱二", "孙三")]


def sheet(*rows, title_row: bool = False) -> bytes:
    lines = (["朝阳区合理化建议汇总表"] if title_row else []) + [HEADER, *[",".join(row) for row in rows]]
    return "\n".join(lines).encode("utf-8-sig")


def row(code, worker, state, *, unit="91110105MA01CY001A", on="2011-04-01", benefit="", comment="", title="改进夹具",
        category="降低成本"):
    return [code, title, category, decrypt_id_number(worker.id_number_encrypted), worker.name, unit, on, state, benefit,
            comment]


def _errors(summary):
    return [(error["row"], error["column"], error["reason"]) for error in pipeline.flatten_errors(summary.rejected)]


def test_historic_rows_start_at_any_state_with_earlier_states_passed_and_no_invented_dates(tree, chaoyang_officer, people):
    CreditRule.objects.create(source="proposal", credits_each=Decimal(2), valid_from=dt.date(2010, 1, 1))
    data = sheet(row("CY-2011-001", people[0], "已实施", benefit="12.5", comment="已在二车间推广"),
                 row("CY-2011-002", people[1], "未采纳", comment="与现行工艺冲突"),
                 row("CY-2011-003", people[2], "已提交"), title_row=True)
    summary = pipeline.run(kind_code="proposals", data=data, user=chaoyang_officer, commit=True)
    assert (summary.new, summary.rejected) == (3, [])
    implemented = Proposal.objects.get(code="CY-2011-001")
    assert (implemented.state, implemented.measured_benefit, implemented.submitted_on) == (
        S.IMPLEMENTED, Decimal("12.50"), dt.date(2011, 4, 1))
    steps = list(implemented.steps.order_by("id").values_list("state", "on", "comment", "by"))
    assert steps == [(S.SUBMITTED, dt.date(2011, 4, 1), "", chaoyang_officer.pk), (S.REVIEWING, None, "", chaoyang_officer.pk),
                     (S.ADOPTED, None, "", chaoyang_officer.pk), (S.PROJECT, None, "", chaoyang_officer.pk),
                     (S.IMPLEMENTED, None, "已在二车间推广", chaoyang_officer.pk)]
    assert (implemented.submitter_names, implemented.adopted_on, implemented.implemented_on) == (people[0].name, None, None)
    rejected = Proposal.objects.get(code="CY-2011-002")
    assert (rejected.state, rejected.rejection_reason) == (S.REJECTED, "与现行工艺冲突")
    assert list(rejected.steps.values_list("state", flat=True).order_by("id")) == [S.SUBMITTED, S.REVIEWING, S.REJECTED]
    assert Proposal.objects.get(code="CY-2011-003").steps.count() == 1
    # The historic adoption earns its author the rule's credits, once.
    assert list(CreditEntry.objects.filter(source_kind="proposal").values_list("worker_id", "credits")) == [
        (people[0].pk, Decimal("2.0"))]

    again = pipeline.run(kind_code="proposals", data=data, user=chaoyang_officer, commit=True)
    assert (again.new, again.updated, again.unchanged, again.written) == (0, 0, 3, 0)
    assert ProposalStep.objects.count() == 9 and CreditEntry.objects.filter(source_kind="proposal").count() == 1


def test_a_re_upload_moves_forward_only(tree, chaoyang_officer, people):
    pipeline.run(kind_code="proposals", user=chaoyang_officer, commit=True, data=sheet(
        row("A1", people[0], "已实施", benefit="3"), row("A2", people[1], "未采纳"), row("A3", people[2], "评审中")))
    summary = pipeline.run(kind_code="proposals", user=chaoyang_officer, commit=True, data=sheet(
        row("A1", people[0], "评审中"), row("A2", people[1], "已立项"), row("A3", people[2], "已奖励", benefit="8.25",
                                                                        comment="一等奖")))
    assert (summary.updated, summary.written) == (1, 1)
    errors = _errors(summary)
    assert [(number, column) for number, column, _reason in errors] == [(2, "状态"), (3, "状态")]
    assert "已实施" in errors[0][2] and "评审中" in errors[0][2]
    assert dict(Proposal.objects.values_list("code", "state")) == {"A1": S.IMPLEMENTED, "A2": S.REJECTED, "A3": S.REWARDED}
    a3 = Proposal.objects.get(code="A3")
    assert a3.measured_benefit == Decimal("8.25")
    assert list(a3.steps.order_by("id").values_list("state", "on", "comment")) == [
        (S.SUBMITTED, dt.date(2011, 4, 1), ""), (S.REVIEWING, None, ""), (S.ADOPTED, None, ""), (S.PROJECT, None, ""),
        (S.IMPLEMENTED, None, ""), (S.REWARDED, None, "一等奖")]


def test_bad_rows_are_rejected_with_chinese_reasons_and_nothing_of_them_is_written(tree, chaoyang_officer, people):
    haidian_worker = WorkerFactory(unit=tree["haidian_enterprise"])
    summary = pipeline.run(kind_code="proposals", user=chaoyang_officer, commit=True, data=sheet(
        row("B1", people[0], "已采纳", category="节约用电"),
        row("B2", people[0], "通过"),
        row("B3", people[0], "已提交", unit="91110108MA01HD001H"),
        row("B4", haidian_worker, "已提交"),
        row("B5", people[0], "已实施", benefit="-3"),
        row("B6", people[0], "已提交", on="2099-01-01"),
        row("B7", people[0], "已采纳"),
        row("B7", people[1], "已采纳")))
    assert summary.new == 1
    columns = sorted((number, column) for number, column, _reason in _errors(summary))
    assert columns == [(2, "类别"), (3, "状态"), (4, "单位代码"), (5, "提出人身份证号"), (6, "经济效益(万元)"), (7, "提出日期"),
                       (9, "建议编号")]
    assert list(Proposal.objects.values_list("code", flat=True)) == ["B7"]


def test_a_number_of_another_district_is_refused_not_overwritten(tree, chaoyang_officer, haidian_officer):
    haidian_worker = WorkerFactory(unit=tree["haidian_enterprise"])
    pipeline.run(kind_code="proposals", user=haidian_officer, commit=True,
                 data=sheet(row("HD-1", haidian_worker, "已提交", unit="91110108MA01HD001H")))
    chaoyang_worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    summary = pipeline.run(kind_code="proposals", user=chaoyang_officer, commit=True,
                           data=sheet(row("HD-1", chaoyang_worker, "已奖励", benefit="1", title="冒名")))
    assert [(n, c) for n, c, _r in _errors(summary)] == [(2, "建议编号")]
    proposal = Proposal.objects.get(code="HD-1")
    assert (proposal.state, proposal.title, proposal.unit) == (S.SUBMITTED, "改进夹具", tree["haidian_enterprise"])


def test_a_preview_writes_nothing(tree, chaoyang_officer, people):
    summary = pipeline.run(kind_code="proposals", user=chaoyang_officer, commit=False,
                           data=sheet(row("P1", people[0], "已奖励", benefit="2")))
    assert summary.new == 1
    assert not Proposal.objects.exists() and not ProposalStep.objects.exists()


def test_a_re_upload_corrects_the_title_and_submitter_in_place(tree, chaoyang_officer, people):
    pipeline.run(kind_code="proposals", user=chaoyang_officer, commit=True, data=sheet(row("C1", people[0], "已提交")))
    summary = pipeline.run(kind_code="proposals", user=chaoyang_officer, commit=True,
                           data=sheet(row("C1", people[1], "已提交", title="改进夹具（修订）")))
    assert (summary.updated, summary.rejected) == (1, [])
    proposal = Proposal.objects.get(code="C1")
    assert (proposal.title, proposal.submitter, proposal.state) == ("改进夹具(修订)", people[1], S.SUBMITTED)  # NFKC, as every cell
    assert list(proposal.authors.values_list("worker_id", "is_lead")) == [(people[1].pk, True)]
    assert proposal.submitter_names == people[1].name
    assert proposal.steps.count() == 1
