"""TAL-5: a demonstration base counts on a date between its recognition and its revocation (the
set-based selector IND-BASES uses); a 职工技协's member units see it."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse

from talent.selectors.bases import bases_recognised_on
from tests.factories import _tech_association, base_make

D = dt.date


def test_a_base_is_counted_from_its_recognition_until_its_revocation(tree):
    city = base_make(tree["chaoyang_enterprise"], level=1, recognised_on=D(2011, 5, 1), revoked_on=D(2013, 3, 1))
    district = base_make(tree["haidian_enterprise"], level=2, recognised_on=D(2010, 1, 1))
    assert set(bases_recognised_on(day=D(2011, 4, 30), level=1)) == set()
    assert set(bases_recognised_on(day=D(2011, 5, 1), level=1)) == {city}
    assert set(bases_recognised_on(day=D(2012, 12, 31), level=1)) == {city}
    assert set(bases_recognised_on(day=D(2013, 2, 28))) == {city, district}
    assert set(bases_recognised_on(day=D(2013, 3, 1))) == {district}


def test_a_revocation_before_the_recognition_is_refused_in_the_admin(client, tree, chaoyang_officer):
    from talent.models import DemonstrationBase

    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:talent_demonstrationbase_add"), {
        "name": "数控技能示范基地", "unit": tree["chaoyang_enterprise"].pk, "level": "1", "recognised_on": "2012-05-01",
        "revoked_on": "2012-04-30", "occupations": "", "introduction": "",
    })
    assert response.status_code == 200
    assert "revoked_on" in response.context["adminform"].form.errors
    assert DemonstrationBase.objects.count() == 0


def test_a_member_unit_sees_the_association_and_a_third_unit_does_not(tree):
    from django.contrib.auth.models import Permission

    from membership import scoping
    from talent.models import TechAssociation
    from tests.factories import UserFactory

    association = _tech_association(tree["chaoyang"], tree["haidian_enterprise"])
    haidian = UserFactory(unit=tree["haidian"])
    haidian.user_permissions.set(Permission.objects.filter(codename="view_techassociation"))
    dongcheng = UserFactory(unit=tree["root"].get_children().get(code="110101"))
    rows = TechAssociation.objects.filter(pk=association.pk)
    assert list(scoping.visible_to(rows, haidian)) == [association]
    assert list(scoping.changeable_by(rows, haidian)) == []
    assert list(scoping.visible_to(rows, dongcheng)) == []


def test_the_base_selector_counts_a_units_subtree(tree):
    chaoyang = base_make(tree["chaoyang_enterprise"], level=1, recognised_on=D(2011, 5, 1))
    base_make(tree["haidian_enterprise"], level=1, recognised_on=D(2011, 5, 1))
    assert list(bases_recognised_on(day=D(2013, 12, 31), level=1, under=tree["chaoyang"])) == [chaoyang]
