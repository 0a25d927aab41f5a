"""Issue 8, items 3-5: optional columns for every kind, a roster's name stays the registry's and
the preview lists each change, formula-like texts in name and title columns, formula cells."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse
from django.utils.translation import gettext

from core.identity import mask_id_number
from membership.models import Industry, Unit, Worker
from tests.conftest import CHAOYANG_ENTERPRISE
from tests.factories import WorkerFactory, id_number_new
from uploads import pipeline
from uploads.models import Upload
from uploads.services import upload_receive

FORMULA_TEXT = "A text beginning with =, +, - or @ is run as a formula by spreadsheets; this column must not begin with one"
NO_VALUE = ("The cell is a formula without a value: the file does not hold its result. Open the file in Excel or WPS "
            "and save it again, or paste the column as values")
NAME_DIFFERS = "The name differs from the registry's name for this ID number"


def csv_bytes(headers, *rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def run(kind, data, user, commit=False):
    return pipeline.run(kind_code=kind, data=data, user=user, commit=commit)


def reasons(summary):
    return {error["row"]: [tuple(problem) for problem in error["errors"]] for error in summary.rejected}


@pytest.fixture
def stored(tree):
    number = id_number_new()
    worker = WorkerFactory(id_number=number, name="张三", unit=tree["chaoyang_enterprise"], post="车工",
                           phone="13800138000", education=Worker.Education.BACHELOR, is_frontline=True,
                           joined_union_on=dt.date(2013, 5, 1))
    return worker, number


def test_an_old_template_without_the_optional_columns_keeps_every_stored_value(stored, chaoyang_officer):
    worker, number = stored
    summary = run("workers", csv_bytes(["姓名", "身份证号", "单位代码"], ["张三", number, CHAOYANG_ENTERPRISE]),
                  chaoyang_officer, commit=True)
    assert (summary.rows, summary.new, summary.updated, summary.unchanged, summary.rejected_count) == (1, 0, 0, 1, 0)
    worker.refresh_from_db()
    assert (worker.post, worker.phone, worker.education, worker.is_frontline, worker.joined_union_on) == (
        "车工", "13800138000", Worker.Education.BACHELOR, True, dt.date(2013, 5, 1))


def test_a_blank_optional_cell_never_clears_a_stored_value(stored, chaoyang_officer):
    worker, number = stored
    headers = ["姓名", "身份证号", "单位代码", "岗位", "一线职工", "文化程度", "手机号码", "入会日期"]
    summary = run("workers", csv_bytes(headers, ["张三", number, CHAOYANG_ENTERPRISE, "", "", "大专", " ", ""]),
                  chaoyang_officer, commit=True)
    assert (summary.updated, summary.unchanged, summary.rejected_count, summary.written) == (1, 0, 0, 1)
    worker.refresh_from_db()
    assert (worker.post, worker.phone, worker.education, worker.is_frontline, worker.joined_union_on) == (
        "车工", "13800138000", Worker.Education.COLLEGE, True, dt.date(2013, 5, 1))


def test_a_new_worker_from_a_file_without_optional_columns_gets_the_defaults(tree, chaoyang_officer):
    number = id_number_new()
    summary = run("workers", csv_bytes(["单位代码", "身份证号", "姓名"], [CHAOYANG_ENTERPRISE, number, "李四"]),
                  chaoyang_officer, commit=True)
    assert (summary.new, summary.written) == (1, 1)
    worker = Worker.objects.get(name="李四")
    assert (worker.post, worker.phone, worker.education, worker.is_frontline, worker.left_on) == ("", "", "", False, None)


def test_a_missing_required_column_still_refuses_the_file(tree, chaoyang_officer):
    from uploads.reader import UploadRefused

    with pytest.raises(UploadRefused) as refused:
        run("workers", csv_bytes(["姓名", "身份证号", "岗位"], ["张三", id_number_new(), "焊工"]), chaoyang_officer)
    assert "单位代码" in refused.value.message
    assert Worker.objects.count() == 0


def test_the_unit_roster_keeps_the_industry_when_its_column_is_left_out(tree, municipal):
    unit = tree["chaoyang_enterprise"]
    section, _created = Industry.objects.get_or_create(code="C", defaults={"name": "制造业"})
    industry, _created = Industry.objects.get_or_create(code="34", defaults={"name": "通用设备制造业", "section": section})
    Unit.objects.filter(pk=unit.pk).update(industry=industry, worker_count=120)
    summary = run("units", csv_bytes(["单位名称", "统一社会信用代码", "上级单位代码", "单位类型"],
                                     [unit.name, unit.code, "110105", "企业工会"]), municipal, commit=True)
    assert (summary.unchanged, summary.updated, summary.rejected_count) == (1, 0, 0)
    unit.refresh_from_db()
    assert (unit.industry_id, unit.worker_count) == (industry.pk, 120)


def test_a_training_re_upload_with_a_blank_result_keeps_the_stored_result(stored, chaoyang_officer):
    from courses.models import TrainingRecord

    worker, number = stored
    headers = ["身份证号", "姓名", "课程编码", "培训项目名称", "培训类型", "学时", "完成日期", "成绩", "培训机构"]
    run("training", csv_bytes(headers, [number, "张三", "", "焊接提升班", "技能培训", "16", "2024-06-30", "优秀", "职工大学"]),
        chaoyang_officer, commit=True)
    summary = run("training", csv_bytes(headers[:7], [number, "张三", "", "焊接提升班", "技能培训", "24", "2024-06-30"]),
                  chaoyang_officer, commit=True)
    assert (summary.updated, summary.rejected_count) == (1, 0)
    record = TrainingRecord.objects.get(worker=worker)
    assert (str(record.hours), record.result, record.institution) == ("24.0", "优秀", "职工大学")


def test_the_template_instructions_say_which_columns_are_optional(client, chaoyang_officer):
    client.force_login(chaoyang_officer)
    response = client.get(reverse("admin:uploads_upload_template", args=["training"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    requirement = {row[0].value: row[1].value for row in book["填写说明"].iter_rows(min_row=2) if row[0].value}
    assert (requirement["身份证号"], requirement["课程编码"], requirement["成绩"], requirement["培训机构"]) == (
        "必填", "选填", "选填，可省略列", "选填，可省略列")
    assert "可省略列" in requirement


def test_a_roster_that_changes_the_registered_name_is_a_row_error(stored, chaoyang_officer):
    worker, number = stored
    summary = run("workers", csv_bytes(["姓名", "身份证号", "单位代码", "岗位"], ["张叁", number, CHAOYANG_ENTERPRISE, "焊工"]),
                  chaoyang_officer, commit=True)
    assert (summary.updated, summary.written) == (0, 0)
    assert reasons(summary) == {2: [("姓名", gettext(NAME_DIFFERS))]}
    worker.refresh_from_db()
    assert (worker.name, worker.post) == ("张三", "车工")


def test_the_preview_lists_each_updated_row_with_its_changes_masked(client, stored, chaoyang_officer, tree):
    worker, number = stored
    other_number = id_number_new()
    WorkerFactory(id_number=other_number, name="王五", unit=tree["chaoyang_enterprise"], post="电工")
    data = csv_bytes(["姓名", "身份证号", "单位代码", "岗位", "文化程度"],
                     ["张三", number, CHAOYANG_ENTERPRISE, "焊工", "大专"],
                     ["王五", other_number, CHAOYANG_ENTERPRISE, "电工", ""])
    upload = upload_receive(user=chaoyang_officer, kind_code="workers", file_name="r.csv", data=data)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.PREVIEWED
    masked = mask_id_number(number)
    assert upload.changes == [{"row": 2, "label": f"张三（{masked}）",
                               "changes": [["岗位", "车工", "焊工"], ["文化程度", "本科", "大专"]]}]
    client.force_login(chaoyang_officer)
    page = client.get(reverse("admin:uploads_upload_preview", args=[upload.pk])).content.decode()
    assert masked in page and number not in page
    assert "车工" in page and "焊工" in page


@pytest.mark.parametrize("name", ["=1+1", "+1", "-1", "@SUM(A1)", " =1+1", "＝1+1"])
def test_a_name_that_begins_like_a_formula_is_a_row_error(tree, chaoyang_officer, name):
    summary = run("workers", csv_bytes(["姓名", "身份证号", "单位代码"], [name, id_number_new(), CHAOYANG_ENTERPRISE]),
                  chaoyang_officer, commit=True)
    assert reasons(summary) == {2: [("姓名", gettext(FORMULA_TEXT))]}
    assert Worker.objects.count() == 0


def test_a_formula_like_text_outside_a_guarded_column_is_left_to_its_column(tree, chaoyang_officer):
    # A post such as "-" is no name or title: the guard is the column's, declared per column.
    summary = run("workers", csv_bytes(["姓名", "身份证号", "单位代码", "岗位"],
                                       ["赵六", id_number_new(), CHAOYANG_ENTERPRISE, "-"]), chaoyang_officer, commit=True)
    assert (summary.new, summary.rejected_count) == (1, 0)


def test_a_training_title_that_begins_like_a_formula_is_a_row_error(stored, chaoyang_officer):
    worker, number = stored
    headers = ["身份证号", "姓名", "课程编码", "培训项目名称", "培训类型", "学时", "完成日期"]
    summary = run("training", csv_bytes(headers, [number, "张三", "", "@HYPERLINK(1)", "技能培训", "16", "2024-06-30"]),
                  chaoyang_officer, commit=True)
    assert reasons(summary) == {2: [("培训项目名称", gettext(FORMULA_TEXT))]}


def _xlsx_with_formulas(number: str, *, name_cell_xml: str) -> bytes:
    """A roster whose name cell (A2) is given as raw XML, as other programs write it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "单位代码"])
    sheet.append(["PLACEHOLDER", number, CHAOYANG_ENTERPRISE])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index('<c r="A2"')
                end = text.index("</c>", start) + len("</c>")
                content = (text[:start] + name_cell_xml + text[end:]).encode()
            target.writestr(item, content)
    return out.getvalue()


