"""Issue 8's optional columns and formula guard in the talent kinds: 有效期至 (certificates) and 系列
(competitions) may be left out of a file, a blank cell keeps the stored value, the template's
填写说明 says 选填; 姓名 and 竞赛名称 refuse formula-like text."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from core.crypto import decrypt_id_number
from talent.models import Competition, SkillCertificate
from talent.upload_kinds import CertificateKind, CompetitionKind, CompetitionResultKind
from tests.factories import WorkerFactory, competition_make, skill_certificate_make
from uploads import pipeline
from uploads.spreadsheets import template_xlsx

ISSUER = "北京市职业技能鉴定指导中心"


def sheet(header: str, *rows: str) -> bytes:
    return "\n".join([header, *rows]).encode()


def problems(summary) -> dict[int, tuple[str, str]]:
    return {error["row"]: (error["column"], error["reason"]) for error in pipeline.flatten_errors(summary.rejected)}


def rules(kind) -> dict[str, tuple]:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(kind)))
    return {row[0]: row[1:3] for row in book["填写说明"].iter_rows(min_row=2, values_only=True) if row[0]}


@pytest.fixture
def certified(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王建国")
    certificate = skill_certificate_make(worker, level=3, issued_on=dt.date(2012, 6, 30), valid_until=dt.date(2017, 6, 29))
    return worker, certificate


def test_a_certificates_file_without_the_expiry_column_uploads_and_keeps_the_stored_expiry(certified, chaoyang_officer):
    worker, certificate = certified
    number = decrypt_id_number(worker.id_number_encrypted)
    data = sheet("身份证号,姓名,职业,等级,证书编号,发证机构,发证日期",
                 f"{number},王建国,焊工,高级工,{certificate.number},{ISSUER},2012-06-30",
                 f"{number},王建国,电工,中级工,1311000000000099,{ISSUER},2011-03-01")
    summary = pipeline.run(kind_code="certificates", data=data, user=chaoyang_officer, commit=True)
    assert (summary.new, summary.updated, summary.unchanged, summary.rejected_count) == (1, 0, 1, 0)
    certificate.refresh_from_db()
    assert certificate.valid_until == dt.date(2017, 6, 29)
    assert SkillCertificate.objects.get(number="1311000000000099").valid_until is None


def test_a_blank_expiry_cell_keeps_the_stored_expiry_and_a_filled_one_changes_it(certified, chaoyang_officer):
    worker, certificate = certified
    number = decrypt_id_number(worker.id_number_encrypted)
    header = "身份证号,姓名,职业,等级,证书编号,发证机构,发证日期,有效期至"
    blank = pipeline.run(kind_code="certificates", data=sheet(
        header, f"{number},王建国,焊工,技师,{certificate.number},{ISSUER},2012-06-30,"), user=chaoyang_officer,
        commit=True)
    assert (blank.updated, blank.unchanged, blank.rejected_count) == (1, 0, 0)
    certificate.refresh_from_db()
    assert (certificate.level, certificate.valid_until) == (2, dt.date(2017, 6, 29))
    filled = pipeline.run(kind_code="certificates", data=sheet(
        header, f"{number},王建国,焊工,技师,{certificate.number},{ISSUER},2012-06-30,2019-06-29"), user=chaoyang_officer,
        commit=True)
    assert filled.updated == 1
    certificate.refresh_from_db()
    assert certificate.valid_until == dt.date(2019, 6, 29)


def test_a_kept_expiry_before_a_new_issue_date_is_a_row_error_and_nothing_changes(certified, chaoyang_officer):
    worker, certificate = certified
    number = decrypt_id_number(worker.id_number_encrypted)
    summary = pipeline.run(kind_code="certificates", data=sheet(
        "身份证号,姓名,职业,等级,证书编号,发证机构,发证日期",
        f"{number},王建国,焊工,高级工,{certificate.number},{ISSUER},2018-01-01"), user=chaoyang_officer, commit=True)
    assert (summary.updated, summary.rejected_count) == (0, 1)
    assert problems(summary)[2][0] == "有效期至"
    certificate.refresh_from_db()
    assert certificate.issued_on == dt.date(2012, 6, 30)


def test_a_formula_like_name_is_refused_in_certificates(certified, chaoyang_officer):
    worker, _certificate = certified
    number = decrypt_id_number(worker.id_number_encrypted)
    summary = pipeline.run(kind_code="certificates", data=sheet(
        "身份证号,姓名,职业,等级,证书编号,发证机构,发证日期", f"{number},=王建国,焊工,高级工,1311000000000098,{ISSUER},2012-06-30"),
        user=chaoyang_officer, commit=True)
    assert summary.rejected_count == 1 and problems(summary)[2][0] == "姓名"
    assert not SkillCertificate.objects.filter(number="1311000000000098").exists()


def test_a_competitions_file_without_the_series_column_keeps_the_stored_series(tree, chaoyang_officer):
    competition = competition_make(tree["chaoyang"], level="district", year=2012)
    assert competition.series == "国际焊接对抗赛"
    organiser = tree["chaoyang"].code
    data = sheet("竞赛编码,竞赛名称,级别,主办单位代码,行业代码,职业,年度",
                 f"{competition.code},北京市职工焊工技能大赛,区级,{organiser},34,焊工,2012",
                 f"{organiser}-NEW,朝阳区数控技能大赛,区级,{organiser},34,数控车工,2013")
    summary = pipeline.run(kind_code="competitions", data=data, user=chaoyang_officer, commit=True)
    assert (summary.new, summary.updated, summary.unchanged, summary.rejected_count) == (1, 0, 1, 0)
    competition.refresh_from_db()
    assert competition.series == "国际焊接对抗赛"
    assert Competition.objects.get(code=f"{organiser}-NEW").series == ""


def test_a_blank_series_cell_keeps_the_stored_series(tree, chaoyang_officer):
    competition = competition_make(tree["chaoyang"], level="district", year=2012)
    organiser = tree["chaoyang"].code
    summary = pipeline.run(kind_code="competitions", data=sheet(
        "竞赛编码,竞赛名称,级别,主办单位代码,行业代码,职业,年度,系列",
        f"{competition.code},朝阳区焊工技能大赛,区级,{organiser},34,焊工,2012,"), user=chaoyang_officer, commit=True)
    assert (summary.updated, summary.rejected_count) == (1, 0)
    competition.refresh_from_db()
    assert (competition.name, competition.series) == ("朝阳区焊工技能大赛", "国际焊接对抗赛")


def test_a_formula_like_competition_name_is_refused(tree, chaoyang_officer):
    organiser = tree["chaoyang"].code
    summary = pipeline.run(kind_code="competitions", data=sheet(
        "竞赛编码,竞赛名称,级别,主办单位代码,行业代码,职业,年度", f"{organiser}-F,+朝阳区大赛,区级,{organiser},34,焊工,2012"),
        user=chaoyang_officer, commit=True)
    assert summary.rejected_count == 1 and problems(summary)[2][0] == "竞赛名称"
    assert not Competition.objects.exists()


def test_the_templates_mark_the_optional_columns_and_guard_the_names():
    assert rules(CertificateKind)["有效期至"][0] == "选填，可省略列"
    assert rules(CompetitionKind)["系列"][0] == "选填，可省略列"
    assert rules(CertificateKind)["发证日期"][0] == "必填"
    guarded = {kind.code: [column.header for column in kind.columns if column.formula_guard]
               for kind in (CertificateKind, CompetitionKind, CompetitionResultKind)}
    assert guarded == {"certificates": ["姓名"], "competitions": ["竞赛名称"], "competition_results": ["姓名"]}
