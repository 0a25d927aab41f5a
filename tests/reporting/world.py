"""The small world of issue 11's indicator tests, built by hand: a plain function, so that the same
world can be built on the embedded SQLite demo database by a separate process."""
from __future__ import annotations

import datetime as dt

from courses.models import CoursewareCompletion, CreditPilot, TrainingRecord
from membership.models import Unit, WorkerTransfer
from reporting.models import CampaignYear, LearningOrgStatus
from tests.factories import (
    WorkerFactory,
    class_create,
    course_create,
    dependant_create,
    enrolment_make,
    funds_return_create,
    unit_create,
)


def _training(worker, on):
    return TrainingRecord.objects.create(worker=worker, unit=worker.unit, project="焊接", kind="skills", hours=8,
                                         completed_on=on)


def build_world(tree):
    cy, hd = tree["chaoyang_enterprise"], tree["haidian_enterprise"]
    founded_later = unit_create(tree["chaoyang"], "二〇一三年成立的企业工会")
    Unit.objects.filter(pk=founded_later.pk).update(founded_on=dt.date(2013, 3, 1))
    revoked = unit_create(tree["chaoyang"], "撤销了学习型组织的企业工会")
    # IND-TRAINED-SHARE
    w1 = WorkerFactory(unit=cy, joined_union_on=dt.date(2010, 1, 1))
    _training(w1, dt.date(2012, 5, 1))
    w2 = WorkerFactory(unit=cy, joined_union_on=dt.date(2010, 1, 1))
    _training(w2, dt.date(2011, 7, 1))
    late = WorkerFactory(unit=cy, joined_union_on=dt.date(2013, 2, 1))  # a late joiner: not in P(2012)
    _training(late, dt.date(2012, 6, 1))
    w4 = WorkerFactory(unit=cy, joined_union_on=None)  # no date: in every year's base
    klass = class_create(course_create(tree["chaoyang"]), starts_on=dt.date(2012, 12, 1), ends_on=dt.date(2012, 12, 31))
    enrolment_make(klass, w4, status="completed", completed_on=dt.date(2012, 12, 31))
    w5 = WorkerFactory(unit=hd, joined_union_on=dt.date(2009, 1, 1))
    _training(w5, dt.date(2013, 1, 1))
    # A child's completed class is the child's, never the parent's learning (EDU-7) …
    child_class = class_create(course_create(tree["chaoyang"]), starts_on=dt.date(2012, 5, 1), ends_on=dt.date(2012, 5, 2))
    enrolment_make(child_class, w2, status="completed", completed_on=dt.date(2012, 5, 2), dependant=dependant_create(w2))
    # … and a course's courseware finished counts like a completion.
    CoursewareCompletion.objects.create(worker=w5, unit=hd, course=course_create(tree["haidian"]),
                                        completed_on=dt.date(2012, 9, 1))
    # A leaver: in 2011's base, not in 2012's (left before its end), though trained in 2012.
    leaver = WorkerFactory(unit=cy, joined_union_on=dt.date(2010, 1, 1), left_on=dt.date(2012, 6, 30),
                           leaving_reason="resigned")
    _training(leaver, dt.date(2012, 3, 1))
    # A worker who moved from 朝阳 to 海淀 after E 2012: counted in 朝阳 for 2011 and 2012, in 海淀 for 2013.
    mover = WorkerFactory(unit=hd, joined_union_on=dt.date(2010, 1, 1))
    _training(mover, dt.date(2012, 8, 1))
    WorkerTransfer.objects.create(worker=mover, from_unit=cy, to_unit=hd, effective_on=dt.date(2013, 3, 1))
    # IND-LEARNING-ORG-RATE
    LearningOrgStatus.objects.create(unit=cy, year=2011, status="building")
    LearningOrgStatus.objects.create(unit=revoked, year=2010, status="named")
    LearningOrgStatus.objects.create(unit=revoked, year=2012, status="revoked")
    LearningOrgStatus.objects.create(unit=founded_later, year=2014, status="named")  # after the years asked
    # IND-CAMPAIGN-COVERAGE
    CampaignYear.objects.create(unit=tree["chaoyang"], year=2012, active=True)
    CampaignYear.objects.create(unit=tree["haidian"], year=2012, active=False)
    # IND-TEACHERS: t1 teaches in 2012, t2 never, t3 in 2011; no class runs anywhere in 2010.
    from courses.models import Teacher

    t1 = Teacher.objects.create(name="王老师", unit=cy, subjects="焊接")
    Teacher.objects.create(name="李老师", unit=tree["chaoyang"], subjects="电工")
    t3 = Teacher.objects.create(name="张老师", unit=hd, subjects="数控")
    class_create(course_create(tree["chaoyang"]), teacher=t1, starts_on=dt.date(2012, 3, 1), ends_on=dt.date(2012, 4, 1))
    class_create(course_create(tree["haidian"]), teacher=t3, starts_on=dt.date(2011, 3, 1), ends_on=dt.date(2011, 4, 1))
    # IND-CREDIT-PILOTS (the tree's own city pilot is of 2000)
    CreditPilot.objects.create(unit=cy, year=2012)
    # IND-FUND-*: exactly 1.5% counts; 1.49999% does not.
    funds_return_create(cy, 2012, payroll="1000", extracted="15", spent="10", frontline="6")
    funds_return_create(revoked, 2012, payroll="3333.3333", extracted="49.9999", spent="20", frontline="13")
    funds_return_create(hd, 2012, payroll="100", extracted="3", spent="3", frontline="1")
    build_talent_and_innovation(tree, cy=cy, hd=hd, w1=w1, w2=w2, w4=w4, w5=w5, mover=mover)
    return tree


