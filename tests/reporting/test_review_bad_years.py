"""Review: a drill-down or records address naming a year no date can hold (0, 10000, 99999999)
answers 404, not a server error."""
from __future__ import annotations

import pytest
from django.urls import reverse

from reporting import services
from reporting.models import Run


@pytest.mark.django_db
@pytest.mark.parametrize("year", [0, 1, 10000, 99999999])
@pytest.mark.parametrize("route", ["reporting:indicator", "reporting:records"])
def test_a_year_outside_the_calendar_is_not_found(client, tree, chaoyang_officer, route, year):
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2012])
    client.force_login(chaoyang_officer)
    for code in ("IND-TRAINED-SHARE", "IND-FUND-FRONTLINE", "IND-STUDIOS"):
        response = client.get(reverse(route, args=[code, tree["chaoyang"].pk, year]))
        assert response.status_code == 404, (code, response.status_code)
    assert client.get(reverse(route, args=["IND-TRAINED-SHARE", tree["chaoyang"].pk, 2012])).status_code == 200
