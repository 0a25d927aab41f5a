"""Issue 8: seed_demo makes a realistic population — about half women, every age band, education
levels and posts that match their units' industries."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from membership.models import Unit, Worker
from membership.seed import AGE_BANDS, SECTION_PROFILES, STREET_SECTIONS


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@pytest.fixture
def demo(db):
    call_command("seed_demo", workers=400, verbosity=0)
    return list(Worker.objects.select_related("unit__industry__section"))


def test_about_half_of_the_demo_workers_are_women(demo):
    sexes = Counter(worker.sex for worker in demo)
    assert len(demo) == 400
    assert sexes[Worker.Sex.FEMALE] == 200 and sexes[Worker.Sex.MALE] == 200


def test_the_demo_workers_span_every_age_band(demo):
    today = timezone.localdate()
    counts = Counter()
    for worker in demo:
        age = _age(worker.birth_date, today)
        band = next((years for years, _weight in AGE_BANDS if years[0] <= age <= years[1]), None)
        assert band is not None, age
        counts[band] += 1
    assert set(counts) == {years for years, _weight in AGE_BANDS}
    # The shares follow the weights (every ten workers hold them exactly).
    assert counts[(26, 35)] == 120 and counts[(56, 60)] == 32


def test_even_a_small_demo_has_every_age_band(db):
    call_command("seed_demo", workers=12, verbosity=0)
    today = timezone.localdate()
    ages = [_age(birth, today) for birth in Worker.objects.values_list("birth_date", flat=True)]
    for (youngest, oldest), _weight in AGE_BANDS:
        assert any(youngest <= age <= oldest for age in ages), (youngest, oldest)


def test_posts_and_education_follow_the_units_industry(demo):
    educations = Counter()
    for worker in demo:
        section = worker.unit.industry.section.code
        _words, posts, weights = SECTION_PROFILES[section]
        assert worker.post in posts, (worker.unit.name, section, worker.post)
        assert weights[[code for code, _label in Worker.Education.choices].index(worker.education)] > 0
        educations[worker.education] += 1
    assert len(educations) >= 5


def test_units_are_named_after_their_industry_and_street_unions_federate_services(demo):
    for unit in Unit.objects.filter(depth=3).select_related("industry__section"):
        section = unit.industry.section.code
        if unit.kind == Unit.Kind.STREET_UNION:
            assert section in STREET_SECTIONS
        else:
            assert any(word in unit.name for word in SECTION_PROFILES[section][0]), (unit.name, section)


def test_member_levels_follow_the_tree_in_the_demo(demo):
    assert set(Unit.objects.filter(depth=2).values_list("member_level", "membership_status")) == {("1", "active")}
    below = set(Unit.objects.filter(depth=3).values_list("member_level", "membership_status"))
    assert ("2", "active") in below and below <= {("2", "active"), ("2", "suspended"), ("", "none")}
    assert not Unit.objects.exclude(membership_status="none").filter(membership_since__isnull=True).exclude(depth=1).exists()
