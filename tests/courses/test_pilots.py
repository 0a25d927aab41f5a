"""EDU-9 学分银行试点: credits accrue only to workers of a pilot enterprise, from its pilot year on;
other workers' learning is recorded without credits."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import ledger, services
from courses.models import CreditAccount, CreditEntry, CreditPilot, TrainingRecord
from courses.selectors import learning_record
from tests.factories import WorkerFactory, class_create, course_create, unit_create

Source = CreditEntry.Source


@pytest.fixture(autouse=True)
def no_city_wide_pilot(tree):
    CreditPilot.objects.filter(unit=tree["root"]).delete()


def _complete_class(worker, on: dt.date, credits=Decimal(3)):
    enrolment = services.enrolment_create(worker=worker, course_class=class_create(course_create(worker.unit, credits=credits)))
    return services.enrolment_complete(enrolment=enrolment, passed=True, on=on)


def test_a_pilot_worker_earns_from_the_pilot_year_not_before(tree):
    CreditPilot.objects.create(unit=tree["chaoyang_enterprise"], year=2025)
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    before = _complete_class(worker, dt.date(2024, 12, 20))
    after = _complete_class(worker, dt.date(2025, 1, 6))
    assert list(CreditEntry.objects.values_list("source_id", "credits")) == [(after.pk, Decimal(3))]
    assert CreditAccount.objects.get(worker=worker).balance == Decimal(3)
    record = {entry.on: entry for entry in learning_record(worker=worker) if entry.kind == "class"}
    assert record[dt.date(2024, 12, 20)].credits is None
    assert record[dt.date(2025, 1, 6)].credits == Decimal(3)
    assert before.status == after.status == "completed"


def test_a_non_pilot_worker_earns_nothing_but_the_record_shows_the_learning(tree):
    CreditPilot.objects.create(unit=tree["chaoyang_enterprise"], year=2020)
    worker = WorkerFactory(unit=tree["haidian_enterprise"])
    _complete_class(worker, dt.date(2025, 3, 1))
    services.training_record_create(worker=worker, project="安全生产培训", kind="safety", hours=Decimal(8),
                                    completed_on=dt.date(2025, 4, 1))
    assert not CreditEntry.objects.exists()
    assert CreditAccount.objects.filter(worker=worker, balance__gt=0).count() == 0
    record = learning_record(worker=worker)
    assert {"class", "training"} <= {entry.kind for entry in record}
    assert all(entry.credits is None for entry in record)


def test_a_pilot_enterprise_covers_the_units_below_it(tree):
    CreditPilot.objects.create(unit=tree["chaoyang_enterprise"], year=2025)
    workshop = unit_create(tree["chaoyang_enterprise"], "一车间分工会")
    worker = WorkerFactory(unit=workshop)
    _complete_class(worker, dt.date(2025, 3, 1))
    assert CreditEntry.objects.get().credits == Decimal(3)


def test_the_unit_stored_on_the_fact_decides_not_the_unit_of_today(tree):
    """A training done in a pilot enterprise earns even when its record is written after the
    worker moved to a unit outside the pilot."""
    CreditPilot.objects.create(unit=tree["chaoyang_enterprise"], year=2025)
    worker = WorkerFactory(unit=tree["haidian_enterprise"])
    learned_in_pilot = TrainingRecord.objects.create(
        worker=worker, unit=tree["chaoyang_enterprise"], project="数控培训", kind="skills", hours=Decimal(8),
        completed_on=dt.date(2025, 4, 1))
    learned_here = TrainingRecord.objects.create(
        worker=worker, unit=tree["haidian_enterprise"], project="安全培训", kind="safety", hours=Decimal(8),
        completed_on=dt.date(2025, 4, 2))
    ledger.credit_entries_record_bulk(source_kind=Source.TRAINING, earnings=[
        ledger.Earning(worker_id=worker.pk, source=r, earned_on=r.completed_on, hours=r.hours, cause=r.project)
        for r in (learned_in_pilot, learned_here)])
    assert list(CreditEntry.objects.values_list("source_id", flat=True)) == [learned_in_pilot.pk]


def test_the_pilot_check_costs_the_same_queries_for_any_number_of_units(tree):
    CreditPilot.objects.create(unit=tree["chaoyang_enterprise"], year=2025)

    def queries_for(n):
        units = [unit_create(tree["chaoyang_enterprise"]) for _ in range(n // 2)] + [unit_create(tree["haidian"]) for _ in range(n - n // 2)]
        workers = [WorkerFactory(unit=unit) for unit in units]
        records = [TrainingRecord.objects.create(worker=w, unit_id=w.unit_id, project=f"培训{w.pk}", kind="skills",
                                                 hours=Decimal(8), completed_on=dt.date(2025, 4, 1)) for w in workers]
        earnings = [ledger.Earning(worker_id=r.worker_id, source=r, earned_on=r.completed_on, hours=r.hours,
                                   cause=r.project) for r in records]
        with CaptureQueriesContext(connection) as captured:
            written = ledger.credit_entries_record_bulk(source_kind=Source.TRAINING, earnings=earnings)
        assert len(written) == n // 2
        return len(captured)

    assert queries_for(2) == queries_for(12)
