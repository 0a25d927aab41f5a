"""INN-4: evaluators assigned in bulk score an achievement against the weighted indicators; the
achievement's score is the mean of the evaluators' weighted scores and its grade follows."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from innovation.models import AchievementEvaluation, EvaluationIndicator, IndicatorScore
from innovation.roles import EVALUATOR_GROUP
from innovation.services import achievements as services
from membership import scoping
from tests.factories import UserFactory, achievement_create


@pytest.fixture
def evaluators(tree):
    from django.contrib.auth.models import Group

    from membership.models import Unit

    group = Group.objects.get(name=EVALUATOR_GROUP)
    # Experts from a third district: they see what is assigned to them, not by their unit.
    people = [UserFactory(username=f"expert{n}", unit=Unit.objects.get(code="110101")) for n in (1, 2)]
    for person in people:
        person.groups.add(group)
    return people


def _scores(*values):
    # The seeded indicators: 创新性 30, 实用性 25, 经济效益 25, 推广价值 20.
    return dict(zip(EvaluationIndicator.objects.order_by("order").values_list("pk", flat=True), map(Decimal, values)))


@pytest.mark.parametrize("score, grade", [("90", "excellent"), ("89.99", "good"), ("80", "good"), ("79.99", "pass"),
                                          ("60", "pass"), ("59.99", "fail")])
def test_grade_floors(score, grade):
    assert services.grade_for_score(Decimal(score)) == grade


def test_the_achievement_is_graded_by_the_mean_of_weighted_scores(tree, chaoyang_officer, evaluators):
    achievement = achievement_create(tree["chaoyang_enterprise"])
    created = services.achievement_evaluators_assign(achievement=achievement, evaluators=evaluators, by=chaoyang_officer)
    assert len(created) == 2
    first, second = (AchievementEvaluation.objects.get(evaluator=e) for e in evaluators)
    services.achievement_evaluation_submit(evaluation=first, scores=_scores(100, 80, 90, 70), comment="", by=evaluators[0])
    first.refresh_from_db()
    achievement.refresh_from_db()
    assert first.score == Decimal("86.50")  # (3000 + 2000 + 2250 + 1400) / 100
    assert (achievement.score, achievement.grade) == (Decimal("86.50"), "good")
    services.achievement_evaluation_submit(evaluation=second, scores=_scores(95, 95, 95, 95), comment="好", by=evaluators[1])
    achievement.refresh_from_db()
    assert (achievement.score, achievement.grade) == (Decimal("90.75"), "excellent")
    assert IndicatorScore.objects.filter(evaluation__achievement=achievement).count() == 8


def test_evaluations_are_refused_when_incomplete_out_of_range_or_someone_elses(tree, chaoyang_officer, evaluators):
    achievement = achievement_create(tree["chaoyang_enterprise"])
    services.achievement_evaluators_assign(achievement=achievement, evaluators=evaluators[:1], by=chaoyang_officer)
    evaluation = AchievementEvaluation.objects.get()
    with pytest.raises(PermissionDenied):
        services.achievement_evaluation_submit(evaluation=evaluation, scores=_scores(90, 90, 90, 90), comment="",
                                               by=evaluators[1])
    with pytest.raises(ValidationError):
        services.achievement_evaluation_submit(evaluation=evaluation, scores=_scores(90, 90, 90), comment="",
                                               by=evaluators[0])
    with pytest.raises(ValidationError):
        services.achievement_evaluation_submit(evaluation=evaluation, scores=_scores(90, 90, 90, 101), comment="",
                                               by=evaluators[0])
    evaluation.refresh_from_db()
    achievement.refresh_from_db()
    assert (evaluation.submitted_at, evaluation.score, achievement.grade) == (None, None, "")
    assert not IndicatorScore.objects.exists()


def test_only_members_of_the_evaluators_group_are_assigned_and_only_by_the_owner(tree, chaoyang_officer,
                                                                                 haidian_officer, evaluators):
    achievement = achievement_create(tree["chaoyang_enterprise"])
    with pytest.raises(ValidationError):
        services.achievement_evaluators_assign(achievement=achievement, evaluators=[UserFactory(unit=tree["root"])],
                                               by=chaoyang_officer)
    with pytest.raises(PermissionDenied):
        services.achievement_evaluators_assign(achievement=achievement, evaluators=evaluators, by=haidian_officer)
    assert not AchievementEvaluation.objects.exists()


def test_an_evaluator_sees_only_what_is_assigned_and_scores_it_on_the_admin_page(client, tree, chaoyang_officer,
                                                                                 evaluators):
    mine = achievement_create(tree["chaoyang_enterprise"], title="分配给我的")
    other = achievement_create(tree["haidian_enterprise"], title="分配给别人的")
    services.achievement_evaluators_assign(achievement=mine, evaluators=evaluators[:1], by=chaoyang_officer)
    services.achievement_evaluators_assign(achievement=other, evaluators=evaluators[1:], by=UserFactory(
        unit=tree["root"], is_superuser=True))
    visible = scoping.visible_to(AchievementEvaluation.objects.all(), evaluators[0])
    assert list(visible.values_list("achievement__title", flat=True)) == ["分配给我的"]
    evaluation = AchievementEvaluation.objects.get(achievement=mine)
    client.force_login(evaluators[0])
    url = reverse("admin:innovation_achievementevaluation_evaluate", args=[evaluation.pk])
    form = {f"i{pk}": str(score) for pk, score in _scores(90, 90, 90, 90).items()}
    response = client.post(url, {**form, "comment": "创新性突出"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.score, mine.grade) == (Decimal("90.00"), "excellent")
    other_evaluation = AchievementEvaluation.objects.get(achievement=other)
    assert client.get(reverse("admin:innovation_achievementevaluation_evaluate",
                              args=[other_evaluation.pk])).status_code == 404
