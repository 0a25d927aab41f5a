"""Review (MEM-2): the filters beside an admin list offer only related rows the user may see — the
proposal list's review-round filter named every district's rounds to a 朝阳 officer."""
from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import _proposal_round, proposal_create


@pytest.mark.django_db
def test_the_review_round_filter_lists_only_the_officers_rounds(client, tree, chaoyang_officer):
    own = _proposal_round(tree["chaoyang"])
    other = _proposal_round(tree["haidian"])
    proposal_create(tree["chaoyang_enterprise"], review_round=own)
    proposal_create(tree["haidian_enterprise"], review_round=other)
    client.force_login(chaoyang_officer)
    page = client.get(reverse("admin:innovation_proposal_changelist")).content.decode()
    assert f"review_round__id__exact={own.pk}" in page and own.name in page
    assert f"review_round__id__exact={other.pk}" not in page and other.name not in page


@pytest.mark.django_db
def test_the_city_still_filters_by_every_districts_round(client, tree, municipal):
    rounds = [_proposal_round(tree["chaoyang"]), _proposal_round(tree["haidian"])]
    client.force_login(municipal)
    page = client.get(reverse("admin:innovation_proposal_changelist")).content.decode()
    assert all(f"review_round__id__exact={each.pk}" in page for each in rounds)
