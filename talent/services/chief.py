"""TAL-3: designating chief employees and recording their yearly tracking evaluation."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ChiefEmployee, ChiefEvaluation

DESIGNATION_FIELDS = ("worker", "unit", "field", "term_from", "term_to", "monthly_allowance", "other_benefits",
                      "introduction", "public")


def _check_term(term_from: dt.date, term_to: dt.date) -> None:
    if term_to < term_from:
        raise ValidationError({"term_to": _("The term cannot end before it starts.")})


@transaction.atomic
def chief_designate(*, worker, unit, field: str, term_from: dt.date, term_to: dt.date,
                    monthly_allowance: Decimal = Decimal(0), other_benefits: str = "", introduction: str = "",
                    public: bool = False) -> ChiefEmployee:
    """TAL-3: a unit designates a worker as chief employee for a field and a term, with benefits."""
    _check_term(term_from, term_to)
    designation = ChiefEmployee(worker=worker, unit=unit, field=field, term_from=term_from, term_to=term_to,
                                monthly_allowance=monthly_allowance, other_benefits=other_benefits,
                                introduction=introduction, public=public)
    designation.full_clean()
    designation.save()
    return designation


@transaction.atomic
def chief_update(*, designation: ChiefEmployee, **fields) -> ChiefEmployee:
    unknown = set(fields) - set(DESIGNATION_FIELDS)
    if unknown:
        raise TypeError(f"not a designation field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(designation, name, value)
    _check_term(designation.term_from, designation.term_to)
    designation.full_clean()
    if fields:
        designation.save(update_fields=list(fields))
    return designation


@transaction.atomic
def chief_evaluation_save(*, designation: ChiefEmployee, year: int, evaluated_on: dt.date, score: Decimal,
                          result: str, remarks: str = "", evaluation: ChiefEvaluation | None = None) -> ChiefEvaluation:
    """TAL-3: the yearly 跟踪考评. A failed one ends the designation's currency from its date
    (ChiefEmployeeQuerySet.current); the designation itself stays as history."""
    if evaluated_on < designation.term_from:
        raise ValidationError({"evaluated_on": _("An evaluation cannot be dated before the designation's term starts.")})
    evaluation = evaluation or ChiefEvaluation(designation=designation)
    evaluation.designation = designation
    evaluation.year, evaluation.evaluated_on, evaluation.score = year, evaluated_on, score
    evaluation.result, evaluation.remarks = result, remarks
    evaluation.full_clean()
    evaluation.save()
    return evaluation