def build_talent_and_innovation(tree, *, cy, hd, w1, w2, w4, w5, mover):
    """The talent and innovation records the indicators count; every person is one of the workers
    above, so that the worker base stays as it is."""
    from membership.models import Industry
    from talent.models import Competition, StudioRecognition
    from tests.factories import (
        achievement_create,
        base_make,
        competition_make,
        proposal_create,
        skill_certificate_make,
        studio_make,
    )

    # IND-HIGH-SKILL-SHARE, IND-TECHNICIAN-SHARE: levels on 31 Dec 2012.
    skill_certificate_make(w1, level=3, issued_on=dt.date(2011, 4, 1))
    skill_certificate_make(w2, level=4, issued_on=dt.date(2010, 4, 1))
    skill_certificate_make(w2, level=2, issued_on=dt.date(2013, 2, 1))  # issued after E
    skill_certificate_make(w4, level=1, issued_on=dt.date(2008, 4, 1), valid_until=dt.date(2012, 12, 30))  # expired
    skill_certificate_make(w4, level=5, issued_on=dt.date(2009, 4, 1))
    skill_certificate_make(mover, level=2, issued_on=dt.date(2012, 1, 1))
    # IND-STUDIOS: 市级 (level 1) studios in force on E.
    studio_make(cy, leader=w1, level=1, recognised_on=dt.date(2011, 5, 1))
    removed = studio_make(hd, leader=w5, level=1, recognised_on=dt.date(2012, 1, 1))
    StudioRecognition.objects.filter(studio=removed).update(removed_on=dt.date(2012, 12, 31))  # removed on E
    studio_make(cy, leader=w1, level=2, recognised_on=dt.date(2010, 1, 1))  # 区级
    studio_make(cy, leader=w1, level=1, recognised_on=dt.date(2013, 1, 1))  # after E
    # IND-BASES
    base_make(cy, level=1, recognised_on=dt.date(2010, 1, 1), revoked_on=dt.date(2012, 6, 1))
    base_make(hd, level=1, recognised_on=dt.date(2012, 12, 31))
    base_make(cy, level=2, recognised_on=dt.date(2010, 1, 1))
    # IND-COMP-INDUSTRIES: 朝阳's two 2012 competitions share one division.
    competition_make(cy, year=2012)
    competition_make(tree["chaoyang"], year=2012, level="district")
    other = competition_make(hd, year=2012)
    Competition.objects.filter(pk=other.pk).update(industry=Industry.objects.get(code="36"))
    competition_make(cy, year=2011)
    # IND-EXCELLENT-ACHIEVEMENTS
    achievement_create(cy, year=2012, grade="excellent")
    achievement_create(cy, year=2012, grade="good")
    achievement_create(hd, year=2011, grade="excellent")
    # IND-PROPOSAL-*: 朝阳's 2012 proposals in every state, 海淀's one rewarded, and one of 2011.
    for state in ("adopted", "project", "implemented", "rejected", "submitted", "reviewing"):
        proposal_create(cy, worker=w1, state=state, submitted_on=dt.date(2012, 3, 1))
    proposal_create(hd, worker=w5, state="rewarded", submitted_on=dt.date(2012, 12, 31))
    proposal_create(cy, worker=w1, state="rejected", submitted_on=dt.date(2011, 12, 31))



def sqlite_tree() -> dict:
    """What tests/conftest.py's ``tree`` fixture makes, outside pytest."""
    from membership.seed import seed_groups, seed_unit_tree
    from tests.conftest import CHAOYANG_ENTERPRISE, HAIDIAN_ENTERPRISE

    root = seed_unit_tree()
    seed_groups()
    CreditPilot.objects.create(unit=root, year=2000, note="tests")
    chaoyang, haidian = Unit.objects.get(code="110105"), Unit.objects.get(code="110108")
    return {"root": root, "chaoyang": chaoyang, "haidian": haidian,
            "chaoyang_enterprise": unit_create(chaoyang, "北京朝阳精密机械有限公司工会", CHAOYANG_ENTERPRISE),
            "haidian_enterprise": unit_create(haidian, "北京海淀软件有限公司工会", HAIDIAN_ENTERPRISE)}


DRILLED = ("IND-TRAINED-SHARE", "IND-HIGH-SKILL-SHARE", "IND-TECHNICIAN-SHARE")


def drill_down_mismatches(years=(2010, 2011, 2012, 2013)) -> list:
    """The worker formulas' drill-downs into each level-1 unit (read from the subtree's units) against
    the same groups cut from the city-wide form: (code, unit, drilled, city-wide) where they differ."""
    from reporting import formulas

    city = Unit.objects.get(depth=1)
    mismatches = []
    for code in DRILLED:
        for district in Unit.objects.filter(depth=2):
            length = len(district.path) + Unit.steplen
            wide = sorted((figure for figure in formulas.compute(code, formulas.Grouping(length, city.path), list(years))
                           if figure.group.startswith(district.path)), key=lambda figure: (figure.group, figure.year))
            drilled = sorted(formulas.compute(code, formulas.Grouping(length, district.path), list(years)),
                             key=lambda figure: (figure.group, figure.year))
            if drilled != wide:
                mismatches.append((code, district.code, drilled, wide))
    return mismatches
