"""Issue 8 EDU-7 / EDU-9: the demo's ledger seeding credits a worker's own completed classes only;
a child's completed class (an enrolment with a dependant) earns the parent nothing, as
services.enrolment_complete already rules."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from courses.models import CreditEntry, CreditRule, Dependant, Enrolment
from courses.seed import _seed_ledger
from tests.factories import WorkerFactory, class_create, course_create


def test_seeding_the_ledger_credits_own_completions_and_not_a_childs(tree):
    CreditRule.objects.get_or_create(source="course", valid_from=dt.date(2010, 1, 1),
                                     defaults={"credits_each": Decimal(1)})
    unit = tree["chaoyang_enterprise"]
    worker = WorkerFactory(unit=unit)
    child = Dependant.objects.create(worker=worker, name="小明", relation="son", birth_year=2002)
    past = dict(starts_on=dt.date(2012, 3, 1), ends_on=dt.date(2012, 3, 10))
    own = Enrolment.objects.create(course_class=class_create(course_create(unit, title="焊接技术"), **past), worker=worker,
                                   unit_id=unit.pk, status=Enrolment.Status.COMPLETED, completed_on=dt.date(2012, 3, 10))
    childs = Enrolment.objects.create(course_class=class_create(course_create(unit, title="少儿编程"), **past), worker=worker,
                                      dependant=child, unit_id=unit.pk, status=Enrolment.Status.COMPLETED,
                                      completed_on=dt.date(2012, 3, 10))
    _seed_ledger()
    entries = CreditEntry.objects.filter(worker=worker, source_kind=CreditEntry.Source.COURSE)
    assert list(entries.values_list("source_id", flat=True)) == [own.pk]
    assert not entries.filter(source_id=childs.pk).exists()
