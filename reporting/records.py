"""REP-2: the records behind a number — the workers trained, the funds returns counted … — for one
indicator, one unit's subtree and one year, within the viewer's scope. ID numbers appear masked only,
birth dates never. Each entry mirrors its formula in reporting.formulas."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from courses.models import CourseClass, CoursewareCompletion, CreditPilot, Enrolment, Teacher, TrainingRecord
from membership import scoping
from membership.models import Unit, Worker

from .models import CampaignYear, FundsReturn, LearningOrgStatus


@dataclass(frozen=True)
class Records:
    columns: list[str]
    rows: QuerySet
    cells: Callable  # one row -> list of cell values


def _span(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _base(unit: Unit, end: datetime.date):
    """P(Y) in the unit's subtree: on the roll on E, by the unit they belonged to on E."""
    from membership.selectors import worker_units_on

    in_subtree = Unit.objects.filter(path__startswith=unit.path).values("pk")
    return worker_units_on(end, Worker.objects.on_roll(end)).filter(unit_on_id__in=in_subtree)


def _trained(unit: Unit, year: int, user) -> Records:
    start, end = _span(year)
    completed = (Exists(TrainingRecord.objects.filter(worker=OuterRef("pk"), completed_on__range=(start, end)))
                 | Exists(Enrolment.objects.filter(worker=OuterRef("pk"), dependant__isnull=True,
                                                   status=Enrolment.Status.COMPLETED, completed_on__range=(start, end)))
                 | Exists(CoursewareCompletion.objects.filter(worker=OuterRef("pk"), completed_on__range=(start, end))))
    workers = scoping.visible_to(_base(unit, end).filter(completed), user).select_related("unit").order_by("name", "pk")
    return Records([_("Name"), _("ID number"), _("Unit"), _("Post")], workers,
                   lambda w: [w.name, w.id_number_masked, w.unit.name, w.post])


def _learning_orgs(unit: Unit, year: int, user) -> Records:
    _start, end = _span(year)
    latest = LearningOrgStatus.objects.filter(unit=OuterRef("pk"), year__lte=year).order_by("-year")
    units = (Unit.objects.filter(path__startswith=unit.path, depth__gte=3)
             .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
             .annotate(standing=Subquery(latest.values("status")[:1]))
             .filter(standing__in=[LearningOrgStatus.Status.BUILDING, LearningOrgStatus.Status.NAMED]))
    labels = dict(LearningOrgStatus.Status.choices)
    return Records([_("Unit"), _("Unit code"), _("Standing")], scoping.visible_to(units, user).order_by("path"),
                   lambda u: [u.name, u.code, labels.get(u.standing, "")])


def _campaign(unit: Unit, year: int, user) -> Records:
    rows = CampaignYear.objects.filter(unit__path__startswith=unit.path, year=year, active=True)
    return Records([_("Level-1 unit"), _("Note")], scoping.visible_to(rows, user).select_related("unit").order_by("unit__path"),
                   lambda c: [c.unit.name, c.note])


def _teachers(unit: Unit, year: int, user) -> Records:
    start, end = _span(year)
    taught = CourseClass.objects.filter(teacher=OuterRef("pk"), starts_on__lte=end, ends_on__gte=start)
    teachers = Teacher.objects.filter(unit__path__startswith=unit.path)
    if CourseClass.objects.filter(teacher__isnull=False, starts_on__lte=end, ends_on__gte=start).exists():
        teachers = teachers.filter(Exists(taught))
    else:
        teachers = teachers.filter(is_active=True)
    return Records([_("Name"), _("Unit"), _("Subjects")],
                   scoping.visible_to(teachers, user).select_related("unit").order_by("unit__path", "name"),
                   lambda t: [t.name, t.unit.name, t.subjects])


def _pilots(unit: Unit, year: int, user) -> Records:
    rows = CreditPilot.objects.filter(unit__path__startswith=unit.path, year=year)
    return Records([_("Enterprise"), _("Year"), _("Note")],
                   scoping.visible_to(rows, user).select_related("unit").order_by("unit__path"),
                   lambda p: [p.unit.name, p.year, p.note])


def _funds(unit: Unit, year: int, user) -> Records:
    rows = FundsReturn.objects.filter(unit__path__startswith=unit.path, year=year)
    return Records([_("Enterprise union"), _("Payroll (10,000 yuan)"), _("Amount extracted (10,000 yuan)"),
                    _("Amount spent (10,000 yuan)"), _("Spent on front-line workers (10,000 yuan)"), _("Flags")],
                   scoping.visible_to(rows, user).select_related("unit").order_by("unit__path"),
                   lambda f: [f.unit.name, f.payroll, f.extracted, f.spent, f.frontline, "；".join(f.flags())])