def test_an_xlsx_formula_cell_takes_its_cached_value(tree, chaoyang_officer):
    data = _xlsx_with_formulas(id_number_new(), name_cell_xml='<c r="A2" t="str"><f>CONCAT("张","三")</f><v>张三</v></c>')
    summary = run("workers", data, chaoyang_officer, commit=True)
    assert (summary.new, summary.rejected_count) == (1, 0)
    assert list(Worker.objects.values_list("name", flat=True)) == ["张三"]


def test_an_xlsx_formula_cell_without_a_value_is_a_row_error_not_a_blank(tree, chaoyang_officer):
    book = openpyxl.Workbook()  # openpyxl writes formulas without their results
    sheet = book.active
    sheet.append(["姓名", "身份证号", "单位代码", "岗位"])
    sheet.append(["张三", id_number_new(), CHAOYANG_ENTERPRISE, '=CONCAT("焊","工")'])
    buffer = io.BytesIO()
    book.save(buffer)
    summary = run("workers", buffer.getvalue(), chaoyang_officer, commit=True)
    assert reasons(summary) == {2: [("岗位", gettext(NO_VALUE))]}
    assert Worker.objects.count() == 0


def test_an_xlsx_formula_whose_result_is_an_error_is_a_row_error(tree, chaoyang_officer):
    data = _xlsx_with_formulas(id_number_new(), name_cell_xml='<c r="A2" t="e"><f>VLOOKUP(1,B:B,2)</f><v>#N/A</v></c>')
    summary = run("workers", data, chaoyang_officer, commit=True)
    [(column, reason)] = reasons(summary)[2]
    assert column == "姓名" and "#N/A" in reason
    assert Worker.objects.count() == 0


def test_the_admin_refuses_a_worker_name_that_begins_like_a_formula(client, stored, chaoyang_officer):
    worker, _number = stored
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:membership_worker_change", args=[worker.pk]), {
        "name": "=1+1", "unit": worker.unit_id, "transfers-TOTAL_FORMS": 0, "transfers-INITIAL_FORMS": 0})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [gettext(FORMULA_TEXT)]
    worker.refresh_from_db()
    assert worker.name == "张三"
