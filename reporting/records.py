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


RECORDS: dict[str, Callable[[Unit, int, object], Records]] = {
    "IND-TRAINED-SHARE": _trained,
    "IND-LEARNING-ORG-RATE": _learning_orgs,
    "IND-CAMPAIGN-COVERAGE": _campaign,
    "IND-TEACHERS": _teachers,
    "IND-CREDIT-PILOTS": _pilots,
    "IND-FUND-EXTRACTION": _funds,
    "IND-FUND-FRONTLINE": _funds,
}