def _studios(unit: Unit, year: int, user) -> Records:
    from talent.models import RecognitionLevel, Studio, StudioRecognition

    _start, end = _span(year)
    in_force = StudioRecognition.objects.filter(studio=OuterRef("pk"), level=RecognitionLevel.CITY, recognised_on__lte=end) \
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=end))
    rows = Studio.objects.filter(unit__path__startswith=unit.path).filter(Exists(in_force))
    return Records([_("Name"), _("Unit"), _("Field")],
                   scoping.visible_to(rows, user).select_related("unit").order_by("unit__path", "name"),
                   lambda studio: [studio.name, studio.unit.name, studio.field])


def _bases(unit: Unit, year: int, user) -> Records:
    from talent.models import DemonstrationBase, RecognitionLevel

    _start, end = _span(year)
    rows = DemonstrationBase.objects.filter(unit__path__startswith=unit.path, level=RecognitionLevel.CITY,
                                            recognised_on__lte=end).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=end))
    return Records([_("Name"), _("Unit"), _("Recognised on")],
                   scoping.visible_to(rows, user).select_related("unit").order_by("unit__path", "name"),
                   lambda base: [base.name, base.unit.name, base.recognised_on])


def _competitions(unit: Unit, year: int, user) -> Records:
    from talent.models import Competition

    rows = Competition.objects.filter(organiser__path__startswith=unit.path, year=year)
    return Records([_("Code"), _("Name"), _("Industry"), _("Unit")],
                   scoping.visible_to(rows, user).select_related("organiser", "industry").order_by("industry__code", "code"),
                   lambda c: [c.code, c.name, str(c.industry), c.organiser.name])


def _achievements(unit: Unit, year: int, user) -> Records:
    from innovation.models import Achievement

    rows = Achievement.objects.filter(unit__path__startswith=unit.path, year=year, grade="excellent")
    return Records([_("Code"), _("Title"), _("Unit")],
                   scoping.visible_to(rows, user).select_related("unit").order_by("code"),
                   lambda a: [a.code, a.title, a.unit.name])


def _skilled(best: int):
    def build(unit: Unit, year: int, user) -> Records:
        from talent.models import SkillCertificate

        _start, end = _span(year)
        valid = SkillCertificate.objects.filter(worker=OuterRef("pk"), issued_on__lte=end, level__lte=best) \
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=end))
        workers = scoping.visible_to(_base(unit, end).filter(Exists(valid)), user).select_related("unit").order_by("name", "pk")
        return Records([_("Name"), _("ID number"), _("Unit"), _("Post")], workers,
                       lambda w: [w.name, w.id_number_masked, w.unit.name, w.post])
    return build


def _proposals(states):
    def build(unit: Unit, year: int, user) -> Records:
        from innovation.models import Proposal

        rows = Proposal.objects.filter(unit__path__startswith=unit.path, submitted_on__year=year, state__in=states)
        return Records([_("Code"), _("Title"), _("Unit"), _("State")],
                       scoping.visible_to(rows, user).select_related("unit").order_by("code"),
                       lambda p: [p.code, p.title, p.unit.name, p.get_state_display()])
    return build


RECORDS: dict[str, Callable[[Unit, int, object], Records]] = {
    "IND-TRAINED-SHARE": _trained,
    "IND-LEARNING-ORG-RATE": _learning_orgs,
    "IND-CAMPAIGN-COVERAGE": _campaign,
    "IND-TEACHERS": _teachers,
    "IND-CREDIT-PILOTS": _pilots,
    "IND-FUND-EXTRACTION": _funds,
    "IND-FUND-FRONTLINE": _funds,
    "IND-STUDIOS": _studios,
    "IND-BASES": _bases,
    "IND-COMP-INDUSTRIES": _competitions,
    "IND-EXCELLENT-ACHIEVEMENTS": _achievements,
    "IND-HIGH-SKILL-SHARE": _skilled(3),
    "IND-TECHNICIAN-SHARE": _skilled(2),
}


def _register_proposals() -> None:
    from innovation.models import ADOPTED_OR_BEYOND, IMPLEMENTED_OR_BEYOND

    RECORDS["IND-PROPOSAL-ADOPTION"] = _proposals(list(ADOPTED_OR_BEYOND))
    RECORDS["IND-PROPOSAL-IMPLEMENTATION"] = _proposals(list(IMPLEMENTED_OR_BEYOND))


_register_proposals()
