"""Issue 9, done when: a district officer, tried as a new user would, downloads the certificates
template, uploads a sheet with a title row and one wrong row, fixes the row from the rejected-rows
file, sees the levels and counts by level in the talent database, uploads a competition and its
results and sees the fast-track recommendation; the worker sees their certificates in 我的学习."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from core.crypto import decrypt_id_number
from membership.models import User
from talent.models import FastTrackRecommendation, SkillCertificate
from tests.factories import WorkerFactory, skill_certificate_make

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, live_server, username, password="pw-123456"):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("#login-form input[type=submit]")


def _download(page, selector) -> bytes:
    with page.expect_download() as download:
        page.click(selector)
    return open(download.value.path(), "rb").read()


def _upload(page, live_server, tmp_path, kind: str, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    page.goto(live_server.url + f"/admin/uploads/upload/new/?kind={kind}")
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("#upload-form input[type=submit]")


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_officer_uploads_certificates_and_results_and_the_worker_sees_them(live_server, page, tree, chaoyang_officer,
                                                                          tmp_path):
    enterprise = tree["chaoyang_enterprise"]
    wang = WorkerFactory(unit=enterprise, name="王建国")
    li = WorkerFactory(unit=enterprise, name="李秀英")
    zhao = WorkerFactory(unit=enterprise, name="赵强")
    skill_certificate_make(zhao, level=5)
    User.objects.create_user("wangjg", password="Gongren-2026!", worker=wang, is_staff=False, first_name="王建国")
    page.set_viewport_size({"width": 1366, "height": 900})
    _log_in(page, live_server, chaoyang_officer.username)

    # 1. The template: the headers in order, with the 填写说明 sheet.
    page.goto(live_server.url + "/admin/uploads/upload/new/")
    template = openpyxl.load_workbook(io.BytesIO(_download(page, "a[href$='/template/certificates/']")))
    headers = [cell.value for cell in next(template.worksheets[0].iter_rows(max_row=1))]
    assert headers == ["身份证号", "姓名", "职业", "等级", "证书编号", "发证机构", "发证日期", "有效期至"]
    assert len(template.worksheets) >= 2

    # 2. A sheet with a title row and one wrong row (等级 六级).
    issuer = "北京市职业技能鉴定指导中心"
    sheet = _xlsx([["朝阳区2013年职业资格证书登记表"], headers,
                   [decrypt_id_number(wang.id_number_encrypted), "王建国", "焊工", "高级工", "1311000000000001", issuer,
                    "2012-06-30", None],
                   [decrypt_id_number(li.id_number_encrypted), "李秀英", "育婴员", "六级", "1311000000000002", issuer,
                    "2011-03-01", "2031-02-28"],
                   [decrypt_id_number(zhao.id_number_encrypted), "赵强", "电工", "中级工", "1311000000000003", issuer,
                    "2012-09-01", None]])
    _upload(page, live_server, tmp_path, "certificates", "证书.xlsx", sheet)
    assert page.locator("#count-new").inner_text() == "2"
    assert page.locator("#count-rejected").inner_text() == "1"
    assert "等级" in page.locator("#rejected-rows").inner_text()
    with page.expect_navigation():
        page.click("form[action$='/commit/'] input[type=submit]")
    assert page.locator("#count-written").inner_text() == "2"
    rejected = openpyxl.load_workbook(io.BytesIO(_download(page, "a[href$='/rejected.xlsx']")))
    rows = [[cell.value for cell in row] for row in rejected.worksheets[0].iter_rows()]
    assert rows[1][1] == "李秀英" and rows[1][3] == "六级"

    # 3. Fix the row in the rejected-rows file and upload it again.
    rejected.worksheets[0].cell(row=2, column=4, value="五级")
    fixed = io.BytesIO()
    rejected.save(fixed)
    _upload(page, live_server, tmp_path, "certificates", "证书-改.xlsx", fixed.getvalue())
    assert (page.locator("#count-new").inner_text(), page.locator("#count-rejected").inner_text()) == ("1", "0")
    with page.expect_navigation():
        page.click("form[action$='/commit/'] input[type=submit]")
    assert SkillCertificate.objects.get(number="1311000000000002").level == 5

    # 4. The talent database: each worker once at the best level, counts by level above the list.
    page.goto(live_server.url + "/admin/talent/talentrecord/")
    assert page.locator("#level-count-total").inner_text() == "3"
    assert [page.locator(f"#level-count-{level}").inner_text() for level in (1, 2, 3, 4, 5)] == ["0", "0", "1", "1", "1"]
    table = page.locator("#result_list").inner_text()
    assert "王建国" in table and "赵强" in table and decrypt_id_number(wang.id_number_encrypted) not in table

    # 5. A competition and its results; a 市级 一等奖 recommends 王建国 for 技师.
    competitions = "竞赛编码,竞赛名称,级别,主办单位代码,行业代码,职业,年度,系列\n" \
                   "110105-2013-01,北京市职工焊工技能大赛（朝阳赛区）,市级,110105,34,焊工,2013,国际焊接对抗赛\n"
    _upload(page, live_server, tmp_path, "competitions", "竞赛.csv", competitions.encode())
    with page.expect_navigation():
        page.click("form[action$='/commit/'] input[type=submit]")
    assert page.locator("#count-written").inner_text() == "1"
    results = "竞赛编码,身份证号,姓名,名次,奖项\n" \
              f"110105-2013-01,{decrypt_id_number(wang.id_number_encrypted)},王建国,1,一等奖\n" \
              f"110105-2013-01,{decrypt_id_number(zhao.id_number_encrypted)},赵强,8,优秀奖\n"
    _upload(page, live_server, tmp_path, "competition_results", "成绩.csv", results.encode("gb18030"))
    with page.expect_navigation():
        page.click("form[action$='/commit/'] input[type=submit]")
    assert page.locator("#count-written").inner_text() == "2"
    page.goto(live_server.url + "/admin/talent/fasttrackrecommendation/")
    listing = page.locator("#result_list").inner_text()
    assert "王建国" in listing and "一等奖" in listing and "赵强" not in listing
    recommendation = FastTrackRecommendation.objects.get()
    assert (recommendation.worker, recommendation.level_before, recommendation.level) == (wang, 3, 2)

    # 6. The worker logs in on the public site and finds the certificate in 我的学习.
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("courses:my_learning"))  # asks to log in first
    page.fill("#id_username", "wangjg")
    page.fill("#id_password", "Gongren-2026!")
    with page.expect_navigation():
        page.click("form.form button.primary")
    certificates = page.locator("#skill-certificates").inner_text()
    assert "1311000000000001" in certificates and "焊工" in certificates
    assert page.locator("#skill-certificates tr.certificate-valid").count() == 1
