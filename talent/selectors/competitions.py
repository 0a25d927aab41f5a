"""TAL-6, TAL-7: reads for skills competitions, their results and the fast track."""
from __future__ import annotations

from django.db import models
from django.db.models import Count, Q

from ..models import Competition, CompetitionResult


def public_competitions(*, q: str = "", level: str = "", year: int | None = None) -> models.QuerySet:
    """TAL-7: the competitions their organisers marked public, newest first, with their entrant
    counts; searchable by name, series, occupation and organiser."""
    competitions = (Competition.objects.filter(is_public=True)
                    .select_related("organiser", "industry", "occupation")
                    .annotate(entrant_count=Count("results")).order_by("-year", "name", "id"))
    if q:
        competitions = competitions.filter(Q(name__icontains=q) | Q(series__icontains=q)
                                           | Q(occupation__name__icontains=q) | Q(organiser__name__icontains=q))
    if level:
        competitions = competitions.filter(level=level)
    if year:
        competitions = competitions.filter(year=year)
    return competitions


def public_competition_years() -> list[int]:
    return list(Competition.objects.filter(is_public=True).order_by("-year").values_list("year", flat=True).distinct())


def public_results(*, competition: Competition) -> list[dict]:
    """TAL-7: a public competition's entrants by rank — name, unit, rank and award only (never an
    ID number, phone or birth date: only these fields leave the database)."""
    return list(CompetitionResult.objects.filter(competition=competition)
                .order_by(models.F("rank").asc(nulls_last=True), "id")
                .values("rank", "award", "worker__name", "unit__name"))


def public_competitions_with_details():
    """The competitions a unit has marked public, with what a competition's page shows."""
    return Competition.objects.filter(is_public=True).select_related("organiser", "industry", "occupation")
