"""EDU-9 学分银行 (三(一)6): credits follow the equivalence rule in force on the date earned, and
each source is capped per year."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .models import CreditConversion, CreditRule

ZERO = Decimal(0)


class CreditRules:
    """All rules, loaded once: a learning record of any length costs one query for them."""

    def __init__(self):
        self.by_source: dict[str, list[CreditRule]] = defaultdict(list)
        for rule in CreditRule.objects.order_by("-valid_from"):
            self.by_source[rule.source].append(rule)

    def in_force(self, source: str, on: dt.date | None) -> CreditRule | None:
        if on is None:
            return None
        for rule in self.by_source.get(source, ()):
            if rule.valid_from <= on and (rule.valid_to is None or on <= rule.valid_to):
                return rule
        return None

    def credits_for(self, *, source: str, on: dt.date | None, hours: Decimal | None = None,
                    course_credits: Decimal | None = None) -> Decimal:
        """Credits for one item, before the yearly caps."""
        rule = self.in_force(source, on)
        if rule is None:
            return ZERO
        if rule.use_course_credits and course_credits is not None:
            amount = course_credits
        elif rule.credits_per_hour:
            amount = (hours or ZERO) * rule.credits_per_hour
        else:
            amount = rule.credits_each
        return amount.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class CreditAccount:
    earned: Decimal = ZERO
    converted: Decimal = ZERO
    by_year: dict[int, Decimal] = field(default_factory=dict)
    conversions: list = field(default_factory=list)

    @property
    def balance(self) -> Decimal:
        return self.earned - self.converted


def credit_account(*, worker, entries, rules: CreditRules) -> CreditAccount:
    """Sum the credits of a learning record (entries with .source, .on, .credits), applying each
    source's cap per year as the rule in force at the year's end sets it."""
    per_source_year: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        if entry.credits:
            per_source_year[(entry.source, entry.on.year)] += entry.credits
    account = CreditAccount()
    for (source, year), amount in sorted(per_source_year.items()):
        rule = rules.in_force(source, dt.date(year, 12, 31)) or rules.in_force(source, dt.date(year, 1, 1))
        if rule is not None and rule.cap_per_year is not None:
            amount = min(amount, rule.cap_per_year)
        account.by_year[year] = account.by_year.get(year, ZERO) + amount
        account.earned += amount
    account.conversions = list(CreditConversion.objects.filter(worker=worker).order_by("converted_on"))
    account.converted = sum((c.credits for c in account.conversions), ZERO)
    return account
