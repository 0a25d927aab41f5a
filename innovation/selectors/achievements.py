"""INN-4, TAL-7: reads of innovation achievements — the public 技术英才网 list and page (names
only, no other personal data) and the excellent ones of a year (IND-EXCELLENT-ACHIEVEMENTS)."""
from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from membership import scoping

from ..models import Achievement, AchievementMember, Grade


def public_achievements(*, q: str = "", kind: str = "", year: int | None = None) -> QuerySet:
    """The achievements their units mark public, with unit, team names and patents: three queries
    for a page whatever its length."""
    found = Achievement.objects.filter(is_public=True)
    if q:
        found = found.filter(Q(title__icontains=q) | Q(code__iexact=q) | Q(unit__name__icontains=q))
    if kind:
        found = found.filter(kind=kind)
    if year:
        found = found.filter(year=year)
    return found.select_related("unit").prefetch_related(
        Prefetch("members", queryset=AchievementMember.objects.select_related("worker").only(
            "achievement_id", "order", "worker__name")), "patents").order_by("-year", "code")


def public_achievement(code: str) -> Achievement | None:
    return public_achievements().filter(code=code).first()


def public_years() -> list[int]:
    return list(Achievement.objects.filter(is_public=True).order_by("-year").values_list("year", flat=True).distinct())


def excellent_achievements(*, user, year: int | None = None) -> QuerySet:
    """IND-EXCELLENT-ACHIEVEMENTS: achievements graded 优秀 (of ``year``), in the user's scope."""
    found = scoping.visible_to(Achievement.objects.filter(grade=Grade.EXCELLENT), user)
    if year:
        found = found.filter(year=year)
    return found.select_related("unit")
