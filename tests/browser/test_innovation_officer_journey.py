"""Issue 10 in a browser: a district officer uploads innovation achievements (a team of three, a
title row above the headers and a bad row), confirms the preview, finds the excellent ones in the
admin, then opens the honours ladder, sees who is eligible for the next rung and exports it."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from innovation.models import Achievement
from tests.factories import WorkerFactory, honour_create, id_number_new
from tests.innovation.helpers import xlsx

pytestmark = pytest.mark.django_db(transaction=True)
UNIT = "91110105MA01CY001A"


def _log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-123456")
    with page.expect_navigation():
        page.click("#login-form input[type=submit]")


def test_officer_uploads_a_team_sees_the_excellent_ones_and_exports_the_ladder(live_server, page, tree,
                                                                                chaoyang_officer):
    numbers = [id_number_new() for _ in range(4)]
    names = ["王建国", "李秀英", "张伟", "赵磊"]
    workers = [WorkerFactory(unit=tree["chaoyang_enterprise"], name=name, id_number=number)
               for name, number in zip(names, numbers)]
    rows = [["CX2013-0001", "数控机床主轴热变形补偿装置", UNIT, number, name, "技术革新", 2013, "优秀"]
            for name, number in zip(names[:3], numbers[:3])]
    rows += [["CX2013-0002", "班组成本日核算法", UNIT, numbers[3], "赵磊", "管理创新", 2013, "良好"],
             ["CX2013-0003", "焊缝跟踪小车", UNIT, numbers[3], "赵四", "发明创造", 2013, "优秀"]]  # not the registry's name
    data = xlsx(rows, title="2013年度职工创新成果汇总表")

    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, live_server, "cy")
    page.goto(live_server.url + "/admin/uploads/upload/new/")
    page.select_option("select[name=kind]", "achievements")
    page.set_input_files("input[name=file]", files=[{
        "name": "创新成果.xlsx", "buffer": data,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    with page.expect_navigation():
        page.click("#upload-form input[type=submit]")
    page.wait_for_selector("#count-rows")
    assert page.inner_text("#count-rows") == "5"
    assert page.inner_text("#count-new") == "4"
    assert page.inner_text("#count-rejected") == "1"
    assert "完成人姓名" in page.inner_text("#rejected-rows")
    assert not Achievement.objects.exists()
    with page.expect_navigation():
        page.click("form[action$='/commit/'] input[type=submit]")
    page.wait_for_selector("#count-written")
    assert page.inner_text("#count-written") == "4"

    page.goto(live_server.url + "/admin/innovation/achievement/?grade__exact=excellent")
    assert page.locator("#result_list tbody tr").count() == 1
    assert "数控机床主轴热变形补偿装置" in page.inner_text("#result_list")
    assert "班组成本日核算法" not in page.inner_text("#result_list")
    assert set(Achievement.objects.get(code="CX2013-0001").members.values_list("worker__name", flat=True)) == set(names[:3])

    honour_create("innovation_star", worker=workers[0], awarded_on=dt.date(2011, 4, 28))
    honour_create("labour_medal", worker=workers[1], awarded_on=dt.date(2012, 4, 28))
    honour_create("model_worker", worker=workers[2], awarded_on=dt.date(2013, 4, 28))
    page.goto(live_server.url + "/admin/innovation/honour/")
    with page.expect_navigation():
        page.click("a[href$='/admin/innovation/honour/ladder/']")
    steps = page.locator(".ladder-step")
    assert steps.count() == 4
    assert "王建国" in steps.nth(0).inner_text() and "数控机床主轴热变形补偿装置" in steps.nth(0).inner_text()
    assert "李秀英" in steps.nth(1).inner_text() + steps.nth(2).inner_text()
    assert "张伟" not in page.inner_text("#content-main")  # a model worker has climbed the whole ladder
    assert workers[0].id_number_masked in steps.nth(0).inner_text()

    with page.expect_download() as download:
        page.click("#ladder-export")
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    exported = {row[2]: row for row in list(sheet.values)[1:]}
    assert set(exported) == {"王建国", "李秀英"}
    assert exported["王建国"][3] == workers[0].id_number_masked and numbers[0] not in str(exported)
