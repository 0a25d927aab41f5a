"""Roles (innovation/roles.py): unit staff keep their records, leadership reads and changes nothing,
evaluators only score; the `achievements` template carries its 填写说明."""
from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from innovation.roles import EVALUATOR_GROUP
from membership import scoping


def test_leadership_reads_every_innovation_model_and_changes_none(tree):
    codenames = set(tree["groups"][scoping.LEADERSHIP_GROUP].permissions.filter(
        content_type__app_label="innovation").values_list("codename", flat=True))
    assert {"view_achievement", "view_honour", "view_labourcompetition", "view_technologycontract"} <= codenames
    assert all(codename.startswith("view_") for codename in codenames)


def test_only_municipal_staff_change_the_evaluation_indicators(tree):
    def codenames(group):
        return set(tree["groups"][group].permissions.filter(content_type__app_label="innovation")
                   .values_list("codename", flat=True))

    assert "change_evaluationindicator" in codenames(scoping.MUNICIPAL_GROUP)
    assert "change_evaluationindicator" not in codenames(scoping.LEVEL1_GROUP)
    assert codenames(EVALUATOR_GROUP) == {"view_achievementevaluation", "change_achievementevaluation",
                                          "view_evaluationindicator"}
    assert {"add_achievement", "export_honour", "evaluate_achievement"} <= codenames(scoping.LEVEL2_GROUP)


def test_the_achievements_template_explains_every_column(client, tree, chaoyang_officer):
    client.force_login(chaoyang_officer)
    response = client.get(reverse("admin:uploads_upload_template", args=["achievements"]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers == ["成果编码", "成果名称", "单位代码", "完成人身份证号", "完成人姓名", "成果类型", "年度", "评价等级"]
    rules = {row[0]: row[1:3] for row in workbook["填写说明"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert rules["评价等级"][0] == "选填，可省略列" and "优秀" in rules["评价等级"][1]
    assert rules["成果编码"][0] == "必填" and "每位完成人各占一行" in rules["成果编码"][1]
