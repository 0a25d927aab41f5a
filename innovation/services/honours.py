"""INN-6: recording honours. An individual honour earns credits through the credit ledger where a
rule for honours is in force on the day it was awarded (EDU-9)."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from courses import ledger

from ..models import COLLECTIVE_RUNGS, Honour

CREDIT_SOURCE = "honour"  # courses CreditEntry.Source.HONOUR


@transaction.atomic
def honour_award(*, rung: str, level: str, awarded_on: dt.date, worker=None, unit=None, team_name: str = "",
                 competition=None, awarded_by: str = "", note: str = "") -> Honour:
    """Record one honour. A worker's honour belongs to the worker's unit of the day unless another
    unit is named (the unit that holds the record)."""
    if rung not in COLLECTIVE_RUNGS and unit is None and worker is not None:
        unit = worker.unit
    honour = Honour(rung=rung, level=level, awarded_on=awarded_on, worker=worker, unit=unit, team_name=team_name,
                    competition=competition, awarded_by=awarded_by, note=note)
    honour.full_clean()
    honour.save()
    honour_credits_record(honour=honour)
    return honour


def honour_save(*, honour: Honour) -> Honour:
    """The admin's door: a new or edited honour, then its credits (once per honour, never twice)."""
    with transaction.atomic():
        if honour.worker_id and not honour.unit_id:
            honour.unit_id = honour.worker.unit_id
        honour.full_clean()
        honour.save()
        honour_credits_record(honour=honour)
    return honour


def honour_credits_record(*, honour: Honour) -> None:
    """INN-6 / EDU-9: an individual honour earns by the ledger's rule for honours in force on the day
    it was awarded (none: no credits); a collective honour has no worker to credit."""
    if honour.worker_id is None or honour.revoked_on is not None:
        return
    ledger.credit_entry_record(worker=honour.worker, source_kind=CREDIT_SOURCE, source=honour,
                               earned_on=honour.awarded_on, cause=honour.get_rung_display())
