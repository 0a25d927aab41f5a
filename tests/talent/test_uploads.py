"""UPL-6: the certificates, competitions and competition_results upload kinds through the one pipeline."""
from __future__ import annotations

import datetime as dt

import pytest

from core.crypto import decrypt_id_number
from talent.models import Competition, CompetitionResult, FastTrackRecommendation, SkillCertificate
from talent.upload_kinds import skill_level
from tests.factories import WorkerFactory, competition_make, skill_certificate_make
from uploads import pipeline

CERTIFICATES = "身份证号,姓名,职业,等级,证书编号,发证机构,发证日期,有效期至"
COMPETITIONS = "竞赛编码,竞赛名称,级别,主办单位代码,行业代码,职业,年度,系列"
RESULTS = "竞赛编码,身份证号,姓名,名次,奖项"
ISSUER = "北京市职业技能鉴定指导中心"


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def sheet(header: str, *rows: str) -> bytes:
    return "\n".join([header, *rows]).encode()


def number_of(worker) -> str:
    return decrypt_id_number(worker.id_number_encrypted)


def problems(summary) -> dict[int, tuple[str, str]]:
    return {error["row"]: (error["column"], error["reason"]) for error in pipeline.flatten_errors(summary.rejected)}


@pytest.mark.parametrize("cell, level", [
    ("1", 1), (5, 5), (3.0, 3), ("三级", 3), ("一级", 1), ("五级", 5), ("国家职业资格二级", 2), ("高级技师", 1),
    ("技师", 2), ("高级工", 3), ("中级工", 4), ("初级工", 5), (" 4 ", 4), ("６", None), ("高级", None), ("", None),
])
def test_levels_are_read_as_digits_chinese_numerals_or_names(cell, level):
    assert skill_level(cell) == level


def test_certificates_upload_previews_rejects_writes_and_is_idempotent(tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王建国")
    outsider = WorkerFactory(unit=tree["haidian_enterprise"], name="李海")
    data = sheet(CERTIFICATES,
                 f"{number_of(worker)},王建国,焊工,高级工,1311000000000001,{ISSUER},2012-06-30,",
                 f"{number_of(worker)},王建国,电工,四级,1311000000000002,{ISSUER},2010/3/1,2012/2/29",
                 f"{number_of(worker)},王建民,电工,4,1311000000000003,{ISSUER},2010-03-01,",
                 f"{number_of(outsider)},李海,电工,4,1311000000000004,{ISSUER},2010-03-01,",
                 f"{number_of(worker)},王建国,飞行员,4,1311000000000005,{ISSUER},2010-03-01,",
                 f"{number_of(worker)},王建国,电工,六级,1311000000000006,{ISSUER},2010-03-01,",
                 f"{number_of(worker)},王建国,电工,4,1311000000000007,{ISSUER},2010-03-01,2009-01-01",
                 f"{number_of(worker)},王建国,电工,4,1311000000000001,{ISSUER},2010-03-01,")
    preview = pipeline.run(kind_code="certificates", data=data, user=chaoyang_officer, commit=False)
    assert (preview.rows, preview.new, preview.rejected_count) == (8, 2, 6)
    found = problems(preview)
    assert found[4][0] == "姓名"
    assert found[5][0] == "身份证号"  # 海淀's worker: outside the uploader's units
    assert found[6][0] == "职业" and "飞行员" in found[6][1]
    assert found[7][0] == "等级"
    assert found[8][0] == "有效期至"
    assert "2" in found[9][1]  # the same 证书编号 as row 2 of the file
    assert SkillCertificate.objects.count() == 0

    commit = pipeline.run(kind_code="certificates", data=data, user=chaoyang_officer, commit=True)
    assert commit.written == 2
    first = SkillCertificate.objects.get(number="1311000000000001")
    assert (first.worker, first.unit, first.occupation.name, first.level, first.issued_on, first.valid_until) == (
        worker, tree["chaoyang_enterprise"], "焊工", 3, dt.date(2012, 6, 30), None)
    assert SkillCertificate.objects.get(number="1311000000000002").valid_until == dt.date(2012, 2, 29)

    again = pipeline.run(kind_code="certificates", data=data, user=chaoyang_officer, commit=True)
    assert (again.new, again.unchanged, again.written) == (0, 2, 0)
    corrected = sheet(CERTIFICATES, f"{number_of(worker)},王建国,焊工,技师,1311000000000001,{ISSUER},2012-06-30,")
    fixed = pipeline.run(kind_code="certificates", data=corrected, user=chaoyang_officer, commit=True)
    assert (fixed.updated, fixed.written) == (1, 1)
    assert SkillCertificate.objects.get(number="1311000000000001").level == 2


def test_a_certificate_number_of_another_worker_is_refused_without_saying_whose(tree, chaoyang_officer, municipal):
    holder = WorkerFactory(unit=tree["haidian_enterprise"])
    taken = skill_certificate_make(holder)
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="赵六")
    summary = pipeline.run(kind_code="certificates", user=chaoyang_officer, commit=True, data=sheet(
        CERTIFICATES, f"{number_of(worker)},赵六,焊工,3,{taken.number},{ISSUER},2012-06-30,"))
    assert summary.written == 0
    column, reason = problems(summary)[2]
    assert column == "证书编号" and holder.name not in reason
    assert SkillCertificate.objects.get(number=taken.number).worker == holder


