"""TAL-7 技术英才网: public pages for skills competitions and their results (TAL-6). Only what the
organiser marked public; entrants appear by name, unit, rank and award only."""
from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from portal.forms import QueryForm, search_text

from ..models import CompetitionLevel
from ..selectors import competitions as selectors

PAGE_SIZE = 20


class CompetitionQueryForm(QueryForm):
    q = forms.CharField(required=False, strip=True)
    level = forms.ChoiceField(required=False, choices=CompetitionLevel.choices)
    year = forms.IntegerField(required=False, min_value=1949, max_value=2100)
    page = forms.IntegerField(required=False, min_value=1, max_value=10**9)

    def clean_q(self):
        return search_text(self.cleaned_data["q"])


def competitions(request):
    params = CompetitionQueryForm(request.GET).values()
    page = Paginator(selectors.public_competitions(q=params["q"], level=params["level"], year=params["year"]),
                     PAGE_SIZE).get_page(params["page"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "talent/competition_list.html", {
        "page": page, "q": params["q"], "query": query.urlencode(), "section": "competitions",
        "levels": [(value, label, value == params["level"]) for value, label in CompetitionLevel.choices],
        "years": [(year, year == params["year"]) for year in selectors.public_competition_years()],
    })


def competition(request, competition_id: int):
    found = get_object_or_404(selectors.public_competitions_with_details(), pk=competition_id)
    return render(request, "talent/competition.html", {
        "competition": found, "results": selectors.public_results(competition=found), "section": "competitions"})
