"""MEM-3, EDU-8: the quality-education part of a worker's whole record on the officer's worker
page — enrolments, training records, the credit ledger with its balance, course certificates.
Each function reads one worker's rows that the viewer may see (the fact's owners decide, as
everywhere: ``scoping.visible_to``), in one query; membership.record renders them."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from membership import scoping
from membership.record import WorkerSection, register_worker_section

from .models import Certificate, CreditAccount, CreditEntry, TrainingRecord
from .selectors import worker_enrolments

# A record longer than this shows its newest rows and links to the full, filtered list.
SECTION_ROWS = 50


@dataclass(frozen=True)
class SectionRows:
    rows: list
    more: bool
    balance: Decimal | None = None


def _first_rows(queryset: QuerySet) -> SectionRows:
    rows = list(queryset[:SECTION_ROWS + 1])
    return SectionRows(rows=rows[:SECTION_ROWS], more=len(rows) > SECTION_ROWS)


def enrolment_rows(request, worker) -> SectionRows:
    return _first_rows(scoping.visible_to(worker_enrolments(worker=worker), request.user)
                       .select_related("unit", "course_class__unit"))


def training_record_rows(request, worker) -> SectionRows:
    return _first_rows(scoping.visible_to(TrainingRecord.objects.filter(worker=worker), request.user)
                       .select_related("unit", "course").order_by("-completed_on", "-id"))


def credit_rows(request, worker) -> SectionRows:
    """The entries the viewer may see, and the balance of the worker's account (EDU-9: the one
    number the ledger keeps per worker; a new unit sees it whole, as it sees the worker)."""
    shown = _first_rows(scoping.visible_to(CreditEntry.objects.filter(worker=worker), request.user)
                        .select_related("unit").order_by("-earned_on", "-id"))
    balance = CreditAccount.objects.filter(worker=worker).values_list("balance", flat=True).first()
    return SectionRows(rows=shown.rows, more=shown.more, balance=balance if balance is not None else Decimal(0))


def certificate_rows(request, worker) -> SectionRows:
    return _first_rows(scoping.visible_to(Certificate.objects.filter(enrolment__worker=worker), request.user)
                       .select_related("enrolment__course_class__course").order_by("-issued_on", "-id"))


for section in (
    WorkerSection(key="enrolments", title=_("Enrolments"), template="admin/courses/worker_record/enrolments.html",
                  rows=enrolment_rows, order=10, permission="courses.view_enrolment"),
    WorkerSection(key="training_records", title=_("Training records"),
                  template="admin/courses/worker_record/training_records.html", rows=training_record_rows, order=20,
                  permission="courses.view_trainingrecord"),
    WorkerSection(key="credits", title=_("Credits"), template="admin/courses/worker_record/credits.html",
                  rows=credit_rows, order=30, permission="courses.view_creditentry"),
    WorkerSection(key="certificates", title=_("Certificates"),
                  template="admin/courses/worker_record/certificates.html", rows=certificate_rows, order=40,
                  permission="courses.view_certificate"),
):
    register_worker_section(section)
