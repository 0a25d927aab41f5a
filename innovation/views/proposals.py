"""INN-2 on the workers' site: submit a proposal, a worker's own proposals (beside 我的学习), the
co-submitter search within the worker's unit, and the public disclosure board (公示)."""
from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from membership.decorators import worker_required
from portal.frame import render_framed

from ..models import ADOPTED_OR_BEYOND, ProposalState
from ..proposals import selectors, services
from ..proposals.forms import BoardFilterForm, ProposalForm


@worker_required
def proposal_new(request, worker):
    form = ProposalForm(request.POST or None, worker=worker)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_submit(
                worker=worker, by=request.user, title=form.cleaned_data["title"], category=form.cleaned_data["category"],
                description=form.cleaned_data["description"], expected_benefit=form.cleaned_data["expected_benefit"],
                co_submitters=form.cleaned_data["co_submitters"])
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else _("Not permitted."))
        else:
            messages.success(request, _("Your proposal %(code)s was submitted.") % {"code": proposal.code})
            return redirect("innovation:my_proposals")
    return render(request, "innovation/proposal_new.html", {"form": form, "worker": worker})


@worker_required
def my_proposals(request, worker):
    return render(request, "innovation/my_proposals.html", {
        "worker": worker, "proposals": list(selectors.worker_proposals(worker=worker)),
    })


@worker_required
@require_GET
def coworker_search(request, worker):
    """Names (and posts) of the worker's own unit matching the typed text; nothing else about them."""
    found = selectors.coworkers(worker=worker, name=request.GET.get("q", "")[:20])
    return JsonResponse({"results": [{"id": each.pk, "name": each.name, "post": each.post} for each in found]})


def board(request):
    """INN-2 公示, open to everyone: per unit and round, the adopted proposals, the projects, the
    implemented and the rewarded ones, with their submitters' names. The page below the frame is
    cached per filter, page and language, and follows every change (selectors.board_page_html)."""
    params = BoardFilterForm(request.GET)
    state = params.value("state")
    filters = {"unit_code": (params.value("unit") or "").strip(), "round_id": params.value("round"),
               "year": params.value("year"), "state": state if state in ADOPTED_OR_BEYOND else None,
               "page": params.value("page", 1)}
    content = selectors.board_page_html(build=lambda: _board_content(**filters), language=get_language(), **filters)
    # The same bytes for every anonymous visitor but their token and address (portal/frame.py).
    return render_framed(request, "innovation/board.html", content)


def _board_content(*, unit_code: str, round_id: int | None, year: int | None, state: str | None, page: int) -> str:
    unit = selectors.board_unit(code=unit_code) if unit_code else None
    review_round = selectors.board_round(round_id=round_id) if round_id else None
    if (unit_code and unit is None) or (round_id and review_round is None):
        raise Http404
    board_page = selectors.disclosure_board(unit=unit, review_round=review_round, year=year, state=state, page=page)
    # The pager's links carry the filters as read, never the raw query string: the page is cached.
    pager_query = "".join(f"{name}={quote(str(value))}&" for name, value in
                          (("unit", unit_code), ("round", round_id), ("year", year), ("state", state)) if value)
    # No request: the cached page holds nothing of the visitor's (no token, no user).
    return render_to_string("innovation/board_content.html", {
        "page": board_page, "unit": unit, "review_round": review_round, "units": selectors.board_units(),
        "rounds": selectors.board_rounds(unit=unit)[:50], "year": year, "state": state,
        "states": [(value, ProposalState(value).label) for value in ADOPTED_OR_BEYOND], "pager_query": pager_query,
    })
