"""EDU-8/EDU-9 学分银行: the credit ledger, the one place that writes credits.

Public for every app. A source of credits — a class completion, a training record, courseware, an
activity, and later the talent app's skill certificates, competitions and honours — calls
``credit_entry_record`` (or ``credit_entries_record_bulk`` for an upload's batch) with the row that
earned them; a conversion to academic credits calls ``credit_conversion_create``. The ledger
applies the rule in force on the date earned (``CreditRule``), the rule's yearly cap per source,
the credit-bank pilots (``CreditPilot``: only workers of a pilot enterprise earn, from its pilot
year on; the fact's stored unit counts, and a pilot covers the units below it), and writes one dated entry per source row, never twice. Entries are never edited: changing a
course, a rule or a source row afterwards leaves the credits earned then as they were.

Every write locks the worker's ``CreditAccount`` row first and moves its balance with F() in the
same transaction: writes for one worker take turns (so the yearly cap holds under concurrency) and
the database's CHECK (balance >= 0) refuses a conversion that would overspend.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from .credits import ZERO, CreditRules
from .models import CreditAccount, CreditConversion, CreditEntry, CreditPilot

Source = CreditEntry.Source
CAUSE_LENGTH = CreditEntry._meta.get_field("cause").max_length


@dataclass(frozen=True)
class Earning:
    """One item that may earn credits: ``source`` is the row that earned them (its content type
    and id make the entry unique), ``hours``/``course_credits`` feed the rule's formula."""

    worker_id: int
    source: models.Model
    earned_on: dt.date
    cause: str
    hours: Decimal | None = None
    course_credits: Decimal | None = None


def credit_entry_record(*, worker, source_kind: str, source: models.Model, earned_on: dt.date, cause: str,
                        hours: Decimal | None = None, course_credits: Decimal | None = None) -> CreditEntry | None:
    """Write the entry ``source`` earns by the rule of ``source_kind`` in force on ``earned_on``.
    Returns the entry (the existing one when the source has already earned), or None when no
    rule is in force for that source on that day."""
    earning = Earning(worker_id=worker.pk, source=source, earned_on=earned_on, cause=cause, hours=hours,
                      course_credits=course_credits)
    credit_entries_record_bulk(source_kind=source_kind, earnings=[earning])
    return CreditEntry.objects.filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk).first()


def credit_entries_record_bulk(*, source_kind: str, earnings: Sequence[Earning]) -> list[CreditEntry]:
    """The same as ``credit_entry_record`` for a batch (an upload's rows), set-based: a fixed number
    of queries whatever the batch's size. Sources that already earned are skipped; the new
    entries are returned."""
    if source_kind == Source.CONVERSION:
        raise ValueError("conversions are written by credit_conversion_create")
    if not earnings:
        return []
    with transaction.atomic():
        from membership.models import Worker

        rules = CreditRules()
        earnings = [earning for earning in earnings if rules.in_force(source_kind, earning.earned_on) is not None]
        # The worker's unit of today only for sources that stored no unit (a certificate, a
        # training record store theirs): not a query over every worker of an upload's batch.
        current_units = dict(Worker.objects.filter(pk__in={
            earning.worker_id for earning in earnings if getattr(earning.source, "unit_id", None) is None})
            .values_list("id", "unit_id")) if earnings else {}
        pilot_years = _pilot_years({getattr(earning.source, "unit_id", None) or current_units[earning.worker_id]
                                    for earning in earnings})
        # Only items that can earn (a rule in force, a pilot unit) lock and create their workers'
        # accounts: an upload from outside the pilots (most of the city) locks nothing. The loop
        # below decides each item again on the locked rows.
        earnings = [earning for earning in earnings if earning.earned_on.year >= pilot_years.get(
                        getattr(earning.source, "unit_id", None) or current_units[earning.worker_id], 10_000)]
        if not earnings:
            return []
        worker_ids = sorted({earning.worker_id for earning in earnings})
        units = _lock_accounts(worker_ids)
        types = {earning.source.__class__: ContentType.objects.get_for_model(earning.source) for earning in earnings}
        done = set()
        for model, content_type in types.items():
            ids = [earning.source.pk for earning in earnings if earning.source.__class__ is model]
            done |= {(content_type.pk, source_id) for source_id in CreditEntry.objects.filter(
                source_type=content_type, source_id__in=ids).values_list("source_id", flat=True)}
        years = sorted({earning.earned_on.year for earning in earnings})
        # 三(一)6: a source's credits are capped per worker and year.
        earned = defaultdict(lambda: ZERO, {
            (row["worker_id"], row["year"]): row["total"] for row in CreditEntry.objects
            .filter(worker_id__in=worker_ids, source_kind=source_kind, earned_on__year__in=years)
            .annotate(year=ExtractYear("earned_on")).order_by().values("worker_id", "year").annotate(total=Sum("credits"))})
        entries, deltas = [], defaultdict(lambda: ZERO)
        for earning in sorted(earnings, key=lambda e: (e.earned_on, e.source.pk)):
            content_type = types[earning.source.__class__]
            key = (content_type.pk, earning.source.pk)
            rule = rules.in_force(source_kind, earning.earned_on)
            # EDU-9 学分银行试点: only a pilot enterprise's workers earn, from its pilot year on. The
            # unit that counts is the one the fact stored (where the worker learned), else the
            # worker's unit of today. Learning outside a pilot stays in the record, without credits.
            pilot_year = pilot_years.get(getattr(earning.source, "unit_id", None) or units[earning.worker_id])
            if key in done or rule is None or pilot_year is None or earning.earned_on.year < pilot_year:
                continue
            done.add(key)
            amount = rules.amount(rule, hours=earning.hours, course_credits=earning.course_credits)
            if rule.cap_per_year is not None:
                amount = max(min(amount, rule.cap_per_year - earned[(earning.worker_id, earning.earned_on.year)]), ZERO)
            earned[(earning.worker_id, earning.earned_on.year)] += amount
            deltas[earning.worker_id] += amount
            entries.append(CreditEntry(
                worker_id=earning.worker_id, unit_id=units[earning.worker_id], earned_on=earning.earned_on,
                source_kind=source_kind, source_type=content_type, source_id=earning.source.pk,
                cause=earning.cause[:CAUSE_LENGTH], rule=rule, credits=amount))
        CreditEntry.objects.bulk_create(entries, batch_size=1000)
        _move_balances(deltas)
    return entries


