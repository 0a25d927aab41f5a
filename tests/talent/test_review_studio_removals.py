"""Review (TAL-4): a failing assessment removes a studio's recognition from its date whatever order
things are entered in — a recognition entered late with an earlier date, or one given back when
another failing assessment is corrected, still ends at the first failing assessment after it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from talent.selectors.studios import studio_level_on
from talent.services.studios import studio_assessment_delete, studio_assessment_save, studio_recognise
from tests.factories import studio_make

D = dt.date
CITY, DISTRICT = 1, 2
pytestmark = pytest.mark.django_db


def test_a_recognition_entered_after_a_failing_assessment_but_dated_before_it_ends_on_its_date(tree):
    studio = studio_make(tree["chaoyang_enterprise"], level=DISTRICT, recognised_on=D(2010, 6, 1))
    failing = studio_assessment_save(studio=studio, year=2012, assessed_on=D(2013, 1, 15), score=Decimal(40),
                                     grade="failed")
    late = studio_recognise(studio=studio, level=CITY, recognised_on=D(2011, 9, 1))
    assert (late.removed_on, late.removed_by_assessment_id) == (D(2013, 1, 15), failing.pk)
    assert studio_level_on(studio, D(2012, 12, 31)) == CITY
    assert studio_level_on(studio, D(2013, 1, 15)) is None
    assert studio_level_on(studio, D(2026, 1, 1)) is None


def test_correcting_one_failing_assessment_leaves_the_recognition_ended_by_the_next(tree):
    studio = studio_make(tree["chaoyang_enterprise"], level=CITY, recognised_on=D(2010, 6, 1))
    first = studio_assessment_save(studio=studio, year=2011, assessed_on=D(2012, 1, 10), score=Decimal(40),
                                   grade="failed")
    second = studio_assessment_save(studio=studio, year=2013, assessed_on=D(2014, 1, 10), score=Decimal(30),
                                    grade="failed")
    studio_assessment_save(studio=studio, year=2011, assessed_on=D(2012, 1, 10), score=Decimal(70), grade="passed",
                           assessment=first)
    assert list(studio.recognitions.values_list("removed_on", "removed_by_assessment")) == [(D(2014, 1, 10), second.pk)]
    assert studio_level_on(studio, D(2013, 6, 1)) == CITY
    assert studio_level_on(studio, D(2014, 6, 1)) is None


def test_deleting_one_failing_assessment_leaves_the_recognition_ended_by_the_next(tree):
    studio = studio_make(tree["chaoyang_enterprise"], level=CITY, recognised_on=D(2010, 6, 1))
    first = studio_assessment_save(studio=studio, year=2011, assessed_on=D(2012, 1, 10), score=Decimal(40),
                                   grade="failed")
    second = studio_assessment_save(studio=studio, year=2013, assessed_on=D(2014, 1, 10), score=Decimal(30),
                                    grade="failed")
    studio_assessment_delete(assessment=first)
    assert list(studio.recognitions.values_list("removed_on", "removed_by_assessment")) == [(D(2014, 1, 10), second.pk)]
    studio_assessment_delete(assessment=second)
    assert list(studio.recognitions.values_list("removed_on", "removed_by_assessment")) == [(None, None)]
