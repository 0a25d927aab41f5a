"""seed_demo's talent programmes: every kind the 技术英才网 shows, public, deterministic."""
from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count

from membership.models import Unit
from talent.models import (
    ChiefEmployee,
    DemonstrationBase,
    Studio,
    StudioRecognition,
    TalentEvent,
    TalentEventRegistration,
    TechAssociation,
)
from talent.seed import seed_programmes
from talent.selectors.bases import bases_recognised_on
from talent.selectors.studios import studios_recognised_on
from tests.factories import WorkerFactory, unit_create

D = dt.date


def test_the_demo_has_studios_at_every_level_an_upgrade_a_removal_bases_associations_and_a_forum(tree):
    dongcheng = unit_create(Unit.objects.get(code="110101"))
    for unit in (dongcheng, tree["chaoyang_enterprise"], tree["haidian_enterprise"]):
        for _ in range(10):
            WorkerFactory(unit=unit)
    result = seed_programmes(rng=random.Random(2013))
    assert result == {"chiefs": 6, "studios": 9, "registrations": 3}
    assert {level: studios_recognised_on(day=D(2013, 12, 31), level=level).count() for level in (1, 2, 3)} == {1: 3, 2: 3, 3: 2}
    upgraded = Studio.objects.annotate(rows=Count("recognitions")).get(rows=2)
    assert list(upgraded.recognitions.order_by("recognised_on").values_list("level", flat=True)) == [2, 1]
    assert StudioRecognition.objects.exclude(removed_on=None).count() == 1
    assert DemonstrationBase.objects.count() == 3 and bases_recognised_on(day=D(2013, 12, 31)).count() == 2
    assert TechAssociation.objects.filter(public=True).annotate(members=Count("member_units")).filter(members__gt=0).count() == 2
    assert TalentEventRegistration.objects.filter(event__kind="forum", status="registered").count() == 3
    for model in (ChiefEmployee, Studio, DemonstrationBase, TechAssociation, TalentEvent):
        assert not model.objects.filter(public=False).exists(), model
    # A second run adds nothing.
    assert seed_programmes(rng=random.Random(2013)) == {"studios": 0}
    assert Studio.objects.count() == 9
