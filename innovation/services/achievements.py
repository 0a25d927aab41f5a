"""INN-4: writes for innovation achievements — the record and its team, evaluation against the
weighted indicators, the grade — and the batch write of the `achievements` upload."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from membership import scoping
from uploads import bulk

from ..models import Achievement, AchievementEvaluation, AchievementMember, EvaluationIndicator, Grade, IndicatorScore
from ..roles import EVALUATOR_GROUP

TWO_PLACES = Decimal("0.01")
# INN-4: the grade a weighted score (0–100) earns: 优秀 from 90, 良好 from 80, 合格 from 60.
GRADE_FLOORS = ((Decimal(90), Grade.EXCELLENT), (Decimal(80), Grade.GOOD), (Decimal(60), Grade.PASS))


def grade_for_score(score: Decimal) -> str:
    for floor, grade in GRADE_FLOORS:
        if score >= floor:
            return grade
    return Grade.FAIL


def weighted_score(scores: dict[int, Decimal], indicators: list[EvaluationIndicator]) -> Decimal:
    """Σ score × weight / Σ weight over the indicators in use, to two places."""
    total_weight = sum((indicator.weight for indicator in indicators), Decimal(0))
    weighted = sum((scores[indicator.pk] * indicator.weight for indicator in indicators), Decimal(0))
    return (weighted / total_weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def achievement_save(*, achievement: Achievement, by=None) -> Achievement:
    if by is not None and not scoping.unit_in_scope(by, achievement.unit):
        raise PermissionDenied
    achievement.full_clean()
    achievement.save()
    return achievement


def achievement_member_add(*, achievement: Achievement, worker, order: int = 0) -> AchievementMember:
    """A team member, with the unit they belong to today (a fact keeps its unit, MEM-2)."""
    member, _created = AchievementMember.objects.get_or_create(
        achievement=achievement, worker=worker, defaults={"unit_id": worker.unit_id, "order": order})
    return member


def evaluators() -> list:
    return list(get_user_model().objects.filter(groups__name=EVALUATOR_GROUP, is_active=True).order_by("username"))


@transaction.atomic
def achievement_evaluators_assign(*, achievement: Achievement, evaluators, by) -> list[AchievementEvaluation]:
    if not by.has_perm("innovation.evaluate_achievement") or not scoping.changeable_by(
            Achievement.objects.filter(pk=achievement.pk), by).exists():
        raise PermissionDenied
    created = []
    for evaluator in evaluators:
        if not evaluator.groups.filter(name=EVALUATOR_GROUP).exists():
            raise ValidationError(_("%(name)s is not an achievement evaluator.") % {"name": evaluator})
        evaluation, is_new = AchievementEvaluation.objects.get_or_create(achievement=achievement, evaluator=evaluator)
        if is_new:
            created.append(evaluation)
    return created


@transaction.atomic
def achievement_evaluation_submit(*, evaluation: AchievementEvaluation, scores: dict[int, Decimal], comment: str,
                                  by) -> AchievementEvaluation:
    """An evaluator scores every indicator in use (0–100); the weighted score is theirs, and the
    achievement's score and grade become the mean of the submitted evaluations."""
    if evaluation.evaluator_id != by.pk:
        raise PermissionDenied
    indicators = list(EvaluationIndicator.objects.filter(is_active=True))
    if not indicators:
        raise ValidationError(_("No evaluation indicator is in use."))
    if set(scores) != {indicator.pk for indicator in indicators}:
        raise ValidationError(_("Score every indicator."))
    for indicator in indicators:
        if not Decimal(0) <= scores[indicator.pk] <= Decimal(100):
            raise ValidationError(_("A score for %(name)s lies between 0 and 100.") % {"name": indicator.name})
    for indicator in indicators:
        IndicatorScore.objects.update_or_create(evaluation=evaluation, indicator=indicator,
                                                defaults={"score": scores[indicator.pk]})
    evaluation.score = weighted_score(scores, indicators)
    evaluation.comment = comment
    evaluation.submitted_at = timezone.now()
    evaluation.save(update_fields=["score", "comment", "submitted_at"])
    achievement_grade_refresh(achievement=evaluation.achievement)
    return evaluation


def achievement_grade_refresh(*, achievement: Achievement) -> Achievement:
    mean = AchievementEvaluation.objects.filter(achievement=achievement, submitted_at__isnull=False).aggregate(
        mean=Avg("score"))["mean"]
    if mean is None:
        return achievement
    achievement.score = Decimal(mean).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    achievement.grade = grade_for_score(achievement.score)
    achievement.save(update_fields=["score", "grade", "updated_at"])
    return achievement


COMPARED = ("title", "unit_id", "kind", "year", "grade")


def achievements_write(*, new: list[dict], updated: list[tuple[int, dict]], members: list[dict]) -> set[str]:
    """The `achievements` upload's batch: new achievements (one dict each, keyed by code), changed
    fields of existing ones, and team members ({"code", "worker_id", "unit_id", "order"}) added where
    missing. Set-based: a fixed number of queries per batch. Returns the codes of ``new`` that were
    inserted: a code another upload registered at the same moment is skipped (UPL-2), and its
    members are not attached to that other upload's achievement."""
    now = timezone.now()
    inserted = bulk.insert_new(Achievement, ("code", "title", "unit", "kind", "year", "grade", "description",
                                             "is_public", "created_at", "updated_at"),
                               [(row["code"], row["title"], row["unit_id"], row["kind"], row["year"], row["grade"],
                                 "", False, now, now) for row in new], key="code")
    for pk, fields in updated:
        Achievement.objects.filter(pk=pk).update(updated_at=now, **fields)
    contested = {row["code"] for row in new} - inserted
    members = [member for member in members if member["code"] not in contested]
    ids = dict(Achievement.objects.filter(code__in={member["code"] for member in members}).values_list("code", "id"))
    AchievementMember.objects.bulk_create([
        AchievementMember(achievement_id=ids[member["code"]], worker_id=member["worker_id"], unit_id=member["unit_id"],
                          order=member["order"]) for member in members], ignore_conflicts=True)
    return inserted
