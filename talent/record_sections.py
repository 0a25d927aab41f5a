"""MEM-3, TAL-1: the skilled-talent part of a worker's whole record on the officer's worker page —
every skill certificate the viewer may see, the expired and superseded ones too (they stay as
history), newest first, in one query; membership.record renders it."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership import scoping
from membership.record import WorkerSection, register_worker_section

from .models import SkillCertificate

# A record longer than this shows its newest rows and links to the full, filtered list.
SECTION_ROWS = 50


@dataclass(frozen=True)
class CertificateRows:
    rows: list
    more: bool


def skill_certificate_rows(request, worker) -> CertificateRows:
    today = timezone.localdate()
    rows = list(scoping.visible_to(SkillCertificate.objects.filter(worker=worker), request.user)
                .select_related("occupation", "unit").order_by("-issued_on", "-id")[:SECTION_ROWS + 1])
    for certificate in rows:
        certificate.expired = certificate.valid_until is not None and certificate.valid_until < today
    return CertificateRows(rows=rows[:SECTION_ROWS], more=len(rows) > SECTION_ROWS)


register_worker_section(WorkerSection(
    key="skill_certificates", title=_("Skill certificates"),
    template="admin/talent/worker_record/skill_certificates.html", rows=skill_certificate_rows, order=50,
    permission="talent.view_skillcertificate"))
