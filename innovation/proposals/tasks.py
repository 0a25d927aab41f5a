from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import ProposalAssignment


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def proposal_assignment_notify_task(assignment_id: int) -> None:
    """INN-2: an evaluator is told by e-mail when a proposal is assigned to them."""
    assignment = ProposalAssignment.objects.select_related("proposal__unit", "evaluator").filter(pk=assignment_id).first()
    if assignment is None or not assignment.evaluator.email:
        return
    proposal = assignment.proposal
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.PORTAL_BASE_URL + reverse("admin:innovation_proposalassignment_change", args=[assignment.pk])
        send_mail(
            _("A rationalisation proposal is waiting for your evaluation: %(title)s") % {"title": proposal.title},
            _("The proposal %(code)s %(title)s of %(unit)s has been assigned to you. Evaluate it here: %(link)s")
            % {"code": proposal.code, "title": proposal.title, "unit": proposal.unit.name, "link": link},
            None, [assignment.evaluator.email],
        )
