"""Review: an admin list's address with a number too large for a date — the date hierarchy's year,
the talent database's birth-year band — reloads the list (?e=1) instead of a server error."""
from __future__ import annotations

import pytest
from django.urls import reverse

HUGE = "9" * 20


@pytest.mark.django_db
@pytest.mark.parametrize(("changelist", "parameter"), [
    ("admin:talent_skillcertificate_changelist", "issued_on__year"),
    ("admin:innovation_proposal_changelist", "submitted_on__year"),
    ("admin:courses_courseclass_changelist", "starts_on__year"),
    ("admin:talent_talentrecord_changelist", "born"),
])
def test_a_huge_year_in_a_list_address_is_no_server_error(client, tree, chaoyang_officer, changelist, parameter):
    client.force_login(chaoyang_officer)
    url = reverse(changelist)
    response = client.get(url, {parameter: HUGE})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert response["Location"] == f"{url}?e=1"
    assert client.get(url, {parameter: "2012"}).status_code == 200