def credit_conversion_create(*, worker, institution: str, programme: str, credits: Decimal,
                             converted_on: dt.date) -> CreditConversion:
    """EDU-9 学分当量替换: spend credits toward academic education, as a negative entry. Refused
    (ValidationError) when the balance is too low, also when two conversions race."""
    try:
        with transaction.atomic():
            units = _lock_accounts([worker.pk])
            conversion = CreditConversion(worker=worker, unit_id=units[worker.pk], institution=institution,
                                          programme=programme, credits=credits, converted_on=converted_on)
            conversion.full_clean()
            conversion.save()
            CreditEntry.objects.create(
                worker=worker, unit_id=units[worker.pk], earned_on=converted_on, source_kind=Source.CONVERSION,
                source_type=ContentType.objects.get_for_model(conversion), source_id=conversion.pk,
                cause=f"{institution} · {programme}"[:CAUSE_LENGTH], credits=-credits)
            _move_balances({worker.pk: -credits})
    except IntegrityError as error:
        if "credit_balance_never_negative" not in str(error):
            raise
        raise ValidationError(_("The credit balance is too low for this conversion.")) from None
    return conversion


def _pilot_years(unit_ids) -> dict[int, int]:
    """EDU-9, IND-CREDIT-PILOTS: the first year from which each unit's workers earn credits — the
    earliest pilot year of the unit or of any unit above it (a pilot enterprise covers its branch
    unions and departments below it). Two queries whatever the number of units."""
    from membership.models import Unit

    paths = dict(Unit.objects.filter(pk__in=[pk for pk in unit_ids if pk]).values_list("id", "path"))
    step = Unit.steplen
    prefixes = {path[:end] for path in paths.values() for end in range(step, len(path) + 1, step)}
    pilots = dict(CreditPilot.objects.filter(unit__path__in=prefixes).values_list("unit__path", "year"))
    years = {}
    for unit_id, path in paths.items():
        found = [year for prefix, year in pilots.items() if path.startswith(prefix)]
        if found:
            years[unit_id] = min(found)
    return years


def _lock_accounts(worker_ids: Sequence[int]) -> dict[int, int]:
    """Make and lock the workers' accounts, in id order so that two batches never deadlock; the
    workers' current units, which their new entries keep."""
    from membership.models import Worker

    units = dict(Worker.objects.filter(pk__in=worker_ids).values_list("id", "unit_id"))
    CreditAccount.objects.bulk_create([CreditAccount(worker_id=pk) for pk in worker_ids], ignore_conflicts=True)
    list(CreditAccount.objects.select_for_update().filter(worker_id__in=worker_ids).order_by("worker_id")
         .values_list("pk", flat=True))
    return units


def _move_balances(deltas: dict[int, Decimal]) -> None:
    moves = [(worker_id, delta) for worker_id, delta in deltas.items() if delta]
    for start in range(0, len(moves), 1000):
        chunk = moves[start:start + 1000]
        CreditAccount.objects.filter(worker_id__in=[worker_id for worker_id, _ in chunk]).update(
            balance=F("balance") + Case(*[When(worker_id=worker_id, then=Value(delta)) for worker_id, delta in chunk],
                                        output_field=DecimalField(max_digits=8, decimal_places=1)))
