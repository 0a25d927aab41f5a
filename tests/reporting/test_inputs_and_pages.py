"""Issue 11's inputs (the funds and learning_orgs uploads, the disclosure sheet, governance) and its
pages (the dashboard, the drill-down, the records, the xlsx export) as each role sees them."""
from __future__ import annotations

import datetime as dt
import io
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from reporting import services
from reporting.models import FollowUpAction, FundsReturn, LearningOrgStatus, Run
from tests.conftest import CHAOYANG_ENTERPRISE, HAIDIAN_ENTERPRISE
from tests.factories import UserFactory, WorkerFactory, _action, funds_return_create
from uploads import pipeline

FUNDS = ("统一社会信用代码,年度,工资总额(万元),提取金额(万元),使用金额(万元),一线职工使用金额(万元)\n"
         f"{CHAOYANG_ENTERPRISE},2012,\"1,000\",15,10,6\n"
         f"{CHAOYANG_ENTERPRISE},2013,800,８,10,12\n"        # front-line above spent
         f"{HAIDIAN_ENTERPRISE},2012,100,3,3,1\n"            # 海淀: outside 朝阳's subtree
         "110105,2012,100,3,3,1\n"                           # 朝阳 itself is no enterprise union
         f"{CHAOYANG_ENTERPRISE},12,100,3,3,1\n")


def _grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


@pytest.mark.django_db
def test_the_funds_upload_rejects_bad_rows_in_chinese_and_writes_the_rest(tree, chaoyang_officer):
    data = FUNDS.encode("utf-8")
    preview = pipeline.run(kind_code="funds", data=data, user=chaoyang_officer, commit=False)
    assert (preview.new, preview.rejected_count) == (1, 4)
    problems = {e["row"]: (e["column"], e["reason"]) for e in pipeline.flatten_errors(preview.rejected)}
    assert problems[3][0] == "一线职工使用金额(万元)"
    assert problems[4][0] == problems[5][0] == "统一社会信用代码"
    assert problems[4][1] != problems[5][1]  # outside the subtree; not an enterprise union
    assert problems[6][0] == "年度"
    assert not FundsReturn.objects.exists()
    pipeline.run(kind_code="funds", data=data, user=chaoyang_officer, commit=True)
    funds = FundsReturn.objects.get()
    assert (funds.payroll, funds.extracted, funds.flags()) == (Decimal(1000), Decimal(15), [])
    again = pipeline.run(kind_code="funds", data=data, user=chaoyang_officer, commit=True)
    assert (again.new, again.unchanged, again.written) == (0, 1, 0)


@pytest.mark.django_db
def test_a_return_is_flagged_against_the_plans_rules(tree):
    low = funds_return_create(tree["chaoyang_enterprise"], 2012, payroll="1000", extracted="14.9999", spent="10",
                              frontline="5.9")
    high = funds_return_create(tree["chaoyang_enterprise"], 2013, payroll="1000", extracted="25.0001", spent="10",
                               frontline="6")
    exact = funds_return_create(tree["haidian_enterprise"], 2013, payroll="1000", extracted="15", spent="10",
                                frontline="6")
    with translation.override("en"):
        assert low.flags() == ["Extraction below 1.5% of payroll", "Front-line share below 60%"]
        assert high.flags() == ["Extraction above 2.5% of payroll"]
        assert exact.flags() == []


@pytest.mark.django_db
def test_the_learning_orgs_upload_keys_on_unit_and_year(tree, chaoyang_officer):
    data = ("单位代码,年度,创建状态\n"
            f"{CHAOYANG_ENTERPRISE},2011,创建中\n{CHAOYANG_ENTERPRISE},2012,已命名\n{CHAOYANG_ENTERPRISE},2013,成立\n").encode()
    result = pipeline.run(kind_code="learning_orgs", data=data, user=chaoyang_officer, commit=True)
    assert (result.new, result.rejected_count) == (2, 1)
    assert set(LearningOrgStatus.objects.values_list("year", "status")) == {(2011, "building"), (2012, "named")}


