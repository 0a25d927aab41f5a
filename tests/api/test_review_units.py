"""Review: /api/v1/units/ answers each unit's ``parent_code`` from an unscoped subquery, so the top
unit of a token's subtree names a unit outside it (a 二级 enterprise's token reads its district's
code; the district's token reads the federation's). Every other code in the answer lies inside the
subtree; this one is the only row-level reference that points out of it."""
from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_review_units_name_no_unit_outside_the_subtree(tree, token_client):
    api = token_client(tree["chaoyang_enterprise"], "level2")
    rows = api.get(reverse("unit-list")).json()["results"]
    answered = {row["code"] for row in rows}
    referenced = {row["parent_code"] for row in rows if row["parent_code"]}
    outside = referenced - answered
    assert not outside, f"parent codes outside the token's subtree: {sorted(outside)}"

