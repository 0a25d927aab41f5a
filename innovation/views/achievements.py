"""TAL-7, INN-5: the public 技术英才网 pages of innovation achievements a unit marked public —
title, code, kind, year, grade, unit, the team's names and patents; no other personal data."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from ..models import Achievement
from ..selectors import achievements as selectors

PAGE_SIZE = 20


def achievement_list(request):
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Achievement.Kind.values else ""
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and len(year) == 4 else None
    page = Paginator(selectors.public_achievements(q=q, kind=kind, year=year), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "innovation/achievements.html", {
        "page": page, "q": q, "query": query.urlencode(),
        "kinds": [(value, label, value == kind) for value, label in Achievement.Kind.choices],
        "years": [(each, each == year) for each in selectors.public_years()],
    })


def achievement_page(request, code: str):
    achievement = selectors.public_achievement(code)
    if achievement is None:
        raise Http404
    return render(request, "innovation/achievement.html", {"achievement": achievement})
