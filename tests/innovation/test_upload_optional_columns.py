"""Issue 8's optional columns and formula guard in the innovation kinds: 评价等级 (achievements),
经济效益(万元) and 处理意见 (proposals) may be left out of a file, a blank cell keeps the stored
value, the template's 填写说明 says 选填; titles and names refuse formula-like text."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from innovation.models import Achievement, AchievementMember, Proposal
from innovation.proposals.upload_kind import ProposalKind
from innovation.upload_kinds_achievements import AchievementKind
from tests.factories import WorkerFactory, achievement_create, id_number_new, proposal_create
from uploads import pipeline
from uploads.spreadsheets import template_xlsx

from .helpers import xlsx

UNIT = "91110105MA01CY001A"  # tests/conftest.py CHAOYANG_ENTERPRISE
ACHIEVEMENT = ["成果编码", "成果名称", "单位代码", "完成人身份证号", "完成人姓名", "成果类型", "年度"]
PROPOSAL = ["建议编号", "标题", "类别", "提出人身份证号", "提出人姓名", "单位代码", "提出日期", "状态"]


def problems(summary) -> dict[int, tuple[str, str]]:
    return {error["row"]: (error["column"], error["reason"]) for error in pipeline.flatten_errors(summary.rejected)}


def rules(kind) -> dict[str, tuple]:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(kind)))
    return {row[0]: row[1:3] for row in book["填写说明"].iter_rows(min_row=2, values_only=True) if row[0]}


@pytest.fixture
def people(tree):
    numbers = [id_number_new() for _ in range(2)]
    return [(WorkerFactory(unit=tree["chaoyang_enterprise"], name=name, id_number=number), number)
            for name, number in zip(["王建国", "李秀英"], numbers)]


def test_an_achievements_file_without_the_grade_column_keeps_the_grade_and_adds_a_member(tree, chaoyang_officer, people):
    (first, first_number), (second, second_number) = people
    achievement = achievement_create(tree["chaoyang_enterprise"], [first], code="CX2013-0001", title="主轴补偿装置",
                                     kind="technical", year=2013, grade="excellent")
    data = xlsx([["CX2013-0001", "主轴补偿装置", UNIT, first_number, "王建国", "技术革新", 2013],
                 ["CX2013-0001", "主轴补偿装置", UNIT, second_number, "李秀英", "技术革新", 2013],
                 ["CX2013-0002", "焊接夹具", UNIT, second_number, "李秀英", "六小成果", 2012]], headers=ACHIEVEMENT)
    summary = pipeline.run(kind_code="achievements", data=data, user=chaoyang_officer, commit=True)
    assert (summary.new, summary.updated, summary.unchanged, summary.rejected_count) == (1, 1, 1, 0)
    achievement.refresh_from_db()
    assert achievement.grade == "excellent"
    assert set(AchievementMember.objects.filter(achievement=achievement).values_list("worker_id", flat=True)) == {
        first.pk, second.pk}
    assert Achievement.objects.get(code="CX2013-0002").grade == ""


def test_a_blank_grade_cell_keeps_the_stored_grade_while_the_title_changes(tree, chaoyang_officer, people):
    (first, first_number), _second = people
    achievement = achievement_create(tree["chaoyang_enterprise"], [first], code="CX2013-0001", title="主轴补偿装置",
                                     kind="technical", year=2013, grade="good")
    summary = pipeline.run(kind_code="achievements", data=xlsx(
        [["CX2013-0001", "主轴热变形补偿装置", UNIT, first_number, "王建国", "技术革新", 2013, ""]]),
        user=chaoyang_officer, commit=True)
    assert (summary.updated, summary.rejected_count) == (1, 0)
    achievement.refresh_from_db()
    assert (achievement.title, achievement.grade) == ("主轴热变形补偿装置", "good")


def test_formula_like_titles_and_names_are_refused_in_achievements(tree, chaoyang_officer, people):
    (_first, number), _second = people
    summary = pipeline.run(kind_code="achievements", data=xlsx(
        [["CX2013-0009", "=HYPERLINK(\"x\")", UNIT, number, "王建国", "技术革新", 2013, ""],
         ["CX2013-0010", "焊接夹具", UNIT, number, "@王建国", "技术革新", 2013, ""]]), user=chaoyang_officer, commit=True)
    assert summary.rejected_count == 2
    assert {row: column for row, (column, _reason) in problems(summary).items()} == {2: "成果名称", 3: "完成人姓名"}
    assert not Achievement.objects.exists()


def _proposal_row(proposal, number, worker, *cells):
    return [proposal.code, proposal.title, "降低成本", number, worker.name, UNIT,
            proposal.submitted_on.isoformat(), *cells]


def test_a_proposals_file_without_the_optional_columns_keeps_the_benefit_and_moves_the_state(
        tree, chaoyang_officer, people):
    (worker, number), _second = people
    proposal = proposal_create(tree["chaoyang_enterprise"], state="implemented", worker=worker, category="cost",
                               submitted_on=dt.date(2012, 3, 15), measured_benefit=Decimal("12.50"))
    data = xlsx([_proposal_row(proposal, number, worker, "已奖励"),
                 ["JY-NEW-1", "节能照明改造", "节能减排", number, "王建国", UNIT, "2012-05-01", "已提交"]],
                headers=PROPOSAL)
    summary = pipeline.run(kind_code="proposals", data=data, user=chaoyang_officer, commit=True)
    assert (summary.new, summary.updated, summary.rejected_count) == (1, 1, 0)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.measured_benefit) == ("rewarded", Decimal("12.50"))
    assert Proposal.objects.get(code="JY-NEW-1").measured_benefit is None


def test_a_blank_benefit_cell_keeps_the_stored_benefit(tree, chaoyang_officer, people):
    (worker, number), _second = people
    proposal = proposal_create(tree["chaoyang_enterprise"], state="implemented", worker=worker, category="cost",
                               submitted_on=dt.date(2012, 3, 15), measured_benefit=Decimal("12.50"))
    headers = [*PROPOSAL, "经济效益(万元)", "处理意见"]
    unchanged = pipeline.run(kind_code="proposals", data=xlsx(
        [_proposal_row(proposal, number, worker, "已实施", "", "")], headers=headers), user=chaoyang_officer, commit=True)
    assert (unchanged.updated, unchanged.unchanged, unchanged.rejected_count) == (0, 1, 0)
    changed = pipeline.run(kind_code="proposals", data=xlsx(
        [_proposal_row(proposal, number, worker, "已实施", "20", "")], headers=headers), user=chaoyang_officer, commit=True)
    assert changed.updated == 1
    proposal.refresh_from_db()
    assert proposal.measured_benefit == Decimal("20")


def test_formula_like_titles_and_names_are_refused_in_proposals(tree, chaoyang_officer, people):
    (worker, number), _second = people
    summary = pipeline.run(kind_code="proposals", data=xlsx(
        [["JY-F-1", "-改进夹具", "降低成本", number, "王建国", UNIT, "2012-05-01", "已提交"],
         ["JY-F-2", "改进夹具", "降低成本", number, "+王建国", UNIT, "2012-05-01", "已提交"]], headers=PROPOSAL),
        user=chaoyang_officer, commit=True)
    assert {row: column for row, (column, _reason) in problems(summary).items()} == {2: "标题", 3: "提出人姓名"}
    assert not Proposal.objects.exists()


def test_the_templates_mark_the_optional_columns():
    assert rules(AchievementKind)["评价等级"][0] == "选填，可省略列"
    assert rules(ProposalKind)["经济效益(万元)"][0] == "选填，可省略列"
    assert rules(ProposalKind)["处理意见"][0] == "选填，可省略列"
    assert rules(ProposalKind)["标题"][0] == "必填"
    assert [column.header for column in AchievementKind.columns if column.formula_guard] == ["成果名称", "完成人姓名"]
    assert [column.header for column in ProposalKind.columns if column.formula_guard] == ["标题", "提出人姓名"]