def test_a_title_row_above_the_headers_is_skipped(tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="孙七")
    data = "2013年朝阳区职业资格证书汇总表,,,,,,,\n".encode() + sheet(
        CERTIFICATES, f"{number_of(worker)},孙七,育婴员,5,1311000000000010,{ISSUER},2013-01-05,")
    summary = pipeline.run(kind_code="certificates", data=data, user=chaoyang_officer, commit=True)
    assert (summary.new, summary.written) == (1, 1)


def test_competitions_upload_checks_level_organiser_industry_and_year(tree, chaoyang_officer):
    data = sheet(COMPETITIONS,
                 "110105-2013-01,朝阳区职工数控技能大赛,区级,110105,34,数控车工,2013,数控技能大赛",
                 "110105-2013-02,朝阳区焊工比赛,省级,110105,34,焊工,2013,",
                 "110108-2013-01,海淀区焊工比赛,区级,110108,34,焊工,2013,",
                 "110105-2013-03,朝阳区焊工比赛,区级,110105,98,焊工,2013,",
                 "110105-2013-04,朝阳区焊工比赛,区级,110105,34,焊工,13,",
                 "110105-2013-05,朝阳区养老护理员大赛,企业级,110105,84,养老护理员,2012,")
    summary = pipeline.run(kind_code="competitions", data=data, user=chaoyang_officer, commit=True)
    found = problems(summary)
    assert (summary.written, sorted(found)) == (2, [3, 4, 5, 6])
    assert [found[row][0] for row in (3, 4, 5, 6)] == ["级别", "主办单位代码", "行业代码", "年度"]
    competition = Competition.objects.get(code="110105-2013-01")
    assert (competition.level, competition.organiser, competition.industry.code, competition.occupation.name,
            competition.year, competition.series, competition.is_public) == (
        "district", tree["chaoyang"], "34", "数控车工", 2013, "数控技能大赛", False)
    again = pipeline.run(kind_code="competitions", data=data, user=chaoyang_officer, commit=True)
    assert (again.unchanged, again.written) == (2, 0)


def test_results_upload_creates_the_fast_track_for_a_municipal_prize(tree, chaoyang_officer, municipal):
    city = competition_make(tree["root"], year=2012)
    own = competition_make(tree["chaoyang"], level="district", year=2012)
    other = competition_make(tree["haidian"], level="district")
    winner = WorkerFactory(unit=tree["chaoyang_enterprise"], name="周八")
    skill_certificate_make(winner, level=4, issued_on=dt.date(2008, 1, 1))
    haidian_worker = WorkerFactory(unit=tree["haidian_enterprise"], name="吴九")
    data = sheet(RESULTS,
                 f"{own.code},{number_of(winner)},周八,1,一等奖",
                 f"{other.code},{number_of(winner)},周八,1,一等奖",
                 f"{city.code},{number_of(winner)},周八,0,一等奖",
                 f"NO-SUCH,{number_of(winner)},周八,1,一等奖")
    summary = pipeline.run(kind_code="competition_results", data=data, user=chaoyang_officer, commit=True)
    assert (summary.written, sorted(problems(summary))) == (1, [3, 4, 5])
    assert problems(summary)[3][0] == "竞赛编码"  # organised in 海淀
    assert FastTrackRecommendation.objects.count() == 0  # 区级 一等奖 does not qualify

    # A city-wide competition with entrants from two districts is entered by municipal staff.
    city_results = sheet(RESULTS, f"{city.code},{number_of(winner)},周八,1,一等奖",
                         f"{city.code},{number_of(haidian_worker)},吴九,5,优秀奖")
    refused = pipeline.run(kind_code="competition_results", data=city_results, user=chaoyang_officer, commit=True)
    assert refused.written == 0 and problems(refused)[2][0] == "竞赛编码"
    summary = pipeline.run(kind_code="competition_results", data=city_results, user=municipal, commit=True)
    assert summary.written == 2
    recommendation = FastTrackRecommendation.objects.get()
    assert (recommendation.worker, recommendation.level_before, recommendation.level) == (winner, 4, 3)
    assert CompetitionResult.objects.filter(competition=city).count() == 2
    again = pipeline.run(kind_code="competition_results", data=city_results, user=municipal, commit=True)
    assert (again.unchanged, again.written, FastTrackRecommendation.objects.count()) == (2, 0, 1)
