"""TAL-4: innovation studios: who may lead one, recognition by level (upgrades keep history),
activities and the yearly assessment whose failing grade removes the recognition."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from innovation.selectors.honours import is_model_worker

from ..models import AssessmentGrade, ChiefEmployee, Studio, StudioActivity, StudioAssessment, StudioRecognition

# TAL-4: a studio's leader holds at least this skill level (3 高级工; 2 技师 and 1 高级技师 are better).
LEADER_LEVEL = 3

STUDIO_FIELDS = ("name", "unit", "leader", "field", "introduction", "public")


def leader_qualifies(worker, day: dt.date) -> bool:
    """TAL-4: may ``worker`` lead an innovation studio on ``day``? A current chief employee
    (TAL-3), a worker whose skill level on that day is 3 (高级工) or better (TAL-1), or a model
    worker (劳模): one who holds 北京市劳动模范 on that day in the honours the innovation app records
    (INN-6) — the honour, dated and revocable, not a studio's own declaration."""
    if is_model_worker(worker, day):
        return True
    if ChiefEmployee.objects.current(on=day).filter(worker=worker).exists():
        return True
    from ..selectors.certificates import worker_level_on

    level = worker_level_on(worker, day)
    return level is not None and level <= LEADER_LEVEL


def studio_leader_check(worker, day: dt.date) -> None:
    if not leader_qualifies(worker, day):
        raise ValidationError({"leader": _(
            "%(name)s cannot lead a studio on %(day)s: a leader must be a current chief employee, "
            "a worker at skill level 3 (高级工) or better, or a model worker.") % {"name": worker.name, "day": day}})


@transaction.atomic
def studio_create(*, name: str, unit, leader, field: str, level: int, recognised_on: dt.date,
                  recognised_by: str = "", members: Iterable = (), introduction: str = "", public: bool = False) -> Studio:
    """TAL-4: a studio with its first recognition; the leader must qualify on the recognition date."""
    studio_leader_check(leader, recognised_on)
    studio = Studio(name=name, unit=unit, leader=leader, field=field, introduction=introduction, public=public)
    studio.full_clean()
    studio.save()
    studio.members.set(members)
    studio_recognise(studio=studio, level=level, recognised_on=recognised_on, recognised_by=recognised_by)
    return studio


@transaction.atomic
def studio_update(*, studio: Studio, members: Iterable | None = None, **fields) -> Studio:
    """A new leader must qualify on the day of the change."""
    unknown = set(fields) - set(STUDIO_FIELDS)
    if unknown:
        raise TypeError(f"not a studio field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(studio, name, value)
    if "leader" in fields:
        studio_leader_check(studio.leader, timezone.localdate())
    studio.full_clean()
    if fields:
        studio.save(update_fields=list(fields))
    if members is not None:
        studio.members.set(members)
    return studio


def _in_force_on(day: dt.date) -> Q:
    return Q(recognised_on__lte=day) & (Q(removed_on__isnull=True) | Q(removed_on__gt=day))


def studio_recognition_check(*, studio: Studio, level: int, recognised_on: dt.date) -> None:
    if StudioRecognition.objects.filter(_in_force_on(recognised_on), studio=studio, level=level).exists():
        raise ValidationError(_("The studio is already recognised at this level on that date."))


@transaction.atomic
def studio_recognise(*, studio: Studio, level: int, recognised_on: dt.date, recognised_by: str = "") -> StudioRecognition:
    """TAL-4: recognition is one dated row per level. An upgrade (区级 → 市级) adds a row from
    its date and keeps the earlier one as history; the studio's level on a date is the best
    recognition in force then (talent.selectors.studios)."""
    Studio.objects.select_for_update().get(pk=studio.pk)
    studio_recognition_check(studio=studio, level=level, recognised_on=recognised_on)
    recognition = StudioRecognition(studio=studio, level=level, recognised_on=recognised_on, recognised_by=recognised_by)
    recognition.full_clean()
    recognition.save()
    # A recognition entered late, dated before a failing assessment already on file, ends there.
    _removals_apply(studio)
    recognition.refresh_from_db()
    return recognition


def _removals_apply(studio: Studio) -> None:
    """TAL-4: each recognition not ended by hand ends on the first failing assessment on or after
    its date, whatever order the recognitions and assessments were entered or corrected in."""
    failing = list(StudioAssessment.objects.filter(studio=studio, grade=AssessmentGrade.FAILED)
                   .order_by("assessed_on", "pk").values_list("pk", "assessed_on"))
    for recognition in StudioRecognition.objects.filter(studio=studio).filter(
            Q(removed_on__isnull=True) | Q(removed_by_assessment__isnull=False)):
        first = next(((pk, on) for pk, on in failing if on >= recognition.recognised_on), (None, None))
        if (recognition.removed_by_assessment_id, recognition.removed_on) != first:
            StudioRecognition.objects.filter(pk=recognition.pk).update(removed_by_assessment=first[0],
                                                                      removed_on=first[1])


@transaction.atomic
def studio_assessment_save(*, studio: Studio, year: int, assessed_on: dt.date, score: Decimal, grade: str,
                           remarks: str = "", assessment: StudioAssessment | None = None) -> StudioAssessment:
    """TAL-4 考核: a failing grade removes every recognition of the studio in force on the
    assessment's date, from that date; the rows stay, marked with the assessment. Correcting an
    assessment first gives back what it had removed, so saving twice changes nothing."""
    Studio.objects.select_for_update().get(pk=studio.pk)
    assessment = assessment or StudioAssessment(studio=studio)
    assessment.studio = studio
    assessment.year, assessment.assessed_on, assessment.score = year, assessed_on, score
    assessment.grade, assessment.remarks = grade, remarks
    assessment.full_clean()
    assessment.save()
    _removals_apply(studio)
    return assessment


@transaction.atomic
def studio_assessment_delete(*, assessment: StudioAssessment) -> None:
    """Deleting a failing assessment gives back the recognitions it removed."""
    studio = assessment.studio
    StudioRecognition.objects.filter(removed_by_assessment=assessment).update(removed_on=None, removed_by_assessment=None)
    assessment.delete()
    _removals_apply(studio)


def studio_activity_check(kind: str, master, apprentices: list) -> None:
    if kind == StudioActivity.Kind.APPRENTICESHIP:
        if master is None:
            raise ValidationError({"master": _("A master–apprentice activity names its master.")})
        if not apprentices:
            raise ValidationError({"apprentices": _("A master–apprentice activity names at least one apprentice.")})
        if master in apprentices:
            raise ValidationError({"apprentices": _("The master cannot also be an apprentice.")})
    elif master is not None or apprentices:
        raise ValidationError({"master": _("Only a master–apprentice activity has a master and apprentices.")})


@transaction.atomic
def studio_activity_save(*, studio: Studio, kind: str, title: str, started_on: dt.date, ended_on: dt.date | None = None,
                         outcome: str = "", master=None, apprentices: Iterable = (),
                         activity: StudioActivity | None = None) -> StudioActivity:
    """TAL-4: a studio's activity: 项目攻关, 名师带徒 (with its master and apprentices), 技能培训, 技术交流."""
    apprentices = list(apprentices)
    studio_activity_check(kind, master, apprentices)
    activity = activity or StudioActivity(studio=studio)
    activity.studio, activity.kind, activity.title = studio, kind, title
    activity.started_on, activity.ended_on, activity.outcome, activity.master = started_on, ended_on, outcome, master
    activity.full_clean()
    activity.save()
    activity.apprentices.set(apprentices)
    return activity
