"""TAL-6 fast track and EDU-9 certificate credits, through every write path."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from courses.models import CreditEntry
from talent.models import FastTrackRecommendation, QualifyingAward, SkillCertificate
from talent.services import certificates, competitions
from tests.factories import WorkerFactory

from .helpers import certificate_make, competition_make

D = dt.date


def test_a_municipal_first_prize_recommends_the_next_level_and_a_certificate_at_it_fulfils_it(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    certificate_make(worker, 4, D(2009, 5, 1))
    result = competitions.competition_result_create(
        competition=competition_make(tree["root"], year=2012), worker=worker, rank=1, award="一等奖")

    recommendation = FastTrackRecommendation.objects.get()
    assert (recommendation.result, recommendation.worker, recommendation.unit) == (result, worker, worker.unit)
    assert (recommendation.level_before, recommendation.level, recommendation.level_on) == (4, 3, D(2012, 12, 31))
    assert recommendation.fulfilled_by is None

    certificate_make(worker, 4, D(2013, 2, 1), occupation="电工")  # not the recommended level
    recommendation.refresh_from_db()
    assert recommendation.fulfilled_by is None
    arrived = certificate_make(worker, 3, D(2013, 3, 1))
    recommendation.refresh_from_db()
    assert (recommendation.fulfilled_by, recommendation.fulfilled_on) == (arrived, D(2013, 3, 1))


def test_only_qualifying_awards_at_their_level_recommend(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    district = competition_make(tree["chaoyang"], level="district")
    competitions.competition_result_create(competition=district, worker=worker, rank=1, award="一等奖")
    competitions.competition_result_create(competition=competition_make(tree["root"]), worker=worker, rank=9,
                                           award="优秀奖")
    assert FastTrackRecommendation.objects.count() == 0

    # Staff add 区级 一等奖 to the qualifying awards: a corrected result then qualifies.
    QualifyingAward.objects.create(level="district", award="一等奖")
    result = district.results.get()
    competitions.competition_result_update(result=result, rank=2)
    assert FastTrackRecommendation.objects.get().level == 5  # no certificate before: the first level


def test_a_corrected_award_that_no_longer_qualifies_withdraws_an_open_recommendation(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    result = competitions.competition_result_create(
        competition=competition_make(tree["root"]), worker=worker, rank=3, award="三等奖")
    assert FastTrackRecommendation.objects.count() == 1
    competitions.competition_result_update(result=result, award="优秀奖")
    assert FastTrackRecommendation.objects.count() == 0


def test_a_senior_technician_gets_no_recommendation(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    certificate_make(worker, 1, D(2010, 1, 1))
    competitions.competition_result_create(competition=competition_make(tree["root"]), worker=worker, rank=1,
                                           award="一等奖")
    assert FastTrackRecommendation.objects.count() == 0


def test_the_bulk_certificate_write_fulfils_and_earns_like_the_single_one(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    competitions.competition_result_create(competition=competition_make(tree["root"], year=2013), worker=worker,
                                           rank=2, award="二等奖")
    occupation_id = SkillCertificate._meta.get_field("occupation").related_model.objects.get(name="焊工").pk
    certificates.skill_certificates_write(new=[{
        "worker_id": worker.pk, "unit_id": worker.unit_id, "occupation_id": occupation_id, "level": 5,
        "number": "1101000000001", "issuer": "北京市职业技能鉴定指导中心", "issued_on": D(2014, 1, 5),
        "valid_until": None}], updated=[])

    certificate = SkillCertificate.objects.get(number="1101000000001")
    assert FastTrackRecommendation.objects.get().fulfilled_by == certificate
    entry = CreditEntry.objects.get(source_kind=CreditEntry.Source.CERTIFICATE)
    assert (entry.worker, entry.credits, entry.earned_on) == (worker, Decimal(4), D(2014, 1, 5))


def test_a_certificate_earns_credits_once_and_not_before_the_rule_starts(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    certificate_make(worker, 4, D(2012, 12, 31))  # the seeded rule is in force from 2013
    later = certificate_make(worker, 3, D(2013, 6, 1))
    certificates.skill_certificate_update(certificate=later, issuer="北京市人力资源和社会保障局")
    assert list(CreditEntry.objects.values_list("source_id", "credits")) == [(later.pk, Decimal(4))]
