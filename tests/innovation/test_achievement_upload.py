"""UPL-6 `achievements` (INN-4): a team is several rows with one 成果编码, whose other cells agree;
the unit and every member lie in the uploader's subtree; idempotent on the code and the member."""
from __future__ import annotations

import pytest

from innovation.models import Achievement, AchievementMember
from tests.factories import WorkerFactory, achievement_create, id_number_new
from uploads import pipeline
from uploads.pipeline import UploadRefused

from .helpers import xlsx

UNIT = "91110105MA01CY001A"  # tests/conftest.py CHAOYANG_ENTERPRISE


@pytest.fixture
def team(tree):
    numbers = [id_number_new() for _ in range(4)]
    workers = [WorkerFactory(unit=tree["chaoyang_enterprise"], name=name, id_number=number)
               for name, number in zip(["王建国", "李秀英", "张伟", "赵磊"], numbers)]
    return list(zip(workers, numbers))


def _rows(team, code="CX2013-0001", title="数控机床主轴热变形补偿装置", grade="优秀", unit=UNIT):
    return [[code, title, unit, number, worker.name, "技术革新", 2013, grade] for worker, number in team]


def _errors(summary):
    return {error["row"]: (error["column"], error["reason"]) for error in pipeline.flatten_errors(summary.rejected)}


def test_a_team_of_three_with_a_title_row_and_a_bad_row_is_previewed_then_written_once(tree, chaoyang_officer, team):
    rows = _rows(team[:3]) + [
        # 赵磊 in the same team but a different title: the team's cells must agree.
        ["CX2013-0001", "主轴补偿装置", UNIT, team[3][1], "赵磊", "技术革新", 2013, "优秀"],
        ["CX2013-0002", "班组成本核算法", UNIT, team[3][1], "赵磊", "管理创新", 2012, ""],
    ]
    data = xlsx(rows, title="2013年度职工创新成果汇总表")
    preview = pipeline.run(kind_code="achievements", data=data, user=chaoyang_officer, commit=False)
    assert (preview.rows, preview.new, preview.rejected_count) == (5, 4, 1)
    column, reason = _errors(preview)[6]  # title row 1, headers row 2, data from row 3
    assert column == "成果名称" and "3" in reason  # names the team's first row
    assert Achievement.objects.count() == 0

    commit = pipeline.run(kind_code="achievements", data=data, user=chaoyang_officer, commit=True)
    assert (commit.new, commit.written, commit.rejected_count) == (4, 4, 1)
    first = Achievement.objects.get(code="CX2013-0001")
    assert (first.title, first.kind, first.year, first.grade, first.unit) == (
        "数控机床主轴热变形补偿装置", "technical", 2013, "excellent", tree["chaoyang_enterprise"])
    assert list(first.members.order_by("order").values_list("worker__name", "order")) == [
        ("王建国", 0), ("李秀英", 1), ("张伟", 2)]
    second = Achievement.objects.get(code="CX2013-0002")
    assert (second.grade, list(second.members.values_list("worker__name", flat=True))) == ("", ["赵磊"])

    again = pipeline.run(kind_code="achievements", data=data, user=chaoyang_officer, commit=True)
    assert (again.new, again.updated, again.unchanged, again.written) == (0, 0, 4, 0)
    assert AchievementMember.objects.count() == 4


def test_unit_and_members_outside_the_subtree_are_row_errors(tree, chaoyang_officer, team):
    haidian_number = id_number_new()
    WorkerFactory(unit=tree["haidian_enterprise"], name="陈静", id_number=haidian_number)
    rows = [
        ["CX1", "成果一", "91110108MA01HD001H", team[0][1], team[0][0].name, "其他", 2012, ""],  # 海淀's unit
        ["CX2", "成果二", UNIT, haidian_number, "陈静", "其他", 2012, ""],  # 海淀's worker
        ["CX3", "成果三", UNIT, team[1][1], "李四", "其他", 2012, ""],  # not the registry's name
        ["CX4", "成果四", UNIT, team[2][1], team[2][0].name, "专利", 2012, "很好"],  # kind and grade unknown
    ]
    summary = pipeline.run(kind_code="achievements", data=xlsx(rows), user=chaoyang_officer, commit=True)
    errors = _errors(summary)
    assert summary.rejected_count == 4 and summary.written == 0
    assert errors[2][0] == "单位代码" and errors[3][0] == "完成人身份证号" and errors[4][0] == "完成人姓名"
    assert errors[5][0] in {"成果类型", "评价等级"}
    assert {e["column"] for e in pipeline.flatten_errors(summary.rejected) if e["row"] == 5} == {"成果类型", "评价等级"}
    assert not Achievement.objects.exists()


def test_a_code_registered_by_another_district_is_refused(tree, chaoyang_officer, team):
    achievement_create(tree["haidian_enterprise"], code="CX-HD-1", title="海淀的成果")
    summary = pipeline.run(kind_code="achievements", data=xlsx(_rows(team[:1], code="CX-HD-1")),
                           user=chaoyang_officer, commit=True)
    assert _errors(summary)[2][0] == "成果编码" and summary.written == 0
    assert Achievement.objects.get(code="CX-HD-1").title == "海淀的成果"
    assert not AchievementMember.objects.exists()


def test_a_reupload_updates_the_title_and_adds_a_member_and_an_empty_grade_keeps_the_evaluated_one(
        tree, chaoyang_officer, team):
    pipeline.run(kind_code="achievements", data=xlsx(_rows(team[:2])), user=chaoyang_officer, commit=True)
    Achievement.objects.filter(code="CX2013-0001").update(grade="good")  # as the portal's evaluators left it
    summary = pipeline.run(kind_code="achievements", data=xlsx(_rows(team[:3], title="主轴热变形补偿装置（改进型）", grade="")),
                           user=chaoyang_officer, commit=True)
    assert (summary.new, summary.updated, summary.unchanged, summary.written) == (0, 3, 0, 3)
    achievement = Achievement.objects.get(code="CX2013-0001")
    assert (achievement.title, achievement.grade, achievement.members.count()) == ("主轴热变形补偿装置(改进型)", "good", 3)  # NFKC


def test_a_repeated_member_row_is_rejected_as_a_repeat(tree, chaoyang_officer, team):
    rows = _rows(team[:1]) + _rows(team[:1])
    summary = pipeline.run(kind_code="achievements", data=xlsx(rows), user=chaoyang_officer, commit=True)
    assert (summary.written, summary.rejected_count) == (1, 1)
    assert _errors(summary)[3][0] == "成果编码"


def test_a_file_without_the_headers_is_refused_whole(tree, chaoyang_officer, team):
    with pytest.raises(UploadRefused):
        pipeline.run(kind_code="achievements", data=xlsx(_rows(team[:1]), headers=["成果编码", "成果名称"]),
                     user=chaoyang_officer, commit=True)
    assert not Achievement.objects.exists()


def test_uploading_achievements_needs_the_permission(tree, team):
    from tests.factories import UserFactory

    stranger = UserFactory(unit=tree["chaoyang"])
    with pytest.raises(UploadRefused):
        pipeline.run(kind_code="achievements", data=xlsx(_rows(team[:1])), user=stranger, commit=True)
    assert not Achievement.objects.exists()
