"""Issue 11's journey in a browser: `leader` logs in, lands on the dashboard, sees every indicator
with its target and chart, drills from the city to 朝阳 to its units to the records, and exports the
xlsx. A screenshot is kept as the test's artefact (tests/browser/artefacts/)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from courses.models import TrainingRecord
from membership import scoping
from reporting import services
from reporting.models import Indicator, Run
from tests.factories import UserFactory, WorkerFactory, funds_return_create

pytestmark = pytest.mark.django_db(transaction=True)
ARTEFACTS = Path(__file__).resolve().parent / "artefacts"


def test_leader_reads_the_dashboard_drills_down_to_the_records_and_exports(live_server, page, tree):
    leader = UserFactory(username="leader-b", unit=tree["root"])
    leader.groups.add(tree["groups"][scoping.LEADERSHIP_GROUP])
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="赵师傅", joined_union_on=dt.date(2010, 1, 1))
    TrainingRecord.objects.create(worker=worker, unit=worker.unit, project="焊接", kind="skills", hours=8,
                                  completed_on=dt.date(2013, 4, 1))
    WorkerFactory(unit=tree["haidian_enterprise"], joined_union_on=dt.date(2010, 1, 1))
    funds_return_create(tree["chaoyang_enterprise"], 2013)
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2010, 2011, 2012, 2013])

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "leader-b")
    page.fill("#id_password", "pw-123456")
    with page.expect_navigation():
        page.click("#login-form input[type=submit]")
    assert page.url.endswith("/reporting/")
    page.select_option("#id_year", "2013")
    with page.expect_navigation():
        page.click(".dashboard-controls button[type=submit]")
    cards = page.locator(".indicator-card")
    assert cards.count() == Indicator.objects.filter(plan__name="首都职工素质建设工程").count()
    text = page.locator("#content-main").inner_text()
    assert "市级职工创新工作室" in text and "目标" in text and "达标" in text
    page.wait_for_selector(".indicator-chart svg")
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "leadership-dashboard.png"), full_page=True)

    # City → 朝阳 → its units → the records behind the number.
    card = page.locator(".indicator-card", has_text="接受更新知识教育").first
    with page.expect_navigation():
        card.locator("a").first.click()
    with page.expect_navigation():
        page.click("text=朝阳区总工会")
    assert "北京朝阳精密机械有限公司工会" in page.locator("#content-main").inner_text()
    with page.expect_navigation():
        page.click("text=北京朝阳精密机械有限公司工会")
    with page.expect_navigation():
        page.click("text=查看该数字的明细记录")
    records = page.locator("#content-main").inner_text()
    assert "赵师傅" in records and worker.id_number_masked in records

    page.goto(live_server.url + "/reporting/")
    with page.expect_download() as download:
        page.click("text=导出 xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
