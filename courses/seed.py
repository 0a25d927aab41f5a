"""Demo content for the education system: places, teachers, courses of every category, classes,
enrolments and completions, so the menu and the learning record look like the real thing."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from membership.models import Unit, Worker

from . import menu_cache
from .models import Certificate, Course, CourseClass, CourseModule, Enrolment, Place, TargetGroup, Teacher

COURSES = [
    ("job", "焊接技术基础", "焊接安全、焊条电弧焊与气体保护焊的基本操作，面向一线焊工。", ["frontline", "migrant"], ["焊接安全", "焊条电弧焊", "CO2 气体保护焊"]),
    ("job", "数控车床编程与操作", "数控车床的坐标系、G 代码编程、对刀与加工实训。", ["frontline", "technical"], ["数控基础", "G 代码编程", "加工实训"]),
    ("job", "电工上岗证培训", "低压电工作业安全、电气识图与常见故障排查。", ["frontline"], ["电气安全", "识图", "故障排查"]),
    ("job", "高级焊工技能提升", "焊接工艺评定、压力容器焊接与焊缝缺陷分析。", ["frontline", "technical"], ["工艺评定", "压力容器焊接"]),
    ("general", "职场沟通与团队协作", "有效沟通、会议组织与团队协作方法。", ["all"], ["沟通技巧", "团队协作"]),
    ("general", "办公软件应用", "文字处理、电子表格与演示文稿的常用功能。", ["all", "manager"], ["文字处理", "电子表格", "演示文稿"]),
    ("general", "职工法律知识讲座", "劳动合同、工伤保险与职工权益维护。", ["all"], ["劳动合同法", "工伤保险"]),
    ("thematic", "社会主义核心价值观主题教育", "形势任务教育与职业道德专题。", ["all"], ["形势任务", "职业道德"]),
    ("thematic", "安全生产月专题教育", "安全生产法规与典型事故案例分析。", ["frontline"], ["法规解读", "案例分析"]),
    ("key_group", "农民工夜校：城市生活与职业技能", "面向农民工的普通话、安全常识与基础技能。", ["migrant"], ["安全常识", "基础技能"]),
    ("key_group", "护工职业技能培训", "老年照护、基础护理与沟通。", ["carer", "migrant"], ["基础护理", "老年照护"]),
    ("key_group", "家政服务员培训", "家居保洁、母婴护理与服务礼仪。", ["domestic", "migrant"], ["家居保洁", "母婴护理"]),
    ("key_group", "困难职工子女职业技能培训", "计算机操作与电子商务入门，提升就业能力。", ["needy"], ["计算机操作", "电子商务入门"]),
    ("culture", "职工书画培训班", "书法与国画基础。", ["all"], ["书法", "国画"]),
    ("culture", "职工摄影培训班", "摄影构图与后期处理。", ["all"], ["构图", "后期处理"]),
    ("culture", "职工健身与太极拳", "工间健身与太极拳基础。", ["all"], ["工间操", "太极拳"]),
]
PROVIDERS = [
    (Course.Provider.WORKERS_UNIVERSITY, "北京市职工大学"), (Course.Provider.UNIVERSITY, "北京工业大学继续教育学院"),
    (Course.Provider.SKILLS_BODY, "北京市技师学院"), (Course.Provider.SOCIAL_BODY, "北京某职业培训学校"),
]
PLACE_KINDS = list(Place.Kind)


@transaction.atomic
def seed_courses(*, rng: random.Random, per_district: int = 2) -> dict:
    if Course.objects.exists():
        return {"courses": Course.objects.count()}
    groups = {group.code: group for group in TargetGroup.objects.all()}
    root = Unit.objects.get(depth=1)
    level1 = list(Unit.objects.filter(depth=2).order_by("path"))
    places, teachers = {}, {}
    for unit in [root, *level1]:
        places[unit.pk] = [Place.objects.create(name=f"{unit.district or '北京'}{kind.label}", kind=kind, unit=unit,
                                                address=f"{unit.district or '北京'}区职工服务中心")
                           for kind in rng.sample(PLACE_KINDS, 2)]
        teachers[unit.pk] = [Teacher.objects.create(name=f"{rng.choice('王李张刘陈杨赵黄')}{rng.choice('老师教授讲师')}{index}",
                                                    unit=unit, subjects=rng.choice(["焊接", "数控", "电工", "沟通", "法律", "书画", "护理"]),
                                                    qualifications=rng.choice(["高级技师", "副教授", "讲师", "高级工程师"]))
                             for index in range(3)]
    today = timezone.localdate()
    courses = []
    for number, (category, title, description, target, modules) in enumerate(COURSES, start=1):
        owner = root if number % 3 else level1[number % len(level1)]
        kind, provider = PROVIDERS[number % len(PROVIDERS)]
        course = Course.objects.create(
            code=f"KC2026{number:04d}", title=title, description=description, category=category,
            delivery=rng.choice(list(Course.Delivery)), hours=Decimal(rng.choice([8, 16, 24, 32, 48])),
            credits=Decimal(rng.choice([1, 2, 3, 4])), provider_kind=kind, provider_name=provider, unit=owner,
            status=Course.Status.APPROVED,
        )
        course.target_groups.set([groups[code] for code in target])
        for order, module in enumerate(modules, start=1):
            CourseModule.objects.create(course=course, order=order, title=module, hours=Decimal(4))
        courses.append(course)
    classes = []
    for course in courses:
        for index in range(per_district):
            host = rng.choice([root, *level1])
            start = today + dt.timedelta(days=rng.randrange(-60, 60))
            classes.append(CourseClass.objects.create(
                course=course, name=f"{course.title}（{host.district or '市级'}第{index + 1}期）", unit=host,
                place=rng.choice(places[host.pk]), teacher=rng.choice(teachers[host.pk]),
                starts_on=start, ends_on=start + dt.timedelta(days=rng.choice([1, 7, 14, 30])),
                capacity=rng.choice([5, 20, 30, 50]),
            ))
    worker_units = dict(Worker.objects.order_by("id").values_list("id", "unit_id")[:400])
    workers = list(worker_units)
    enrolments = 0
    for course_class in classes:
        chosen = rng.sample(workers, min(len(workers), rng.randrange(0, course_class.capacity + 3)))
        seats = 0
        for worker_id in chosen:
            finished = course_class.ends_on < today
            if seats < course_class.capacity:
                status = rng.choice([Enrolment.Status.COMPLETED, Enrolment.Status.COMPLETED, Enrolment.Status.NOT_COMPLETED]) \
                    if finished else Enrolment.Status.ENROLLED
                seats += status == Enrolment.Status.ENROLLED
            else:
                status = Enrolment.Status.WAITLISTED if not finished else Enrolment.Status.NOT_COMPLETED
            enrolment = Enrolment.objects.create(
                course_class=course_class, worker_id=worker_id, unit_id=worker_units[worker_id], status=status,
                attended_hours=course_class.course.hours if status == Enrolment.Status.COMPLETED else 0,
                score=Decimal(rng.randrange(60, 100)) if status == Enrolment.Status.COMPLETED else None,
                completed_on=course_class.ends_on if status == Enrolment.Status.COMPLETED else None,
            )
            if status == Enrolment.Status.COMPLETED:
                Certificate.objects.create(enrolment=enrolment, issued_on=course_class.ends_on)
            enrolments += 1
        CourseClass.objects.filter(pk=course_class.pk).update(enrolled_count=seats)
    # Sessions, deadlines and attendance draw from their own generator, seeded from the demo's,
    # so the rest of the demo stays as it was.
    _seed_class_details(rng=random.Random(rng.getrandbits(32)), classes=classes)
    _seed_courseware(courses)
    _seed_courseware_rule()
    _seed_demo_worker_history(classes=classes)
    _seed_demo_worker_child(classes=classes)
    submitted = _seed_submissions()
    _seed_activities(rng=rng, root=root, level1=level1, worker_units=worker_units)
    _seed_pilots()
    _seed_ledger()
    # Bulk writes and update()s above bypass the models' signals: the menu's cached pages give way.
    menu_cache.menu_changed()
    return {"courses": len(courses) + submitted, "classes": len(classes), "enrolments": enrolments}


# EDU-7: the discipline of each culture course of the demo menu.
DISCIPLINES = {"职工书画培训班": Course.Discipline.CALLIGRAPHY_PAINTING, "职工摄影培训班": Course.Discipline.PHOTOGRAPHY,
               "职工健身与太极拳": Course.Discipline.FITNESS}
# EDU-3: (start, end) of a session: a morning, an afternoon or an evening (night schools).
SESSION_TIMES = [(dt.time(9), dt.time(12)), (dt.time(14), dt.time(17)), (dt.time(19), dt.time(21))]


def _seed_class_details(*, rng: random.Random, classes) -> None:
    """EDU-3: each demo class gets its schedule (sessions within its dates), an enrolment
    deadline, and for classes that have ended the attendance of their seats; culture courses
    their discipline, offline job courses an attendance requirement."""
    from .models import Attendance, ClassSession

    for title, discipline in DISCIPLINES.items():
        Course.objects.filter(title=title, category=Course.Category.CULTURE).update(discipline=discipline)
    Course.objects.filter(category=Course.Category.JOB, delivery=Course.Delivery.OFFLINE).update(min_attendance_percent=75)
    today = timezone.localdate()
    sessions, deadlines = [], {}
    for course_class in classes:
        days = (course_class.ends_on - course_class.starts_on).days
        count = min(days + 1, rng.choice([2, 3, 4, 6]))
        offsets = sorted(rng.sample(range(days + 1), count)) if days else [0]
        start, end = rng.choice(SESSION_TIMES)
        teacher = course_class.teacher
        for number, offset in enumerate(offsets, start=1):
            sessions.append(ClassSession(course_class=course_class, date=course_class.starts_on + dt.timedelta(days=offset),
                                         starts_at=start, ends_at=end, topic=f"第{number}讲", teacher=None if number % 3 else teacher))
        deadlines[course_class.pk] = max(course_class.starts_on - dt.timedelta(days=rng.choice([1, 3, 7])),
                                         min(today + dt.timedelta(days=2), course_class.ends_on)) \
            if course_class.starts_on > today else course_class.starts_on
    ClassSession.objects.bulk_create(sessions)
    for course_class in classes:
        CourseClass.objects.filter(pk=course_class.pk).update(enrol_by=deadlines[course_class.pk])
        course_class.enrol_by = deadlines[course_class.pk]
    by_class: dict[int, list] = {}
    for session in ClassSession.objects.filter(course_class__in=classes, date__lt=today):
        by_class.setdefault(session.course_class_id, []).append(session)
    marks = []
    for enrolment in Enrolment.objects.filter(course_class__in=classes, status__in=[
            Enrolment.Status.COMPLETED, Enrolment.Status.NOT_COMPLETED, Enrolment.Status.ENROLLED]).only("id", "status", "course_class_id"):
        for session in by_class.get(enrolment.course_class_id, []):
            present = enrolment.status != Enrolment.Status.NOT_COMPLETED or rng.random() < 0.4
            marks.append(Attendance(session=session, enrolment=enrolment, present=present))
    Attendance.objects.bulk_create(marks, batch_size=2000)


def _seed_demo_worker_child(*, classes) -> None:
    """EDU-7: the demo worker has a daughter enrolled in an open class for 困难职工及其子女."""
    from membership.models import User

    from .models import Dependant

    account = User.objects.filter(username="worker").select_related("worker").first()
    if account is None or account.worker is None:
        return
    today = timezone.localdate()
    open_needy = [c for c in classes if c.ends_on >= today and c.course.target_groups.filter(code="needy").exists()
                  and c.enrolled_count < c.capacity]
    child, _ = Dependant.objects.get_or_create(worker=account.worker, name=f"{account.worker.name[0]}小雨",
                                               defaults={"relation": Dependant.Relation.DAUGHTER, "birth_year": today.year - 16})
    if open_needy and not Enrolment.objects.filter(dependant=child).exists():
        course_class = open_needy[0]
        Enrolment.objects.create(course_class=course_class, worker=account.worker, dependant=child,
                                 unit_id=account.worker.unit_id, status=Enrolment.Status.ENROLLED)
        CourseClass.objects.filter(pk=course_class.pk).update(enrolled_count=course_class.enrolled_count + 1)


SUBMISSIONS = [
    ("智能制造产线运维实务", "企业自主开发：工业机器人日常点检、PLC 故障诊断与产线换型。", ["frontline", "technical"]),
    ("危险化学品仓储安全操作", "企业自主开发：危化品分类存放、泄漏应急处置与个人防护。", ["frontline"]),
]


def _seed_submissions() -> int:
    """EDU-5: enterprise courses waiting for the committee, assigned to the demo reviewer."""
    from membership.models import User

    enterprises = list(Unit.objects.filter(depth=3, kind=Unit.Kind.ENTERPRISE_UNION).order_by("path")[:len(SUBMISSIONS)])
    reviewer = User.objects.filter(username="reviewer").first()
    groups = {group.code: group for group in TargetGroup.objects.all()}
    for number, ((title, description, target), unit) in enumerate(zip(SUBMISSIONS, enterprises), start=1):
        course = Course.objects.create(
            code=f"QY2026{number:04d}", title=title, description=description, category=Course.Category.JOB,
            delivery=Course.Delivery.OFFLINE, hours=Decimal(24), credits=Decimal(2),
            provider_kind=Course.Provider.ENTERPRISE, provider_name=unit.name.removesuffix("工会"), unit=unit,
            status=Course.Status.SUBMITTED,
        )
        course.target_groups.set([groups[code] for code in target])
        CourseModule.objects.create(course=course, order=1, title="理论讲授", hours=Decimal(8))
        CourseModule.objects.create(course=course, order=2, title="现场实操", hours=Decimal(16))
        if reviewer is not None:
            from .models import CourseReview

            CourseReview.objects.create(course=course, reviewer=reviewer)
    return len(SUBMISSIONS)


ACTIVITIES = [
    ("lecture", "公益大讲堂：新时代职业道德", "邀请劳动模范讲述岗位成才故事。"),
    ("speech", "“我的岗位我的梦”职工演讲比赛", "各区初赛后举行全市决赛。"),
    ("knowledge", "安全生产知识竞赛", "线上答题与现场抢答相结合。"),
    ("essay", "职工读书征文活动", "围绕“书香伴我成长”主题征文。"),
    ("art_festival", "首都职工艺术节书画摄影展", "征集职工书画、摄影作品并展览。"),
    ("sports", "首都职工运动会", "设健步走、拔河、乒乓球等项目。"),
]


def _seed_activities(*, rng: random.Random, root, level1, worker_units: dict) -> None:
    """EDU-6/7: thematic and culture activities, some past with results, some open."""
    from .models import Activity, ActivityRegistration

    today = timezone.localdate()
    for number, (kind, title, description) in enumerate(ACTIVITIES):
        past = number % 2 == 0
        start = today + dt.timedelta(days=(-40 if past else 20) + number)
        activity = Activity.objects.create(
            title=title, kind=kind, description=description, unit=rng.choice([root, *level1]),
            place="北京市劳动人民文化宫", starts_on=start, ends_on=start + dt.timedelta(days=1),
            capacity=rng.choice([None, 50, 200]), registration_open=not past,
        )
        for worker_id in rng.sample(list(worker_units), min(len(worker_units), 25)):
            status = (rng.choice([ActivityRegistration.Status.ATTENDED, ActivityRegistration.Status.ABSENT])
                      if past else ActivityRegistration.Status.REGISTERED)
            result = rng.choice(["", "", "优秀奖", "三等奖", "二等奖", "一等奖"]) if status == "attended" and kind != "lecture" else ""
            ActivityRegistration.objects.create(activity=activity, worker_id=worker_id, unit_id=worker_units[worker_id],
                                                status=status, result=result)


def _seed_courseware(courses) -> None:
    """EDU-4: a small e-book per job-training course, made here so the demo needs no download."""
    import io

    from django.core.files.base import ContentFile
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from .models import Courseware

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    for course in courses:
        if course.category != Course.Category.JOB:
            continue
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer)
        pdf.setFont("STSong-Light", 18)
        pdf.drawString(72, 760, f"《{course.title}》学习读本")
        pdf.setFont("STSong-Light", 11)
        for line, module in enumerate(course.modules.all()):
            pdf.drawString(72, 720 - line * 20, f"第{line + 1}章 {module.title}")
        pdf.save()
        item = Courseware(course=course, kind=Courseware.Kind.EBOOK, title=f"{course.title} 学习读本", length=1)
        item.file.save(f"{course.code}.pdf", ContentFile(buffer.getvalue()), save=False)
        item.save()


def _seed_courseware_rule() -> None:
    """EDU-4/EDU-9: finishing a course's courseware in the player earns credits by the course's
    hours — one credit per 20 hours, less than uploaded training's one per 8 (online self-study,
    no teacher or test) — capped at 10 a year."""
    from .models import CreditRule

    CreditRule.objects.get_or_create(source=CreditRule.Source.COURSEWARE, defaults={
        "credits_per_hour": Decimal("0.05"), "valid_from": dt.date(2013, 1, 1), "cap_per_year": Decimal(10),
        "note": "完成课程全部课件学习，每20学时计1学分，每年最多10学分"})


def _seed_demo_worker_history(*, classes) -> None:
    """The demo `worker` log-in gets a record to look at: a completed class with its certificate
    and two uploaded trainings."""
    from membership.models import User

    from .models import TrainingRecord

    account = User.objects.filter(username="worker").select_related("worker").first()
    if account is None or account.worker is None:
        return
    worker = account.worker
    today = timezone.localdate()
    past = [c for c in classes if c.ends_on < today and not Enrolment.objects.filter(course_class=c, worker=worker).exists()]
    if past:
        enrolment = Enrolment.objects.create(course_class=past[0], worker=worker, unit_id=worker.unit_id,
                                             status=Enrolment.Status.COMPLETED,
                                             attended_hours=past[0].course.hours, score=Decimal(92),
                                             completed_on=past[0].ends_on)
        Certificate.objects.create(enrolment=enrolment, issued_on=past[0].ends_on)
    for days, project, kind, hours in ((200, "安全生产法规更新", TrainingRecord.Kind.KNOWLEDGE_UPDATE, Decimal(8)),
                                       (90, "数控车床操作提升班", TrainingRecord.Kind.SKILLS, Decimal(24))):
        TrainingRecord.objects.get_or_create(worker=worker, project=project, completed_on=today - dt.timedelta(days=days),
                                             defaults={"kind": kind, "hours": hours, "result": "合格", "unit_id": worker.unit_id,
                                                       "institution": "北京市职工大学"})


def _seed_pilots() -> None:
    """EDU-9 学分银行试点: the demo worker's enterprise pilots the credit bank (so the demo shows
    credits), from a year before any seeded learning; two more enterprises joined one a year since
    (IND-CREDIT-PILOTS: +1–2 a year). Everyone else's learning is recorded without credits."""
    from membership.models import User

    from .models import CreditPilot

    first_year = timezone.localdate().year - 3
    account = User.objects.filter(username="worker").select_related("worker").first()
    pilots = [account.worker.unit_id] if account is not None and account.worker is not None else []
    others = (Unit.objects.filter(depth=3, kind=Unit.Kind.ENTERPRISE_UNION).exclude(pk__in=pilots)
              .order_by("path").values_list("pk", flat=True)[:2])
    for offset, unit_id in enumerate([*pilots, *others]):
        CreditPilot.objects.get_or_create(unit_id=unit_id, defaults={"year": first_year + offset,
                                                                     "note": "学分银行试点（演示）"})