@pytest.mark.django_db
def test_the_disclosure_sheet_downloads_as_xlsx_and_a_pdf_with_its_font_embedded(client, tree, chaoyang_officer, tmp_path):
    funds = funds_return_create(tree["chaoyang_enterprise"], 2012)
    other = funds_return_create(tree["haidian_enterprise"], 2012)
    client.force_login(chaoyang_officer)
    response = client.get(reverse("reporting:funds_disclosure", args=[funds.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "北京朝阳精密机械有限公司工会" in cells and "1.50%" in cells and "60.00%" in cells
    pdf = client.get(reverse("reporting:funds_disclosure", args=[funds.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "NotoSansSCSubset" in fonts and " yes " in fonts
    # 海淀's return is not 朝阳's to print.
    assert client.get(reverse("reporting:funds_disclosure", args=[other.pk, "pdf"])).status_code == 404


@pytest.fixture
def computed(tree):
    funds_return_create(tree["chaoyang_enterprise"], 2012, payroll="1000", extracted="15", spent="10", frontline="6")
    funds_return_create(tree["haidian_enterprise"], 2012, payroll="100", extracted="1", spent="3", frontline="1")
    WorkerFactory(unit=tree["chaoyang_enterprise"], joined_union_on=dt.date(2010, 1, 1))
    return services.run_compute(trigger=Run.Trigger.COMMAND, years=[2011, 2012])


@pytest.mark.django_db
def test_leadership_sees_every_indicator_and_every_district(client, tree, leader, computed):
    client.force_login(leader)
    page = client.get(reverse("reporting:dashboard") + "?year=2012").content.decode()
    for name in ("市级职工创新工作室", "60%用于一线职工", "学分银行试点企业", "朝阳", "海淀"):
        assert name in page
    assert 'id="dashboard-data"' in page and "echarts.common.min.js" in page


@pytest.mark.django_db
def test_a_district_officer_sees_only_their_district_and_its_drill_down(client, tree, chaoyang_officer, computed):
    client.force_login(chaoyang_officer)
    page = client.get(reverse("reporting:dashboard") + "?year=2012").content.decode()
    assert "朝阳" in page and "海淀区总工会" not in page
    indicator = "IND-FUND-FRONTLINE"
    detail = client.get(reverse("reporting:indicator", args=[indicator, tree["chaoyang"].pk, 2012])).content.decode()
    assert "北京朝阳精密机械有限公司工会" in detail and "60%" in detail
    assert client.get(reverse("reporting:indicator", args=[indicator, tree["haidian"].pk, 2012])).status_code == 404
    records = client.get(reverse("reporting:records", args=[indicator, tree["chaoyang"].pk, 2012])).content.decode()
    assert "北京朝阳精密机械有限公司工会" in records and "北京海淀软件有限公司工会" not in records


@pytest.mark.django_db
def test_the_dashboard_exports_values_numerators_denominators_targets_and_the_runs_time(client, tree, leader, computed):
    client.force_login(leader)
    response = client.get(reverse("reporting:dashboard_xlsx"))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(header) == 11
    frontline = [r for r in body if r[0] == "IND-FUND-FRONTLINE" and r[3] == "110000" and r[4] == 2012][0]
    assert (frontline[5], frontline[6], frontline[7], frontline[8]) == (7, 13, 53.85, "≥ 60")
    assert frontline[10]


@pytest.mark.django_db
def test_workers_trained_are_listed_with_masked_id_numbers_and_no_birth_dates(client, tree, leader):
    from courses.models import TrainingRecord

    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], joined_union_on=dt.date(2010, 1, 1))
    TrainingRecord.objects.create(worker=worker, unit=worker.unit, project="焊接", kind="skills", hours=8,
                                  completed_on=dt.date(2012, 3, 1))
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    client.force_login(leader)
    page = client.get(reverse("reporting:records", args=["IND-TRAINED-SHARE", tree["root"].pk, 2012])).content.decode()
    assert worker.name in page and worker.id_number_masked in page
    assert str(worker.birth_date) not in page and worker.birth_date.strftime("%Y%m%d") not in page


@pytest.mark.django_db
def test_staff_without_the_dashboard_permission_and_workers_are_refused(client, tree):
    clerk = UserFactory(unit=tree["chaoyang"])
    client.force_login(clerk)
    assert client.get(reverse("reporting:dashboard")).status_code == 403


@pytest.mark.django_db
def test_an_overdue_follow_up_action_stands_out_and_the_responsible_unit_may_update_it(client, tree, municipal,
                                                                                       chaoyang_officer):
    action = _action(tree["root"], owner=tree["chaoyang"])
    FollowUpAction.objects.filter(pk=action.pk).update(due_on=dt.date(2013, 1, 1))
    client.force_login(municipal)
    page = client.get(reverse("admin:reporting_followupaction_changelist")).content.decode()
    assert "flag-overdue" in page
    assert FollowUpAction.objects.overdue().count() == 1
    client.force_login(chaoyang_officer)
    response = client.get(reverse("admin:reporting_followupaction_change", args=[action.pk]))
    assert response.status_code == 200


@pytest.mark.django_db
def test_staff_start_a_run_from_the_admin(client, tree, municipal, settings, django_capture_on_commit_callbacks):
    client.force_login(municipal)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("admin:reporting_run_start"))
    assert response.status_code == 302 and len(callbacks) == 1
    assert client.get(reverse("admin:reporting_run_changelist")).status_code == 200


@pytest.mark.django_db
def test_the_nightly_schedule_is_data_at_two_in_the_morning_beijing_time(tree):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="reporting.tasks.indicators_compute_task")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("2", "0", "Asia/Shanghai")


@pytest.mark.django_db
def test_leadership_lands_on_the_dashboard_after_logging_in_and_officers_on_the_admin(client, tree, leader,
                                                                                     chaoyang_officer):
    response = client.post(reverse("admin:login"), {"username": leader.username, "password": "pw-123456",
                                                    "next": reverse("admin:index")})
    assert response["Location"] == reverse("reporting:dashboard")
    client.logout()
    response = client.post(reverse("admin:login"), {"username": chaoyang_officer.username, "password": "pw-123456",
                                                    "next": reverse("admin:index")})
    assert response["Location"] == reverse("admin:index")
