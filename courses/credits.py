"""EDU-9 学分当量替换: the equivalence rules the ledger (``courses.ledger``) applies when it writes
an entry. Credits follow the rule in force on the date earned; nothing here sums an account."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from .models import CreditRule

ZERO = Decimal(0)


class CreditRules:
    """All rules, loaded once: a batch of any size costs one query for them."""

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

    @staticmethod
    def amount(rule: CreditRule, *, hours: Decimal | None = None, course_credits: Decimal | None = None) -> Decimal:
        """Credits for one item by ``rule``, before the yearly cap."""
        if rule.use_course_credits and course_credits is not None:
            amount = course_credits
        elif rule.credits_per_hour:
            amount = (hours or ZERO) * rule.credits_per_hour
        else:
            amount = rule.credits_each
        return amount.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
