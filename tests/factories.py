from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.utils import timezone

from core.identity import make_credit_code, make_id_number
from membership import services
from membership.directory import worker_id_fields
from membership.models import IdNumberLookup, IdNumberReveal, PasswordResetCode, Unit, User, Worker, WorkerTransfer
from uploads.models import RejectedRowsReveal, Upload

_sequence = itertools.count(1)


def unit_create(parent: Unit, name: str | None = None, code: str | None = None, kind=Unit.Kind.ENTERPRISE_UNION) -> Unit:
    number = next(_sequence)
    region = parent.code if parent.code.isdigit() and len(parent.code) == 6 else "110105"
    code = code or make_credit_code("91", region, f"MA{number:07d}")
    parent.refresh_from_db()
    return services.unit_create(parent=parent, code=code, name=name or f"测试企业{number}工会", kind=kind)


def id_number_new(region: str = "110105") -> str:
    number = next(_sequence)
    return make_id_number(region, dt.date(1970, 1, 1) + dt.timedelta(days=number // 900), number % 900 + 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw-123456")


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    class Params:
        id_number = factory.LazyFunction(id_number_new)
        id_fields = factory.LazyAttribute(lambda o: worker_id_fields(o.id_number))

    name = factory.Sequence(lambda n: f"职工{n}")
    id_number_encrypted = factory.LazyAttribute(lambda o: o.id_fields["id_number_encrypted"])
    id_number_digest = factory.LazyAttribute(lambda o: o.id_fields["id_number_digest"])
    id_number_masked = factory.LazyAttribute(lambda o: o.id_fields["id_number_masked"])
    birth_date = factory.LazyAttribute(lambda o: o.id_fields["birth_date"])
    sex = factory.LazyAttribute(lambda o: o.id_fields["sex"])
    post = "焊工"


def _transfer(unit: Unit) -> WorkerTransfer:
    # A move into ``unit`` (the transfer's scope is its receiving unit), through the service.
    worker = WorkerFactory(unit=unit_create(unit))
    services.worker_update(worker=worker, unit=unit)
    return WorkerTransfer.objects.get(worker=worker)


def _reveal(unit: Unit) -> IdNumberReveal:
    return IdNumberReveal.objects.create(worker=WorkerFactory(unit=unit), user=UserFactory(unit=unit))


def _lookup(unit: Unit) -> IdNumberLookup:
    worker = WorkerFactory(unit=unit)
    return IdNumberLookup.objects.create(user=UserFactory(unit=unit), source=IdNumberLookup.Source.SEARCH,
                                         id_number_masked=worker.id_number_masked, worker=worker)


def _reset_code(unit: Unit):
    """EDU-8: a one-time password reset code issued by an officer of ``unit`` to one of its workers."""
    from django.contrib.auth.models import Permission

    from membership import password_reset

    worker = WorkerFactory(unit=unit)
    UserFactory(is_staff=False, unit=None, worker=worker)
    officer = UserFactory(unit=unit)
    officer.user_permissions.set(Permission.objects.filter(codename="change_worker"))
    _code, record = password_reset.password_reset_code_issue(worker=worker, by=officer)
    return record


def _upload(unit: Unit) -> Upload:
    user = UserFactory(unit=unit)
    return Upload.objects.create(kind="workers", user=user, unit=unit, file_name="花名册.xlsx", sha256="0" * 64,
                                 status=Upload.Status.PREVIEWED)


def course_create(unit: Unit, title: str = "焊接技术基础", status: str = "approved", **fields):
    from decimal import Decimal

    from courses.models import Course

    number = next(_sequence)
    return Course.objects.create(code=fields.pop("code", f"KC{number:06d}"), title=title, category=fields.pop("category", "job"),
                                 hours=Decimal(16), credits=fields.pop("credits", Decimal(2)), provider_kind="workers_university",
                                 provider_name="北京市职工大学", unit=unit, status=status, **fields)


def class_create(course, unit: Unit | None = None, capacity: int = 10, **fields):
    from courses.models import CourseClass

    today = timezone.localdate()
    return CourseClass.objects.create(course=course, name=fields.pop("name", f"{course.title}第{next(_sequence)}期"), unit=unit or course.unit,
                                      starts_on=fields.pop("starts_on", today + dt.timedelta(days=7)),
                                      ends_on=fields.pop("ends_on", today + dt.timedelta(days=14)), capacity=capacity, **fields)


def enrolment_make(course_class, worker, status: str = "enrolled", **fields):
    """An enrolment row as the services store it: with the worker's unit of the day."""
    from courses.models import Enrolment

    return Enrolment.objects.create(course_class=course_class, worker=worker, unit_id=worker.unit_id, status=status,
                                    **fields)


def _enrolment(unit: Unit):
    from courses import services as course_services
    from courses.models import Enrolment

    enrolment = course_services.enrolment_create(worker=WorkerFactory(unit=unit), course_class=class_create(course_create(unit)))
    assert enrolment.status == Enrolment.Status.ENROLLED
    return enrolment


def _certificate(unit: Unit):
    from courses.models import Certificate

    return Certificate.objects.create(enrolment=_enrolment(unit), issued_on=timezone.localdate())


def _module(unit: Unit):
    from courses.models import CourseModule

    return CourseModule.objects.create(course=course_create(unit), title="模块一")


def _place(unit: Unit):
    from courses.models import Place

    return Place.objects.create(name=f"培训站点{next(_sequence)}", kind="station", unit=unit)


def _teacher(unit: Unit):
    from courses.models import Teacher

    return Teacher.objects.create(name=f"教师{next(_sequence)}", unit=unit, subjects="焊接")


# How to make one object of each scoped model inside a given unit. The permission matrix uses it
# for every model registered in the admin: a new scoped model needs one line here.
IN_UNIT = {
    Unit: lambda unit: unit_create(unit),
    User: lambda unit: UserFactory(unit=unit),
    Worker: lambda unit: WorkerFactory(unit=unit),
    WorkerTransfer: _transfer,
    IdNumberReveal: _reveal,
    IdNumberLookup: _lookup,
    RejectedRowsReveal: lambda unit: RejectedRowsReveal.objects.create(upload=_upload(unit), user=UserFactory(unit=unit)),
    Upload: _upload,
}
# The officers' block (issue 8): password reset codes.
IN_UNIT[PasswordResetCode] = _reset_code


def _review(unit: Unit):
    from courses.models import CourseReview

    return CourseReview.objects.create(course=course_create(unit, status="submitted"), reviewer=UserFactory(unit=unit))


def _score(unit: Unit):
    from decimal import Decimal

    from courses.models import ReviewCriterion, ReviewScore

    criterion = ReviewCriterion.objects.first() or ReviewCriterion.objects.create(name="内容", max_score=10)
    return ReviewScore.objects.create(review=_review(unit), criterion=criterion, score=Decimal(8))


def _training(unit: Unit):
    from decimal import Decimal

    from courses import services as course_services

    return course_services.training_record_create(worker=WorkerFactory(unit=unit), project="数控车床操作提升班",
                                                  kind="skills", hours=Decimal(16), completed_on=timezone.localdate())


def _conversion(unit: Unit):
    from decimal import Decimal

    from courses.models import CreditConversion

    return CreditConversion.objects.create(worker=WorkerFactory(unit=unit), unit=unit, institution="北京开放大学",
                                           programme="机械制造", credits=Decimal(4), converted_on=timezone.localdate())


def _credit_entry(unit: Unit):
    """EDU-9: the entry a training record earns through its service."""
    from decimal import Decimal

    from courses import services
    from courses.models import CreditEntry

    record = services.training_record_create(
        worker=WorkerFactory(unit=unit), project="数控车床操作提升班", kind="skills", hours=Decimal(16),
        completed_on=timezone.localdate())
    return CreditEntry.objects.get(source_id=record.pk, source_kind=CreditEntry.Source.TRAINING)


def _pilot(unit: Unit):
    from courses.models import CreditPilot

    return CreditPilot.objects.create(unit=unit_create(unit), year=2026)


def activity_create(unit: Unit, title: str = "公益大讲堂：职业道德", capacity=None, **fields):
    from courses.models import Activity

    today = timezone.localdate()
    return Activity.objects.create(title=title, kind=fields.pop("kind", "lecture"), unit=unit,
                                   starts_on=fields.pop("starts_on", today + dt.timedelta(days=3)),
                                   ends_on=fields.pop("ends_on", today + dt.timedelta(days=3)), capacity=capacity, **fields)


def _registration(unit: Unit):
    from courses.models import ActivityRegistration

    return ActivityRegistration.objects.create(activity=activity_create(unit), worker=WorkerFactory(unit=unit), unit=unit)


def courseware_create(course, title="焊接安全视频", kind="video"):
    from django.core.files.base import ContentFile

    from courses.models import Courseware

    item = Courseware(course=course, kind=kind, title=title, length=12)
    item.file.save("welding.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42 test video"), save=False)
    item.save()
    return item


def _progress(unit: Unit):
    from courses.models import CoursewareProgress

    return CoursewareProgress.objects.create(worker=WorkerFactory(unit=unit), unit=unit,
                                             courseware=courseware_create(course_create(unit)), percent=40)


def _courseware_completion(unit: Unit):
    from courses.models import CoursewareCompletion

    return CoursewareCompletion.objects.create(worker=WorkerFactory(unit=unit), unit=unit, course=course_create(unit),
                                               completed_on=timezone.localdate())


def _register_courses() -> None:
    from courses.models import (
        Certificate,
        Course,
        CourseClass,
        CourseModule,
        CourseReview,
        Enrolment,
        Place,
        ReviewScore,
        Teacher,
        TrainingRecord,
    )

    IN_UNIT.update({
        Course: lambda unit: course_create(unit),
        CourseClass: lambda unit: class_create(course_create(unit)),
        CourseModule: _module,
        Enrolment: _enrolment,
        Certificate: _certificate,
        Place: _place,
        Teacher: _teacher,
        CourseReview: _review,
        ReviewScore: _score,
        TrainingRecord: _training,
    })
    from courses.models import CreditConversion, CreditEntry, CreditPilot

    IN_UNIT.update({CreditConversion: _conversion, CreditPilot: _pilot, CreditEntry: _credit_entry})
    from courses.models import Activity, ActivityRegistration

    IN_UNIT.update({Activity: lambda unit: activity_create(unit), ActivityRegistration: _registration})
    from courses.models import Courseware, CoursewareProgress

    IN_UNIT.update({Courseware: lambda unit: courseware_create(course_create(unit)), CoursewareProgress: _progress})
    from courses.models import CoursewareCompletion

    IN_UNIT.update({CoursewareCompletion: _courseware_completion})


_register_courses()


# Classes as workers and officers found them (issue 8): sessions, attendance, dependent children.

def session_create(course_class, day: int = 0, starts: str = "09:00", ends: str = "12:00", **fields):
    """A session of ``course_class`` on its ``day``-th day (0: the first)."""
    from courses.models import ClassSession

    return ClassSession.objects.create(course_class=course_class, date=course_class.starts_on + dt.timedelta(days=day),
                                       starts_at=dt.time.fromisoformat(starts), ends_at=dt.time.fromisoformat(ends),
                                       **fields)


def dependant_create(worker, name: str = "小明", relation: str = "son", age: int = 12):
    from courses import services as course_services

    return course_services.dependant_create(worker=worker, name=name, relation=relation, age=age)


def _attendance(unit: Unit):
    from courses.models import Attendance

    enrolment = _enrolment(unit)
    return Attendance.objects.create(session=session_create(enrolment.course_class), enrolment=enrolment, present=True)


def _shared_attendance(first: Unit, second: Unit):
    from courses.models import Attendance

    enrolment = _shared_enrolment(first, second)
    return Attendance.objects.create(session=session_create(enrolment.course_class), enrolment=enrolment, present=True)


def _register_classes() -> None:
    from courses.models import Attendance, ClassSession, Dependant

    IN_UNIT.update({
        ClassSession: lambda unit: session_create(class_create(course_create(unit))),
        Attendance: _attendance,
        Dependant: lambda unit: dependant_create(WorkerFactory(unit=unit)),
    })
def _member_service_request(unit: Unit):
    """MEM-5: a member unit's request to the federation (coursework helper, issue 8)."""
    from membership.models import MemberServiceRequest

    today = timezone.localdate()
    return MemberServiceRequest.objects.create(unit=unit, kind="training_consulting", subject="安全生产培训方案咨询",
                                               starts_on=today, ends_on=today + dt.timedelta(days=30),
                                               need="为一线职工设计安全生产培训方案")


def _register_member_resources() -> None:
    from membership.models import MemberServiceRequest

    IN_UNIT.update({MemberServiceRequest: _member_service_request})


_register_member_resources()


def _audit_event(event_model, make):
    """The event the database's trigger recorded when ``make`` created its object (item 16)."""
    def build(unit: Unit):
        tracked = make(unit)
        return event_model.objects.filter(pgh_obj_id=tracked.pk).latest("pgh_id")
    return build


def _register_audit() -> None:
    from audit import models as audit

    IN_UNIT.update({
        audit.WorkerEvent: _audit_event(audit.WorkerEvent, IN_UNIT[Worker]),
        audit.UnitEvent: _audit_event(audit.UnitEvent, IN_UNIT[Unit]),
        audit.CourseEvent: _audit_event(audit.CourseEvent, lambda unit: course_create(unit)),
        audit.CourseClassEvent: _audit_event(audit.CourseClassEvent, lambda unit: class_create(course_create(unit))),
        audit.EnrolmentEvent: _audit_event(audit.EnrolmentEvent, _enrolment),
        audit.TrainingRecordEvent: _audit_event(audit.TrainingRecordEvent, _training),
        audit.CreditConversionEvent: _audit_event(audit.CreditConversionEvent, _conversion),
    })


_register_audit()



def worker_transfer(worker, unit: Unit):
    """Move a worker to another unit the way the admin and the roster upload do (MEM-3)."""
    worker.refresh_from_db()
    return services.worker_update(worker=worker, unit=unit)


def _after_transfer(make):
    """A fact made while its worker belonged to ``first``, whose worker then moved to ``second``."""
    def build(first: Unit, second: Unit):
        fact = make(first)
        worker_transfer(fact.enrolment.worker if hasattr(fact, "enrolment") else fact.worker, second)
        return fact
    return build


def _event_of(event_model, make):
    """The trail's entry of a fact made by ``make(first, second)`` (read-only for every owner)."""
    def build(first: Unit, second: Unit):
        fact = make(first, second)
        return event_model.objects.filter(pgh_obj_id=fact.pk).latest("pgh_id")
    return build


def _shared_transfer(first: Unit, second: Unit) -> WorkerTransfer:
    # Issue 8: a move from ``second`` into ``first``: the receiving unit owns it, the releasing
    # unit sees it (read-only).
    worker = WorkerFactory(unit=second)
    services.worker_update(worker=worker, unit=first)
    return WorkerTransfer.objects.get(worker=worker)


def _shared_enrolment(first: Unit, second: Unit):
    return enrolment_make(class_create(course_create(first)), WorkerFactory(unit=second))


def _shared_certificate(first: Unit, second: Unit):
    from courses.models import Certificate

    return Certificate.objects.create(enrolment=_shared_enrolment(first, second), issued_on=timezone.localdate())


def _shared_registration(first: Unit, second: Unit):
    from courses.models import ActivityRegistration

    worker = WorkerFactory(unit=second)
    return ActivityRegistration.objects.create(activity=activity_create(first), worker=worker, unit_id=worker.unit_id)


def _assigned_review(first: Unit, second: Unit):
    from courses.models import CourseReview

    return CourseReview.objects.create(course=course_create(first, status="submitted"), reviewer=UserFactory(unit=second))


def _assigned_score(first: Unit, second: Unit):
    from decimal import Decimal

    from courses.models import ReviewCriterion, ReviewScore

    criterion = ReviewCriterion.objects.first() or ReviewCriterion.objects.create(name="内容", max_score=10)
    return ReviewScore.objects.create(review=_assigned_review(first, second), criterion=criterion, score=Decimal(8))


@dataclass(frozen=True)
class SharedCase:
    """A row of a model with several owners (MEM-2), made so that two units own it.

    ``make(first, second)``: ``first`` owns the row from the row's side (the class's or
    activity's organiser, the course's unit, or the unit the worker belonged to when the fact
    happened); ``second`` through the worker's current unit, or through the user the row is
    assigned to (``second_user(row)``; otherwise a staff user of ``second``). ``first_changes`` and
    ``second_changes`` say whether each may change the row. A third unit sees nothing."""

    model: type
    name: str
    make: Callable
    second_changes: bool
    second_user: Callable | None = None
    first_changes: bool = True  # False for rows nobody changes (a fact's audit trail)


# Rows that two units own, for the permission matrix's shared-owner tests: a model with several
# owners or an assignment rule in its scope needs one line here.
SHARED: list[SharedCase] = []


def _register_shared() -> None:
    from audit import models as audit
    from courses.models import (
        ActivityRegistration,
        Attendance,
        Certificate,
        CourseReview,
        CoursewareCompletion,
        CoursewareProgress,
        CreditConversion,
        Enrolment,
        ReviewScore,
        TrainingRecord,
    )

    SHARED.extend([
        SharedCase(WorkerTransfer, "receiving and releasing unit", _shared_transfer, False),
        SharedCase(Enrolment, "class organiser and worker's unit", _shared_enrolment, True),
        SharedCase(Enrolment, "after a transfer", _after_transfer(_enrolment), False),
        SharedCase(Certificate, "class organiser and worker's unit", _shared_certificate, True),
        SharedCase(Certificate, "after a transfer", _after_transfer(_certificate), False),
        SharedCase(ActivityRegistration, "activity organiser and worker's unit", _shared_registration, True),
        SharedCase(ActivityRegistration, "after a transfer", _after_transfer(_registration), False),
        SharedCase(TrainingRecord, "after a transfer", _after_transfer(_training), False),
        SharedCase(CreditConversion, "after a transfer", _after_transfer(_conversion), False),
        SharedCase(CoursewareProgress, "after a transfer", _after_transfer(_progress), False),
        SharedCase(CoursewareCompletion, "after a transfer", _after_transfer(_courseware_completion), False),
        SharedCase(audit.EnrolmentEvent, "after a transfer", _event_of(audit.EnrolmentEvent, _after_transfer(_enrolment)),
                   False, first_changes=False),
        SharedCase(audit.TrainingRecordEvent, "after a transfer",
                   _event_of(audit.TrainingRecordEvent, _after_transfer(_training)), False, first_changes=False),
        SharedCase(audit.CreditConversionEvent, "after a transfer",
                   _event_of(audit.CreditConversionEvent, _after_transfer(_conversion)), False, first_changes=False),
        SharedCase(Attendance, "class organiser and worker's unit", _shared_attendance, True),
        SharedCase(Attendance, "after a transfer", _after_transfer(_attendance), False),
        SharedCase(CourseReview, "course unit and assigned reviewer", _assigned_review, True, lambda row: row.reviewer),
        SharedCase(ReviewScore, "course unit and assigned reviewer", _assigned_score, True, lambda row: row.review.reviewer),
    ])


_register_classes()
_register_shared()


# Reporting (issue 11): its inputs, governance, targets and values.
def funds_return_create(unit: Unit, year: int = 2012, payroll="1000", extracted="15", spent="10", frontline="6"):
    from decimal import Decimal

    from reporting.models import FundsReturn

    return FundsReturn.objects.create(unit=unit, year=year, payroll=Decimal(payroll), extracted=Decimal(extracted),
                                      spent=Decimal(spent), frontline=Decimal(frontline))


def _meeting(unit: Unit):
    from reporting.models import CoordinationMeeting

    return CoordinationMeeting.objects.create(unit=unit, title="第一季度协调会", held_on=dt.date(2013, 3, 1),
                                              attendees="办公室")


def _decision(unit: Unit):
    from reporting.models import MeetingDecision

    return MeetingDecision.objects.create(meeting=_meeting(unit), text="加快工作室认定")


def _action(unit: Unit, owner: Unit | None = None):
    from reporting.models import FollowUpAction

    return FollowUpAction.objects.create(decision=_decision(unit), description="报送名单", owner_unit=owner or unit,
                                         due_on=dt.date(2013, 6, 1))


def _work_plan(unit: Unit):
    from reporting.models import WorkPlan

    return WorkPlan.objects.create(unit=unit, year=2013, title="年度工作计划")


def _indicator():
    from reporting.models import Indicator, Plan

    plan, _ = Plan.objects.get_or_create(name="测试规划", defaults={"start_year": 2010, "end_year": 2013})
    indicator, _ = Indicator.objects.get_or_create(plan=plan, code="IND-FUND-FRONTLINE", defaults={
        "name": "60%用于一线职工", "formula": "IND-FUND-FRONTLINE", "measure": "percent"})
    return indicator


def _value(unit: Unit):
    from reporting.models import IndicatorValue, Run

    run = Run.objects.create(trigger=Run.Trigger.COMMAND, status=Run.Status.COMPLETE, first_year=2012, last_year=2012)
    return IndicatorValue.objects.create(run=run, indicator=_indicator(), unit=unit, year=2012, numerator=1, denominator=2)


def _register_reporting() -> None:
    from reporting import models as reporting

    IN_UNIT.update({
        reporting.FundsReturn: funds_return_create,
        reporting.LearningOrgStatus: lambda unit: reporting.LearningOrgStatus.objects.create(
            unit=unit, year=2012, status=reporting.LearningOrgStatus.Status.NAMED),
        reporting.CampaignYear: lambda unit: reporting.CampaignYear.objects.create(unit=unit, year=2012),
        reporting.LeadingGroup: lambda unit: reporting.LeadingGroup.objects.create(
            unit=unit, name="领导小组", office="办公室", established_on=dt.date(2010, 1, 1)),
        reporting.LeadingGroupMember: lambda unit: reporting.LeadingGroupMember.objects.create(
            group=IN_UNIT[reporting.LeadingGroup](unit), name="王建国", title="主席"),
        reporting.CoordinationMeeting: _meeting,
        reporting.MeetingDecision: _decision,
        reporting.FollowUpAction: _action,
        reporting.WorkPlan: _work_plan,
        reporting.WorkPlanItem: lambda unit: reporting.WorkPlanItem.objects.create(plan=_work_plan(unit), title="岗前培训"),
        reporting.Target: lambda unit: reporting.Target.objects.create(
            indicator=_indicator(), year=2013, unit=unit, comparison="gte", low=60),
        reporting.IndicatorValue: _value,
    })
    SHARED.append(SharedCase(reporting.FollowUpAction, "convening unit and responsible unit",
                             lambda first, second: _action(first, owner=second), True))


_register_reporting()
# Innovation (issue 10: competitions, six smalls, achievements, transfer, honours).

def committee_create(unit: Unit, level: str = "district"):
    from innovation.models import CompetitionCommittee

    return CompetitionCommittee.objects.create(name=f"{unit.name}劳动竞赛委员会{next(_sequence)}", level=level, unit=unit)


def competition_create(unit: Unit, **fields):
    from innovation.models import LabourCompetition
    from innovation.services.competitions import competition_save

    return competition_save(competition=LabourCompetition(
        committee=fields.pop("committee", None) or committee_create(unit), title=fields.pop("title", f"劳动竞赛{next(_sequence)}"),
        theme=fields.pop("theme", "quality"), works=fields.pop("works", "地铁十四号线"), year=fields.pop("year", 2012),
        starts_on=fields.pop("starts_on", dt.date(2012, 3, 1)), ends_on=fields.pop("ends_on", dt.date(2012, 11, 30)), **fields))


def competition_entry_create(competition, unit: Unit, team_name: str = "", **fields):
    from innovation.models import CompetitionEntry

    return CompetitionEntry.objects.create(competition=competition, unit=unit,
                                           team_name=team_name or f"班组{next(_sequence)}", **fields)


def contest_create(unit: Unit, **fields):
    from innovation.models import InventionContest

    return InventionContest.objects.create(title=fields.pop("title", f"发明创新大赛{next(_sequence)}"), unit=unit,
                                           year=fields.pop("year", 2012), **fields)


def contest_entry_create(contest, unit: Unit, **fields):
    from innovation.models import ContestEntry

    return ContestEntry.objects.create(contest=contest, unit=unit, title=fields.pop("title", f"发明{next(_sequence)}"),
                                       **fields)


def achievement_create(unit: Unit, members=(), **fields):
    from innovation.models import Achievement, AchievementMember

    achievement = Achievement.objects.create(
        code=fields.pop("code", f"CX{next(_sequence):06d}"), title=fields.pop("title", "数控机床主轴热变形补偿装置"),
        unit=unit, kind=fields.pop("kind", "technical"), year=fields.pop("year", 2012), **fields)
    for order, worker in enumerate(members):
        AchievementMember.objects.create(achievement=achievement, worker=worker, unit_id=worker.unit_id, order=order)
    return achievement


def honour_create(rung: str, *, worker=None, unit: Unit | None = None, team_name: str = "",
                  awarded_on: dt.date = dt.date(2011, 5, 1), level: str = "municipal", **fields):
    from innovation.services.honours import honour_award

    return honour_award(rung=rung, level=level, awarded_on=awarded_on, worker=worker, unit=unit, team_name=team_name,
                        **fields)


def _evaluation(achievement_unit: Unit, evaluator_unit: Unit):
    from innovation.models import AchievementEvaluation

    return AchievementEvaluation.objects.create(achievement=achievement_create(achievement_unit),
                                                evaluator=UserFactory(unit=evaluator_unit))


def _indicator_score(achievement_unit: Unit, evaluator_unit: Unit):
    from decimal import Decimal

    from innovation.models import EvaluationIndicator, IndicatorScore

    indicator = EvaluationIndicator.objects.first() or EvaluationIndicator.objects.create(name="创新性", weight=Decimal(1))
    return IndicatorScore.objects.create(evaluation=_evaluation(achievement_unit, evaluator_unit), indicator=indicator,
                                         score=Decimal(90))


def _register_innovation_achievements() -> None:
    from innovation import models as innovation

    IN_UNIT.update({
        innovation.CompetitionCommittee: lambda unit: committee_create(unit),
        innovation.LabourCompetition: lambda unit: competition_create(unit),
        innovation.CompetitionEntry: lambda unit: competition_entry_create(competition_create(unit), unit),
        innovation.SmallsEntry: lambda unit: innovation.SmallsEntry.objects.create(
            kind="saving", title=f"小节约{next(_sequence)}", unit=unit, year=2012),
        innovation.InventionContest: lambda unit: contest_create(unit),
        innovation.ContestEntry: lambda unit: contest_entry_create(contest_create(unit), unit),
        innovation.Achievement: lambda unit: achievement_create(unit, [WorkerFactory(unit=unit)]),
        innovation.AchievementMember: lambda unit: achievement_create(unit, [WorkerFactory(unit=unit)]).members.get(),
        innovation.AchievementEvaluation: lambda unit: _evaluation(unit, unit),
        innovation.IndicatorScore: lambda unit: _indicator_score(unit, unit),
        innovation.Patent: lambda unit: innovation.Patent.objects.create(
            achievement=achievement_create(unit), number=f"ZL2012{next(_sequence):07d}", kind="utility",
            granted_on=dt.date(2012, 6, 1)),
        innovation.TransferEvent: lambda unit: innovation.TransferEvent.objects.create(
            kind="exhibition", title=f"职工创新成果展{next(_sequence)}", unit=unit, held_on=dt.date(2013, 5, 1)),
        innovation.TechnologyContract: lambda unit: innovation.TechnologyContract.objects.create(
            number=f"JS{next(_sequence):08d}", kind="transfer", title="热变形补偿技术转让", unit=unit, provider="甲方",
            client="乙方", amount=Decimal("12.50"), signed_on=dt.date(2013, 3, 1), registered_on=dt.date(2013, 3, 8)),
        innovation.Honour: lambda unit: honour_create("innovation_star", worker=WorkerFactory(unit=unit)),
    })
    SHARED.extend([
        SharedCase(innovation.CompetitionEntry, "organiser and participating unit",
                   lambda first, second: competition_entry_create(competition_create(first), second), False),
        SharedCase(innovation.ContestEntry, "organiser and entrant unit",
                   lambda first, second: contest_entry_create(contest_create(first), second), False),
        SharedCase(innovation.Achievement, "achievement unit and a team member's unit",
                   lambda first, second: achievement_create(first, [WorkerFactory(unit=second)]), False),
        SharedCase(innovation.AchievementMember, "achievement unit and the member's unit",
                   lambda first, second: achievement_create(first, [WorkerFactory(unit=second)]).members.get(), False),
        SharedCase(innovation.AchievementEvaluation, "achievement unit and assigned evaluator", _evaluation, True,
                   lambda row: row.evaluator),
        SharedCase(innovation.IndicatorScore, "achievement unit and assigned evaluator", _indicator_score, True,
                   lambda row: row.evaluation.evaluator),
    ])


_register_innovation_achievements()
# INN-2 合理化建议 (innovation.models.proposals).
def proposal_create(unit: Unit, *, state: str = "submitted", submitted_on=None, worker=None, **fields):
    """A proposal of ``unit`` by a worker of it, moved to ``state`` the way an upload records a
    historic one (every earlier state a step)."""
    from innovation.models import Proposal, ProposalAuthor, ProposalStep, state_path

    worker = worker or WorkerFactory(unit=unit)
    number = next(_sequence)
    proposal = Proposal.objects.create(
        code=fields.pop("code", f"JYT{number:07d}"), title=fields.pop("title", f"改进焊接夹具{number}"),
        category=fields.pop("category", "cost"), submitter=worker, unit=unit, state=state,
        submitted_on=submitted_on or timezone.localdate(), submitter_names=worker.name, **fields)
    ProposalAuthor.objects.create(proposal=proposal, worker=worker, is_lead=True)
    ProposalStep.objects.bulk_create([ProposalStep(proposal=proposal, state=each) for each in state_path(state)])
    return proposal


def evaluator_create(unit: Unit | None = None, **fields):
    from django.contrib.auth.models import Group

    from innovation.roles import PROPOSAL_EVALUATOR_GROUP as EVALUATOR_GROUP

    user = UserFactory(unit=unit, **fields)
    group, _created = Group.objects.get_or_create(name=EVALUATOR_GROUP)
    user.groups.add(group)
    return user


def _proposal_assignment(unit: Unit):
    from innovation.models import ProposalAssignment

    return ProposalAssignment.objects.create(proposal=proposal_create(unit), evaluator=evaluator_create(unit))


def _proposal_round(unit: Unit):
    from innovation.models import ProposalRound

    return ProposalRound.objects.create(unit=unit, name=f"{unit.name}2012年第{next(_sequence)}次评审", year=2012,
                                        starts_on=dt.date(2012, 3, 1), ends_on=dt.date(2012, 3, 31))


def _assigned_proposal(first: Unit, second: Unit):
    """A proposal of ``first`` assigned to an evaluator of ``second``."""
    from innovation.models import ProposalAssignment

    proposal = proposal_create(first)
    ProposalAssignment.objects.create(proposal=proposal, evaluator=evaluator_create(second))
    return proposal


def _assigned_proposal_evaluator(row):
    from innovation.models import Proposal

    proposal = row if isinstance(row, Proposal) else row.proposal
    return proposal.assignments.get().evaluator


def _assigned_assignment(first: Unit, second: Unit):
    return _assigned_proposal(first, second).assignments.get()


def _assigned_step(first: Unit, second: Unit):
    return _assigned_proposal(first, second).steps.first()


def _assigned_author(first: Unit, second: Unit):
    return _assigned_proposal(first, second).authors.get()


def _register_proposals() -> None:
    from innovation.models import Proposal, ProposalAssignment, ProposalAuthor, ProposalRound, ProposalStep

    IN_UNIT.update({
        Proposal: lambda unit: proposal_create(unit),
        ProposalAuthor: lambda unit: proposal_create(unit).authors.get(),
        ProposalStep: lambda unit: proposal_create(unit).steps.first(),
        ProposalAssignment: _proposal_assignment,
        ProposalRound: _proposal_round,
    })
    SHARED.extend([
        SharedCase(Proposal, "proposal's unit and assigned evaluator", _assigned_proposal, False,
                   _assigned_proposal_evaluator),
        SharedCase(ProposalAuthor, "proposal's unit and assigned evaluator", _assigned_author, False,
                   _assigned_proposal_evaluator),
        SharedCase(ProposalStep, "proposal's unit and assigned evaluator", _assigned_step, False,
                   _assigned_proposal_evaluator),
        SharedCase(ProposalAssignment, "proposal's unit and assigned evaluator", _assigned_assignment, True,
                   _assigned_proposal_evaluator, first_changes=False),
    ])


_register_proposals()
# --- talent: chief employees, studios, bases, 职工技协, forums (TAL-3, TAL-4, TAL-5, TAL-7) ---

def chief_designate(unit: Unit, worker=None, **fields):
    """A chief employee designated by ``unit`` (the worker works there unless given)."""
    from decimal import Decimal

    from talent.services.chief import chief_designate as designate

    today = timezone.localdate()
    values = {"field": "数控加工", "term_from": today - dt.timedelta(days=365), "term_to": today + dt.timedelta(days=365),
              "monthly_allowance": Decimal(500), **fields}
    return designate(worker=worker or WorkerFactory(unit=unit), unit=unit, **values)


def studio_make(unit: Unit, leader=None, level: int = 2, recognised_on=None, **fields):
    """A studio hosted by ``unit``, recognised at ``level`` (2 区级 unless given); the leader is
    a model worker (a 北京市劳动模范 honour from the day before the recognition, INN-6) unless
    ``leader_is_model_worker=False`` is passed."""
    from innovation.services.honours import honour_award
    from talent.services.studios import studio_create

    number = next(_sequence)
    model_worker = fields.pop("leader_is_model_worker", True)
    leader = leader or WorkerFactory(unit=unit)
    recognised_on = recognised_on or timezone.localdate() - dt.timedelta(days=100)
    if model_worker:
        honour_award(rung="model_worker", level="municipal", worker=leader,
                     awarded_on=recognised_on - dt.timedelta(days=1))
    values = {"name": f"创新工作室{number}", "field": "数控加工", **fields}
    return studio_create(unit=unit, leader=leader, level=level, recognised_on=recognised_on, **values)


def base_make(unit: Unit, level: int = 1, **fields):
    from talent.models import DemonstrationBase

    values = {"name": f"高技能人才示范基地{next(_sequence)}", "recognised_on": timezone.localdate() - dt.timedelta(days=100),
              **fields}
    return DemonstrationBase.objects.create(unit=unit, level=level, **values)


def talent_event_make(unit: Unit, **fields):
    from talent.models import TalentEvent

    today = timezone.localdate()
    values = {"title": f"高技能人才论坛{next(_sequence)}", "kind": "forum", "starts_on": today + dt.timedelta(days=10),
              "ends_on": today + dt.timedelta(days=10), "public": True, **fields}
    return TalentEvent.objects.create(unit=unit, **values)


def _chief_evaluation(designation):
    from decimal import Decimal

    from talent.services.chief import chief_evaluation_save

    return chief_evaluation_save(designation=designation, year=designation.term_from.year,
                                 evaluated_on=designation.term_from + dt.timedelta(days=30), score=Decimal(90),
                                 result="passed")


def _studio_assessment(studio):
    from decimal import Decimal

    from talent.services.studios import studio_assessment_save

    return studio_assessment_save(studio=studio, year=2026, assessed_on=timezone.localdate(), score=Decimal(88), grade="good")


def _studio_activity(studio):
    from talent.services.studios import studio_activity_save

    return studio_activity_save(studio=studio, kind="project", title="数控刀具寿命攻关", started_on=timezone.localdate())


def _tech_association(unit: Unit, member=None):
    from talent.models import TechAssociation
    from talent.services.bases import tech_association_save

    return tech_association_save(association=TechAssociation(name=f"职工技协{next(_sequence)}", unit=unit),
                                 member_units=[member or unit])


def _talent_registration(unit: Unit, worker=None):
    from talent.services.events import talent_event_register

    return talent_event_register(worker=worker or WorkerFactory(unit=unit), event=talent_event_make(unit))


def _register_talent_programmes() -> None:
    from talent.models import (
        ChiefEmployee,
        ChiefEvaluation,
        DemonstrationBase,
        Studio,
        StudioActivity,
        StudioAssessment,
        StudioRecognition,
        TalentEvent,
        TalentEventRegistration,
        TechAssociation,
    )

    IN_UNIT.update({
        ChiefEmployee: lambda unit: chief_designate(unit),
        ChiefEvaluation: lambda unit: _chief_evaluation(chief_designate(unit)),
        Studio: lambda unit: studio_make(unit),
        StudioRecognition: lambda unit: studio_make(unit).recognitions.get(),
        StudioAssessment: lambda unit: _studio_assessment(studio_make(unit)),
        StudioActivity: lambda unit: _studio_activity(studio_make(unit)),
        DemonstrationBase: lambda unit: base_make(unit),
        TechAssociation: lambda unit: _tech_association(unit),
        TalentEvent: lambda unit: talent_event_make(unit),
        TalentEventRegistration: lambda unit: _talent_registration(unit),
    })
    # The designating or host unit keeps the row; the worker's (leader's, member unit's) unit sees it.
    SHARED.extend([
        SharedCase(ChiefEmployee, "designating unit and worker's unit",
                   lambda first, second: chief_designate(first, WorkerFactory(unit=second)), False),
        SharedCase(ChiefEvaluation, "designating unit and worker's unit",
                   lambda first, second: _chief_evaluation(chief_designate(first, WorkerFactory(unit=second))), False),
        SharedCase(Studio, "host unit and leader's unit",
                   lambda first, second: studio_make(first, WorkerFactory(unit=second)), False),
        SharedCase(StudioRecognition, "host unit and leader's unit",
                   lambda first, second: studio_make(first, WorkerFactory(unit=second)).recognitions.get(), False),
        SharedCase(StudioAssessment, "host unit and leader's unit",
                   lambda first, second: _studio_assessment(studio_make(first, WorkerFactory(unit=second))), False),
        SharedCase(StudioActivity, "host unit and leader's unit",
                   lambda first, second: _studio_activity(studio_make(first, WorkerFactory(unit=second))), False),
        SharedCase(TechAssociation, "running unit and member unit",
                   lambda first, second: _tech_association(first, second), False),
        SharedCase(TalentEventRegistration, "organiser and worker's unit",
                   lambda first, second: TalentEventRegistration.objects.get(
                       pk=_talent_registration_shared(first, second).pk), True),
        SharedCase(TalentEventRegistration, "after a transfer", _after_transfer(_talent_registration), False),
    ])


def _talent_registration_shared(first: Unit, second: Unit):
    from talent.services.events import talent_event_register

    return talent_event_register(worker=WorkerFactory(unit=second), event=talent_event_make(first))


_register_talent_programmes()


# TAL-1, TAL-2, TAL-6: certificates, the talent database, competitions, results and the fast track.
def skill_certificate_make(worker, level: int = 4, issued_on: dt.date | None = None, occupation: str = "焊工",
                           valid_until: dt.date | None = None):
    from talent.models import Occupation
    from talent.services.certificates import skill_certificate_create

    return skill_certificate_create(
        worker=worker, occupation=Occupation.objects.get(name=occupation), level=level,
        number=f"ZS{next(_sequence):010d}", issuer="北京市职业技能鉴定指导中心",
        issued_on=issued_on or timezone.localdate() - dt.timedelta(days=30), valid_until=valid_until)


def competition_make(organiser: Unit, level: str = "municipal", year: int = 2012, is_public: bool = False):
    from membership.models import Industry
    from talent.models import Occupation
    from talent.services.competitions import competition_create

    return competition_create(
        code=f"{organiser.code}-{next(_sequence)}", name="北京市职工焊工技能大赛", level=level, organiser=organiser,
        industry=Industry.objects.get(code="34"), occupation=Occupation.objects.get(name="焊工"), year=year,
        co_organisers="市人力社保局", series="国际焊接对抗赛", is_public=is_public)


def competition_result_make(competition, worker, rank: int = 1, award: str = "一等奖"):
    from talent.services.competitions import competition_result_create

    return competition_result_create(competition=competition, worker=worker, rank=rank, award=award)


def _recommendation(organiser: Unit, entrant_unit: Unit):
    return competition_result_make(competition_make(organiser), WorkerFactory(unit=entrant_unit)).recommendation


def _register_talent_certificates() -> None:
    from talent.models import Competition, CompetitionResult, FastTrackRecommendation, SkillCertificate, TalentRecord

    IN_UNIT.update({
        SkillCertificate: lambda unit: skill_certificate_make(WorkerFactory(unit=unit)),
        TalentRecord: lambda unit: TalentRecord.objects.get(pk=skill_certificate_make(WorkerFactory(unit=unit)).pk),
        Competition: lambda unit: competition_make(unit),
        CompetitionResult: lambda unit: competition_result_make(competition_make(unit), WorkerFactory(unit=unit)),
        FastTrackRecommendation: lambda unit: _recommendation(unit, unit),
    })
    # A certificate stays its recording unit's after a transfer; a result is the organiser's, seen by
    # the entrant's unit; a recommendation is the entrant's unit's, seen by the organiser.
    SHARED.extend([
        SharedCase(SkillCertificate, "after a transfer",
                   _after_transfer(lambda unit: skill_certificate_make(WorkerFactory(unit=unit))), False),
        SharedCase(CompetitionResult, "organiser and entrant's unit",
                   lambda first, second: competition_result_make(competition_make(first), WorkerFactory(unit=second)),
                   False),
        SharedCase(CompetitionResult, "organiser and entrant's unit after a transfer",
                   _after_transfer(lambda unit: competition_result_make(competition_make(unit),
                                                                         WorkerFactory(unit=unit))), False),
        SharedCase(FastTrackRecommendation, "entrant's unit and organiser",
                   lambda first, second: _recommendation(second, first), False),
    ])


_register_talent_certificates()


# API tokens (issue 12): a system's token belongs to a unit like a staff account.
def api_token_create(unit: Unit, role: str = "level2", name: str = ""):
    from api.services import token_create

    return token_create(name=name or f"人事系统{next(_sequence)}", unit=unit, role=role)


def _register_api() -> None:
    from api.models import ApiToken

    IN_UNIT[ApiToken] = lambda unit: api_token_create(unit)[0]


_register_api()