def _seed_ledger() -> None:
    """EDU-9: the seeded completions, trainings and activities earn their credits through the
    ledger, as they would have when they happened (sources that earned already are skipped)."""
    from . import ledger
    from .models import ActivityRegistration, CreditEntry, TrainingRecord

    # EDU-7: a child's completed class is the child's, never credits for the parent (as enrolment_complete).
    completed = Enrolment.objects.own().filter(status=Enrolment.Status.COMPLETED).select_related("course_class__course")
    ledger.credit_entries_record_bulk(source_kind=CreditEntry.Source.COURSE, earnings=[ledger.Earning(
        worker_id=e.worker_id, source=e, earned_on=e.completed_on or e.course_class.ends_on,
        hours=e.course_class.course.hours, course_credits=e.course_class.course.credits,
        cause=f"{e.course_class.course.title} · {e.course_class.name}") for e in completed])
    ledger.credit_entries_record_bulk(source_kind=CreditEntry.Source.TRAINING, earnings=[ledger.Earning(
        worker_id=r.worker_id, source=r, earned_on=r.completed_on, hours=r.hours, cause=r.project)
        for r in TrainingRecord.objects.all()])
    attended = ActivityRegistration.objects.filter(status=ActivityRegistration.Status.ATTENDED).select_related("activity")
    ledger.credit_entries_record_bulk(source_kind=CreditEntry.Source.ACTIVITY, earnings=[ledger.Earning(
        worker_id=r.worker_id, source=r, earned_on=r.activity.ends_on,
        cause=" · ".join(x for x in (r.activity.title, r.result) if x)) for r in attended])
