"""Review (INN-2): unit staff cannot read an evaluator's private notes through the assignment list's
address — Django's admin accepts a filter on any field of the model (?private_note__startswith=…),
which answered yes or no letter by letter."""
from __future__ import annotations

import pytest
from django.urls import reverse

from innovation.proposals import services
from tests.factories import evaluator_create, proposal_create


@pytest.mark.django_db
def test_a_filter_on_the_private_notes_is_refused(client, tree, chaoyang_officer):
    expert = evaluator_create(None, username="expert")
    proposal = proposal_create(tree["chaoyang_enterprise"])
    (assignment,) = services.evaluators_assign(proposals=[proposal], evaluators=[expert], by=chaoyang_officer)
    services.assignment_review(assignment=assignment, by=expert, private_note="需要核实节电数据")
    url = reverse("admin:innovation_proposalassignment_changelist")
    client.force_login(chaoyang_officer)
    assert proposal.code in client.get(url).content.decode()
    for lookup in ("private_note__startswith", "private_note__contains", "private_note"):
        hit = client.get(url, {lookup: "需要"})
        miss = client.get(url, {lookup: "不对"})
        assert (hit.status_code, miss.status_code) == (400, 400), lookup
    assert client.get(url, {"opinion": ""}).status_code == 200
