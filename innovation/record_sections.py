"""MEM-3, INN-2, INN-4: the innovation part of a worker's whole record on the officer's worker page —
the proposals the worker submitted or co-submitted and the achievements they completed, each
limited to what the viewer may see, newest first, one query per section; membership.record
renders them."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from membership import scoping
from membership.record import WorkerSection, register_worker_section

from .models import Achievement, AchievementMember, Proposal, ProposalAuthor

# A record longer than this shows its newest rows and links to the full, filtered list.
SECTION_ROWS = 50


@dataclass(frozen=True)
class InnovationRows:
    rows: list
    more: bool


def _first_rows(queryset) -> InnovationRows:
    rows = list(queryset[:SECTION_ROWS + 1])
    return InnovationRows(rows=rows[:SECTION_ROWS], more=len(rows) > SECTION_ROWS)


def proposal_rows(request, worker) -> InnovationRows:
    authored = ProposalAuthor.objects.filter(worker=worker).values("proposal_id")
    return _first_rows(scoping.visible_to(Proposal.objects.filter(pk__in=authored), request.user)
                       .select_related("unit").order_by("-submitted_on", "-id"))


def achievement_rows(request, worker) -> InnovationRows:
    visible = scoping.visible_to(Achievement.objects.all(), request.user).values("pk")
    return _first_rows(AchievementMember.objects.filter(worker=worker, achievement__in=visible)
                       .select_related("achievement__unit").order_by("-achievement__year", "achievement__code"))


for section in (
    WorkerSection(key="proposals", title=_("Rationalisation proposals"),
                  template="admin/innovation/worker_record/proposals.html", rows=proposal_rows, order=60,
                  permission="innovation.view_proposal"),
    WorkerSection(key="achievements", title=_("Innovation achievements"),
                  template="admin/innovation/worker_record/achievements.html", rows=achievement_rows, order=70,
                  permission="innovation.view_achievement"),
):
    register_worker_section(section)
