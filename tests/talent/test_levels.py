"""TAL-1: a worker's level on a date, one worker and set-based, with history kept."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count

from membership.models import Worker
from talent.models import Occupation, SkillCertificate
from talent.selectors.certificates import best_certificates_on, worker_level_on, worker_levels_on
from tests.factories import WorkerFactory

D = dt.date


def certificate(worker, level, issued_on, valid_until=None, occupation="焊工", number=None):
    return SkillCertificate.objects.create(
        worker=worker, unit_id=worker.unit_id, occupation=Occupation.objects.get(name=occupation), level=level,
        number=number or f"{worker.pk}-{level}-{issued_on:%Y%m%d}", issuer="北京市职业技能鉴定指导中心",
        issued_on=issued_on, valid_until=valid_until)


def test_level_is_the_best_certificate_issued_and_still_valid_on_the_day(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    certificate(worker, 5, D(2008, 3, 1))
    certificate(worker, 3, D(2010, 6, 1), valid_until=D(2012, 5, 31))
    certificate(worker, 4, D(2011, 1, 10), occupation="电工")

    assert worker_level_on(worker, D(2008, 2, 29)) is None
    assert worker_level_on(worker, D(2008, 3, 1)) == 5
    assert worker_level_on(worker, D(2010, 5, 31)) == 5
    assert worker_level_on(worker, D(2010, 6, 1)) == 3
    # 有效期至 is inclusive; the day after, the next best valid certificate counts.
    assert worker_level_on(worker, D(2012, 5, 31)) == 3
    assert worker_level_on(worker, D(2012, 6, 1)) == 4
    # History stays: all three certificates are still there.
    assert SkillCertificate.objects.filter(worker=worker).count() == 3


def test_levels_for_many_workers_agree_with_one_worker_on_every_date(tree):
    first = WorkerFactory(unit=tree["chaoyang_enterprise"])
    second = WorkerFactory(unit=tree["haidian_enterprise"])
    uncertified = WorkerFactory(unit=tree["haidian_enterprise"])
    certificate(first, 4, D(2009, 1, 1))
    certificate(first, 2, D(2011, 1, 1), valid_until=D(2011, 12, 31))
    certificate(second, 1, D(2012, 7, 1))
    certificate(second, 5, D(2005, 7, 1), valid_until=D(2006, 7, 1))

    for day in (D(2006, 1, 1), D(2010, 1, 1), D(2011, 6, 1), D(2012, 1, 1), D(2013, 1, 1)):
        levels = dict(worker_levels_on(day).values_list("worker_id", "level"))
        assert levels == {worker.pk: level for worker in (first, second, uncertified)
                          if (level := worker_level_on(worker, day)) is not None}
    assert dict(worker_levels_on(D(2011, 6, 1)).values_list("worker_id", "level")) == {first.pk: 2}
    only_haidian = Worker.objects.filter(unit__path__startswith=tree["haidian"].path)
    assert list(worker_levels_on(D(2013, 1, 1), only_haidian).values_list("worker_id", "level")) == [(second.pk, 1)]


def test_a_later_filter_on_the_level_applies_to_the_best_level_only(tree):
    """A worker at 3 who also holds a 4 is not a level-4 worker."""
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    certificate(worker, 4, D(2009, 1, 1))
    certificate(worker, 3, D(2010, 1, 1))

    assert list(worker_levels_on(D(2013, 1, 1)).filter(level=4)) == []
    assert list(best_certificates_on(D(2013, 1, 1)).order_by().values("level").annotate(n=Count("id"))) == [
        {"level": 3, "n": 1}]
    assert list(Worker.objects.filter(pk__in=worker_levels_on(D(2013, 1, 1)).filter(level__lte=3)
                                      .values("worker_id"))) == [worker]


def test_between_two_certificates_of_one_level_the_latest_issued_then_the_latest_recorded_is_best(tree):
    """The best row (and so its occupation and number) is one per worker, chosen as the list shows it."""
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    certificate(worker, 3, D(2009, 1, 1), occupation="电工", number="OLDER")
    first_recorded = certificate(worker, 3, D(2010, 1, 1), occupation="电工", number="SAME-DAY-1")
    latest_recorded = certificate(worker, 3, D(2010, 1, 1), number="SAME-DAY-2")
    certificate(worker, 4, D(2012, 1, 1), number="LOWER")

    assert list(best_certificates_on(D(2013, 1, 1)).values_list("number", flat=True)) == ["SAME-DAY-2"]
    # A later filter on the occupation or the number does not pick another of the worker's rows.
    assert list(best_certificates_on(D(2013, 1, 1)).filter(occupation__name="电工")) == []
    assert list(best_certificates_on(D(2013, 1, 1)).filter(number="SAME-DAY-1")) == []
    # Narrowed to one occupation beforehand, it is the best in that occupation.
    electrician = Occupation.objects.get(name="电工")
    assert list(best_certificates_on(D(2013, 1, 1), occupation=electrician)) == [first_recorded]
    assert latest_recorded.pk > first_recorded.pk
