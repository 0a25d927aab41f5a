"""UPL-1 to UPL-5 over the real files in tests/data/ (made by tests/data/make_files.py)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from core.crypto import decrypt_id_number
from membership.models import Worker, WorkerTransfer
from uploads import pipeline
from uploads.models import Upload
from uploads.reader import UploadRefused

DATA = Path(__file__).resolve().parent.parent / "data"


def preview(kind, name, user):
    return pipeline.run(kind_code=kind, data=(DATA / name).read_bytes(), user=user, commit=False)


def commit(kind, name, user):
    return pipeline.run(kind_code=kind, data=(DATA / name).read_bytes(), user=user, commit=True)


def reasons(summary):
    return {error["row"]: tuple(error["errors"][0]) for error in summary.rejected}


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def test_gb18030_csv_with_title_row_previews_without_writing(tree, chaoyang_officer):
    summary = preview("workers", "workers_gb18030.csv", chaoyang_officer)
    assert (summary.rows, summary.new, summary.updated, summary.unchanged) == (7, 3, 0, 0)
    assert summary.rejected_count == 4
    rejected = reasons(summary)
    assert rejected[6][0] == "单位代码"  # 海淀's worker in a 朝阳 file
    assert rejected[7][0] == "身份证号" and "科学计数法" in rejected[7][1]
    assert rejected[8][0] == "身份证号"
    assert [column for column, _reason in summary.rejected[-1]["errors"]] == ["一线职工", "文化程度", "手机号码", "入会日期"]
    assert Worker.objects.count() == 0


def test_commit_writes_valid_rows_normalised_and_encrypted(tree, chaoyang_officer):
    summary = commit("workers", "workers_gb18030.csv", chaoyang_officer)
    assert summary.written == 3
    worker = Worker.objects.get(name="李秀英")  # stray spaces trimmed
    assert worker.unit == tree["chaoyang_enterprise"]
    assert worker.is_migrant and worker.education == Worker.Education.COLLEGE
    assert worker.joined_union_on.isoformat() == "2013-05-01"
    full_width = Worker.objects.get(name="张伟")
    assert decrypt_id_number(full_width.id_number_encrypted).isascii()
    assert full_width.id_number_masked.startswith("110105********")
    assert not Worker.objects.filter(name="刘洋").exists()


def test_reupload_of_the_same_file_writes_nothing(tree, chaoyang_officer):
    commit("workers", "workers_gb18030.csv", chaoyang_officer)
    before = list(Worker.objects.order_by("id").values_list("id", "updated_at"))
    again = commit("workers", "workers_gb18030.csv", chaoyang_officer)
    assert (again.new, again.updated, again.unchanged, again.written) == (0, 0, 3, 0)
    assert list(Worker.objects.order_by("id").values_list("id", "updated_at")) == before


def test_xlsx_with_title_row_and_real_excel_date(tree, chaoyang_officer):
    summary = commit("workers", "workers_title_row.xlsx", chaoyang_officer)
    assert summary.new == 4
    assert Worker.objects.get(name="周明").joined_union_on.isoformat() == "2012-03-04"


def test_utf8_bom_csv_and_xls_are_read(tree, chaoyang_officer):
    assert preview("workers", "workers_utf8_bom.csv", chaoyang_officer).new == 3
    assert preview("workers", "workers.xls", chaoyang_officer).new == 2


def test_id_number_stored_as_a_number_by_excel_is_a_row_error(tree, chaoyang_officer):
    summary = preview("workers", "workers_numeric_id.xlsx", chaoyang_officer)
    last = max(reasons(summary))
    column, reason = reasons(summary)[last]
    assert column == "身份证号" and "数字" in reason


@pytest.mark.parametrize("name, fragment", [
    ("zip_bomb.xlsx", "zip"),
    ("billion_laughs.xlsx", "XML"),
    ("huge_range.xlsx", "1048576"),
    ("not_a_spreadsheet.xlsx", "不是"),
    ("empty.csv", "空"),
    ("wrong_headers.csv", "表头"),
])
def test_bad_files_are_refused_whole_and_write_nothing(tree, chaoyang_officer, name, fragment):
    with pytest.raises(UploadRefused) as refused:
        commit("workers", name, chaoyang_officer)
    assert fragment in refused.value.message
    assert Worker.objects.count() == 0


def test_oversize_file_is_refused(tree, chaoyang_officer, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(UploadRefused):
        preview("workers", "workers_gb18030.csv", chaoyang_officer)


def test_a_failure_during_commit_writes_nothing(tree, chaoyang_officer, monkeypatch):
    from membership.upload_kinds import WorkerKind

    def explode(self, rows):
        original(self, rows)
        raise RuntimeError("disk full")

    original = WorkerKind.write
    monkeypatch.setattr(WorkerKind, "write", explode)
    with pytest.raises(RuntimeError):
        commit("workers", "workers_gb18030.csv", chaoyang_officer)
    assert Worker.objects.count() == 0


def test_worker_moving_to_another_unit_keeps_one_record_with_history(tree, chaoyang_officer, municipal):
    commit("workers", "workers_gb18030.csv", chaoyang_officer)
    worker = Worker.objects.get(name="王建国")
    text = (DATA / "workers_gb18030.csv").read_bytes().decode("gb18030")
    moved = text.replace(f"王建国,{decrypt_id_number(worker.id_number_encrypted)},91110105MA01CY001A",
                         f"王建国,{decrypt_id_number(worker.id_number_encrypted)},91110108MA01HD001H")
    summary = pipeline.run(kind_code="workers", data=moved.encode("gb18030"), user=municipal, commit=True)
    assert summary.updated == 1
    assert Worker.objects.filter(name="王建国").count() == 1
    transfer = WorkerTransfer.objects.get(worker=worker)
    assert (transfer.from_unit, transfer.to_unit) == (tree["chaoyang_enterprise"], tree["haidian_enterprise"])


def test_officer_cannot_take_a_worker_registered_in_another_district(tree, chaoyang_officer, haidian_officer):
    commit("workers", "workers_gb18030.csv", chaoyang_officer)
    text = (DATA / "workers_gb18030.csv").read_bytes().decode("gb18030").replace("91110105MA01CY001A", "91110108MA01HD001H")
    summary = pipeline.run(kind_code="workers", data=text.encode("gb18030"), user=haidian_officer, commit=True)
    assert summary.written == 1  # only 刘洋, who is 海淀's own
    assert sum("管辖范围以外" in error["reason"] for error in pipeline.flatten_errors(summary.rejected)) == 3
    assert Worker.objects.filter(unit=tree["chaoyang_enterprise"]).count() == 3


def test_unit_roster_creates_units_under_parents_in_the_same_file(tree, chaoyang_officer):
    summary = commit("units", "units.csv", chaoyang_officer)
    assert (summary.new, summary.rejected_count) == (2, 2)
    from membership.models import Unit

    branch = Unit.objects.get(code="91110105MA01CY003G")
    assert branch.get_parent().code == "91110105MA01CY002D"
    assert branch.path.startswith(tree["chaoyang"].path)
    assert not Unit.objects.filter(code="91110108MA01HD002L").exists()
    assert commit("units", "units.csv", chaoyang_officer).unchanged == 2


def test_command_json_and_exit_codes(tree, chaoyang_officer, capsys):
    call_command("import_sheet", "workers", str(DATA / "workers_gb18030.csv"), "--user", "cy", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"kind", "rows", "new", "updated", "unchanged", "rejected", "written"}
    assert (payload["rows"], payload["new"], payload["written"]) == (7, 3, 0)
    assert {"row", "column", "reason"} == set(payload["rejected"][0])
    call_command("import_sheet", "workers", str(DATA / "workers_gb18030.csv"), "--user", "cy", "--commit", "--json")
    assert json.loads(capsys.readouterr().out)["written"] == 3
    with pytest.raises(SystemExit) as exit_:
        call_command("import_sheet", "workers", str(DATA / "zip_bomb.xlsx"), "--user", "cy")
    assert exit_.value.code == 2
    assert Upload.objects.filter(status=Upload.Status.REFUSED).count() == 1


def test_every_upload_is_recorded_with_hash_and_counts(tree, chaoyang_officer):
    call_command("import_sheet", "workers", str(DATA / "workers_gb18030.csv"), "--user", "cy", "--commit")
    upload = Upload.objects.get()
    assert upload.user == chaoyang_officer and upload.unit == tree["chaoyang"]
    import hashlib

    assert upload.sha256 == hashlib.sha256((DATA / "workers_gb18030.csv").read_bytes()).hexdigest()
    assert (upload.status, upload.rows, upload.written, upload.rejected) == (Upload.Status.COMMITTED, 7, 3, 4)
    # The stored file is encrypted: it holds ID numbers.
    with upload.file.open("rb") as handle:
        assert b"110105" not in handle.read()


def test_admin_upload_preview_confirm_and_rejected_download(client, tree, chaoyang_officer):
    client.force_login(chaoyang_officer)
    form = client.get(reverse("admin:uploads_upload_new")).content.decode()
    assert "职工花名册" in form and reverse("admin:uploads_upload_template", args=["workers"]) in form
    with open(DATA / "workers_title_row.xlsx", "rb") as handle:
        response = client.post(reverse("admin:uploads_upload_new"), {"kind": "workers", "file": handle})
    upload = Upload.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("admin:uploads_upload_preview", args=[upload.pk]))
    html = page.content.decode()
    assert "确认写入" in html and 'id="count-new">4<' in html and "身份证号被 Excel" in html
    assert Worker.objects.count() == 0
    download = client.get(reverse("admin:uploads_upload_rejected", args=[upload.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[-1] == "错误原因"
    assert sheet.max_row == 1 + upload.rejected
    client.post(reverse("admin:uploads_upload_commit", args=[upload.pk]))
    client.post(reverse("admin:uploads_upload_commit", args=[upload.pk]))  # a double click
    upload.refresh_from_db()
    assert upload.status == Upload.Status.COMMITTED and upload.written == 4
    assert Worker.objects.count() == 4


def test_other_district_cannot_see_the_upload_record(client, tree, chaoyang_officer, haidian_officer):
    call_command("import_sheet", "workers", str(DATA / "workers_gb18030.csv"), "--user", "cy")
    upload = Upload.objects.get()
    client.force_login(haidian_officer)
    assert client.get(reverse("admin:uploads_upload_preview", args=[upload.pk])).status_code == 404
    assert client.get(reverse("admin:uploads_upload_rejected", args=[upload.pk])).status_code == 404


def test_template_download_has_headers_and_instructions(client, tree, chaoyang_officer):
    client.force_login(chaoyang_officer)
    response = client.get(reverse("admin:uploads_upload_template", args=["workers"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[1] == "填写说明"
    assert [c.value for c in book.worksheets[0][1]] == [
        "姓名", "身份证号", "单位代码", "岗位", "一线职工", "农民工", "困难职工", "文化程度", "手机号码", "入会日期",
        "离会日期", "离会原因", "调动日期"]
    # Issue 8: 填写说明 says which columns may be left out of a file.
    requirement = {row[0].value: row[1].value for row in book.worksheets[1].iter_rows(min_row=2) if row[0].value}
    assert (requirement["姓名"], requirement["岗位"], requirement["离会日期"]) == ("必填", "选填，可省略列", "选填，可省略列")
    # The template itself uploads cleanly as an empty file: headers, no rows.
    with pytest.raises(UploadRefused) as refused:
        pipeline.run(kind_code="workers", data=response.content, user=chaoyang_officer, commit=False)
    assert "没有数据行" in refused.value.message  # zh-hans, the default language


def test_an_unexpected_error_is_recorded_and_shown_not_a_server_error(client, tree, chaoyang_officer, monkeypatch):
    from membership.upload_kinds import WorkerKind

    def explode(self, rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(WorkerKind, "classify", explode)
    client.force_login(chaoyang_officer)
    with open(DATA / "workers_gb18030.csv", "rb") as handle:
        response = client.post(reverse("admin:uploads_upload_new"), {"kind": "workers", "file": handle}, follow=True)
    assert response.status_code == 200
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.FAILED and "未写入" in response.content.decode()
    assert Worker.objects.count() == 0
