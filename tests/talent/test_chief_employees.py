"""TAL-3: a designation counts as current inside its term and until an evaluation fails; the
admin designates and records evaluations through the services."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from talent.models import ChiefEmployee, ChiefEvaluation
from talent.services.chief import chief_evaluation_save
from tests.factories import UserFactory, WorkerFactory, chief_designate

D = dt.date


def _designation(tree, **fields):
    return chief_designate(tree["chaoyang"], WorkerFactory(unit=tree["chaoyang_enterprise"]),
                           term_from=D(2011, 1, 1), term_to=D(2013, 12, 31), **fields)


def _current(day):
    return set(ChiefEmployee.objects.current(on=day).values_list("pk", flat=True))


def test_a_designation_is_current_inside_its_term_both_ends_included(tree):
    designation = _designation(tree)
    assert _current(D(2010, 12, 31)) == set()
    assert _current(D(2011, 1, 1)) == {designation.pk}
    assert _current(D(2013, 12, 31)) == {designation.pk}
    assert _current(D(2014, 1, 1)) == set()


def test_a_failed_evaluation_ends_the_designation_from_its_date_and_keeps_it_as_history(tree):
    designation = _designation(tree)
    chief_evaluation_save(designation=designation, year=2011, evaluated_on=D(2012, 1, 15), score=Decimal(91),
                          result="excellent")
    chief_evaluation_save(designation=designation, year=2012, evaluated_on=D(2013, 1, 20), score=Decimal(52),
                          result="failed")
    assert _current(D(2012, 6, 1)) == {designation.pk}
    assert _current(D(2013, 1, 19)) == {designation.pk}
    assert _current(D(2013, 1, 20)) == set()
    assert _current(D(2013, 6, 1)) == set()
    assert ChiefEmployee.objects.filter(pk=designation.pk).exists()
    assert list(ChiefEvaluation.objects.filter(designation=designation).values_list("year", "result")) == [
        (2011, "excellent"), (2012, "failed")]


def test_a_passed_evaluation_keeps_the_designation_current(tree):
    designation = _designation(tree)
    chief_evaluation_save(designation=designation, year=2011, evaluated_on=D(2012, 1, 15), score=Decimal(75),
                          result="passed")
    assert _current(D(2012, 6, 1)) == {designation.pk}


def test_a_term_ending_before_it_starts_is_refused_and_nothing_is_written(tree):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        chief_designate(tree["chaoyang"], WorkerFactory(unit=tree["chaoyang_enterprise"]),
                        term_from=D(2013, 1, 1), term_to=D(2012, 12, 31))
    assert error.value.message_dict == {"term_to": ["The term cannot end before it starts."]}
    assert ChiefEmployee.objects.count() == 0


def test_an_evaluation_before_the_term_is_refused(tree):
    designation = _designation(tree)
    with pytest.raises(ValidationError):
        chief_evaluation_save(designation=designation, year=2010, evaluated_on=D(2010, 12, 1), score=Decimal(80),
                              result="passed")
    assert ChiefEvaluation.objects.count() == 0


def test_officer_designates_a_chief_employee_with_benefits_and_an_evaluation_in_the_admin(client, tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="张师傅")
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:talent_chiefemployee_add"), {
        "worker": worker.pk, "unit": tree["chaoyang"].pk, "field": "数控加工", "term_from": "2025-01-01",
        "term_to": "2027-12-31", "monthly_allowance": "800", "other_benefits": "带薪研修", "introduction": "",
        "public": "on",
        "evaluations-TOTAL_FORMS": "1", "evaluations-INITIAL_FORMS": "0", "evaluations-MIN_NUM_FORMS": "0",
        "evaluations-MAX_NUM_FORMS": "1000", "evaluations-0-year": "2025", "evaluations-0-evaluated_on": "2026-01-10",
        "evaluations-0-score": "88", "evaluations-0-result": "passed", "evaluations-0-remarks": "",
    })
    assert response.status_code == 302, response.context and response.context["errors"]
    designation = ChiefEmployee.objects.get()
    assert (designation.worker, designation.unit, designation.monthly_allowance, designation.other_benefits,
            designation.public) == (worker, tree["chaoyang"], Decimal(800), "带薪研修", True)
    assert list(designation.evaluations.values_list("year", "score", "result")) == [(2025, Decimal(88), "passed")]
    listing = client.get(reverse("admin:talent_chiefemployee_changelist"), {"current": "yes"})
    assert [row.pk for row in listing.context["cl"].result_list] == [designation.pk]


def test_the_worker_unit_sees_a_designation_made_by_the_district_but_cannot_change_it(client, tree):
    from django.contrib.auth.models import Permission

    designation = _designation(tree)
    enterprise_officer = UserFactory(unit=tree["chaoyang_enterprise"])
    enterprise_officer.user_permissions.set(Permission.objects.filter(content_type__app_label="talent"))
    client.force_login(enterprise_officer)
    page = client.get(reverse("admin:talent_chiefemployee_change", args=[designation.pk]))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
