"""TAL-7: the home page of 技术英才网: a few of each kind of public record, newest first."""
from __future__ import annotations

import datetime as dt

from .bases import public_associations, public_bases
from .chief import public_chief_employees
from .events import public_events
from .studios import public_studios

HOME_ITEMS = 4


def network_home(*, day: dt.date) -> dict:
    """What the home shows: the best-ranked studios, chief employees, bases, associations and the
    coming events, each a short list (a fixed number of queries)."""
    return {
        "studios": list(public_studios(day=day)[:HOME_ITEMS]),
        "chiefs": list(public_chief_employees(day=day)[:HOME_ITEMS]),
        "bases": list(public_bases(day=day)[:HOME_ITEMS]),
        "associations": list(public_associations()[:HOME_ITEMS]),
        "events": list(public_events(today=day)[:HOME_ITEMS]),
    }
