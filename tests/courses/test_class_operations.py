"""Issue 8, course operations (EDU-1, EDU-3): a district runs classes of the city's menu; a class
shows its venue, teacher, schedule and deadline; attendance per session decides completion;
staff withdraw with a reason; capacity changes promote the waiting list in order."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from courses import services
from courses.models import Attendance, Certificate, CourseClass, CreditEntry, Enrolment, TrainingRecord
from membership.models import User
from tests.factories import WorkerFactory, class_create, course_create, session_create


def _admin_class_form(course, unit, **overrides):
    today = timezone.localdate()
    data = {
        "course": course.pk, "name": "朝阳区焊接班第1期", "unit": unit.pk, "starts_on": today + dt.timedelta(days=10),
        "ends_on": today + dt.timedelta(days=20), "enrol_by": today + dt.timedelta(days=8), "capacity": 20, "is_open": "on",
        "sessions-TOTAL_FORMS": "0", "sessions-INITIAL_FORMS": "0", "sessions-MIN_NUM_FORMS": "0", "sessions-MAX_NUM_FORMS": "1000",
        "enrolments-TOTAL_FORMS": "0", "enrolments-INITIAL_FORMS": "0", "enrolments-MIN_NUM_FORMS": "0",
        "enrolments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


# 1. Any approved course of the city's menu.

def test_a_district_officer_runs_a_class_of_an_approved_city_course_in_their_own_unit(client, tree, chaoyang_officer):
    city_course = course_create(tree["root"], title="焊接技术基础")
    client.force_login(chaoyang_officer)
    page = client.get(reverse("admin:courses_courseclass_add"))
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["unit"] == tree["chaoyang"].pk
    response = client.post(reverse("admin:courses_courseclass_add"), _admin_class_form(city_course, tree["chaoyang"]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    course_class = CourseClass.objects.get()
    assert (course_class.course, course_class.unit) == (city_course, tree["chaoyang"])
    # The class is 朝阳's: 海淀 does not see it.
    from membership import scoping
    from tests.factories import UserFactory

    haidian = UserFactory(unit=tree["haidian"])
    assert not scoping.visible_to(CourseClass.objects.all(), haidian).exists()
    assert scoping.changeable_by(CourseClass.objects.all(), chaoyang_officer).get() == course_class


def test_the_class_form_does_not_offer_another_districts_unapproved_course(client, tree, chaoyang_officer):
    draft = course_create(tree["haidian"], title="海淀自编课程", status="draft")
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:courses_courseclass_add"), _admin_class_form(draft, tree["chaoyang"]))
    assert response.status_code == 200
    assert "course" in response.context["adminform"].form.errors
    assert not CourseClass.objects.exists()


def test_the_course_autocomplete_of_the_class_form_offers_the_citys_menu(client, tree, chaoyang_officer):
    approved = [course_create(tree["root"], title=f"城市课程{n}") for n in range(3)]
    haidian_draft = course_create(tree["haidian"], title="城市课程草稿", status="draft")
    own_draft = course_create(tree["chaoyang"], title="城市课程朝阳草稿", status="draft")
    client.force_login(chaoyang_officer)
    for model_name in ("courseclass", "trainingrecord"):
        response = client.get(reverse("admin:autocomplete"), {
            "app_label": "courses", "model_name": model_name, "field_name": "course", "term": "城市课程"})
        assert response.status_code == 200
        offered = {int(item["id"]) for item in response.json()["results"]}
        assert offered == {c.pk for c in approved} | {own_draft.pk}, model_name
        assert haidian_draft.pk not in offered
    # The course list itself stays the unit's own.
    response = client.get(reverse("admin:courses_course_changelist"))
    assert set(response.context["cl"].queryset.values_list("pk", flat=True)) == {own_draft.pk}


def test_an_officer_records_training_on_an_approved_city_course(client, tree, chaoyang_officer):
    city_course = course_create(tree["root"], title="电工上岗证培训")
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:courses_trainingrecord_add"), {
        "worker": worker.pk, "course": city_course.pk, "project": "电工上岗证培训", "kind": "skills", "hours": "16",
        "completed_on": "2026-05-01", "result": "合格", "institution": "北京市职工大学"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = TrainingRecord.objects.get()
    assert (record.course, record.unit) == (city_course, tree["chaoyang_enterprise"])


# 2. Venue, teacher, schedule, deadline and waiting position for workers.

def _worker_user(unit, username="w"):
    worker = WorkerFactory(unit=unit)
    return worker, User.objects.create_user(username, password="pw-123456", worker=worker, is_staff=False)


def test_the_course_page_shows_venue_teacher_schedule_and_deadline(client, tree):
    from courses.models import Place, Teacher

    place = Place.objects.create(name="朝阳区职工服务中心", kind="station", unit=tree["chaoyang"], address="朝阳路1号")
    teacher = Teacher.objects.create(name="王焊工", unit=tree["chaoyang"], subjects="焊接", qualifications="高级技师")
    guest = Teacher.objects.create(name="李讲师", unit=tree["chaoyang"], subjects="安全")
    course = course_create(tree["root"], title="焊接技术基础")
    today = timezone.localdate()
    course_class = class_create(course, unit=tree["chaoyang"], place=place, teacher=teacher,
                                enrol_by=today + dt.timedelta(days=5))
    session_create(course_class, 0, "09:00", "12:00", topic="焊接安全")
    session_create(course_class, 1, "13:30", "17:00", teacher=guest)
    page = client.get(reverse("courses:course", args=[course.code])).content.decode()
    assert "朝阳区职工服务中心" in page and "朝阳路1号" in page
    assert "王焊工" in page and "高级技师" in page
    first = course_class.starts_on
    assert f"{first:%Y-%m-%d} 09:00–12:00 焊接安全" in page
    assert f"{first + dt.timedelta(days=1):%Y-%m-%d} 13:30–17:00（李讲师）" in page
    assert f'class="enrol-by">{today + dt.timedelta(days=5):%Y-%m-%d}<' in page


def test_enrolment_after_the_deadline_is_refused_in_chinese(client, tree):
    course = course_create(tree["root"])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    course_class = class_create(course, enrol_by=yesterday)
    worker, user = _worker_user(tree["chaoyang_enterprise"])
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.enrolment_create(worker=worker, course_class=course_class)
    assert refused.value.messages == [f"该班报名已于 {yesterday:%Y-%m-%d} 截止。"]
    client.force_login(user)
    page = client.get(reverse("courses:course", args=[course.code])).content.decode()
    assert "报名已截止" in page and "加入候补" not in page and f'action="{reverse("courses:enrol", args=[course_class.pk])}"' not in page
    response = client.post(reverse("courses:enrol", args=[course_class.pk]), follow=True)
    assert f"该班报名已于 {yesterday:%Y-%m-%d} 截止。" in response.content.decode()
    assert not Enrolment.objects.exists()
    # On the deadline itself enrolment is still open.
    CourseClass.objects.filter(pk=course_class.pk).update(enrol_by=timezone.localdate())
    assert services.enrolment_create(worker=worker, course_class=course_class).status == "enrolled"


def test_a_waiting_worker_sees_their_position_on_the_course_page_and_in_my_enrolments(client, tree):
    course = course_create(tree["root"], title="焊接技术基础")
    course_class = class_create(course, capacity=1)
    services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=course_class)
    services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=course_class)
    worker, user = _worker_user(tree["chaoyang_enterprise"])
    services.enrolment_create(worker=worker, course_class=course_class)
    client.force_login(user)
    page = client.get(reverse("courses:course", args=[course.code])).content.decode()
    assert "您在候补名单中：第 2 位" in page
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert "候补第 2 位" in page
    # The one ahead leaves the list: the worker moves up.
    first_waiting = Enrolment.objects.filter(status="waitlisted").order_by("created_at", "id").first()
    services.enrolment_cancel(enrolment=first_waiting)
    assert "候补第 1 位" in client.get(reverse("courses:my_learning")).content.decode()


# Attendance per session, and completion needing the course's attendance.

def _class_with_sessions(tree, sessions=4, required=75, capacity=5):
    course = course_create(tree["root"], min_attendance_percent=required)
    course_class = class_create(course, capacity=capacity)
    return course_class, [session_create(course_class, day) for day in range(sessions)]


def test_completion_below_the_required_attendance_is_refused_in_chinese(tree):
    course_class, sessions = _class_with_sessions(tree)
    enrolment = services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=course_class)
    services.attendance_record(course_class=course_class, enrolments=[enrolment],
                               present={(enrolment.pk, s.pk) for s in sessions[:2]})
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.enrolment_complete(enrolment=enrolment, passed=True)
    assert refused.value.messages == ["出勤 2/4 次，本课程要求至少出勤 75% 的课次，不能结业。"]
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"
    assert not Certificate.objects.exists() and not CreditEntry.objects.exists()
    # A third session attended reaches 75%: completed, with its certificate and credits, and the
    # hours attended are the sessions' hours.
    services.attendance_record(course_class=course_class, enrolments=[enrolment],
                               present={(enrolment.pk, s.pk) for s in sessions[:3]})
    services.enrolment_complete(enrolment=enrolment, passed=True)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.attended_hours) == ("completed", Decimal("9.0"))
    assert CreditEntry.objects.get().credits == Decimal("2.0")


def test_not_completed_needs_no_attendance(tree):
    course_class, _sessions = _class_with_sessions(tree)
    enrolment = services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=course_class)
    services.enrolment_complete(enrolment=enrolment, passed=False)
    enrolment.refresh_from_db()
    assert enrolment.status == "not_completed"


def test_the_attendance_sheet_records_each_session_for_the_enrolled_workers(client, tree):
    from tests.factories import UserFactory

    haidian_class, sessions = _class_with_sessions(tree, sessions=3)
    CourseClass.objects.filter(pk=haidian_class.pk).update(unit=tree["haidian"])
    haidian_class.refresh_from_db()
    workers = [WorkerFactory(unit=tree["haidian_enterprise"], name=f"学员{n}") for n in range(2)]
    enrolments = [services.enrolment_create(worker=w, course_class=haidian_class) for w in workers]
    officer = UserFactory(unit=tree["haidian"])
    officer.groups.add(tree["groups"]["一级单位工作人员"])
    client.force_login(officer)
    url = reverse("admin:courses_courseclass_attendance", args=[haidian_class.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "学员0" in page.content.decode() and "学员1" in page.content.decode()
    ticks = [f"{enrolments[0].pk}-{sessions[0].pk}", f"{enrolments[0].pk}-{sessions[1].pk}", f"{enrolments[1].pk}-{sessions[2].pk}"]
    assert client.post(url, {"present": ticks}).status_code == 302
    assert set(Attendance.objects.filter(present=True).values_list("enrolment_id", "session_id")) == {
        (enrolments[0].pk, sessions[0].pk), (enrolments[0].pk, sessions[1].pk), (enrolments[1].pk, sessions[2].pk)}
    assert Attendance.objects.filter(present=False).count() == 3
    # Unticking records the absence.
    client.post(url, {"present": ticks[:1]})
    assert set(Attendance.objects.filter(present=True).values_list("enrolment_id", "session_id")) == {
        (enrolments[0].pk, sessions[0].pk)}
    # Another district's officer cannot open or post the sheet.
    other = UserFactory(unit=tree["chaoyang"])
    other.groups.add(tree["groups"]["一级单位工作人员"])
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url, {"present": ticks}).status_code == 404
    assert Attendance.objects.filter(present=True).count() == 1


def test_leadership_sees_the_sheet_but_cannot_record(client, tree):
    from tests.factories import UserFactory

    course_class, sessions = _class_with_sessions(tree, sessions=1)
    enrolment = services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=course_class)
    leader = UserFactory(unit=tree["root"])
    leader.groups.add(tree["groups"]["领导小组（只读）"])
    client.force_login(leader)
    url = reverse("admin:courses_courseclass_attendance", args=[course_class.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="present"' in page.content.decode() and '<input type="submit" class="default"' not in page.content.decode()
    assert client.post(url, {"present": [f"{enrolment.pk}-{sessions[0].pk}"]}).status_code == 403
    assert not Attendance.objects.exists()


def test_the_worker_sees_their_attendance_in_my_enrolments(client, tree):
    course_class, sessions = _class_with_sessions(tree, sessions=4)
    worker, user = _worker_user(tree["chaoyang_enterprise"])
    enrolment = services.enrolment_create(worker=worker, course_class=course_class)
    services.attendance_record(course_class=course_class, enrolments=[enrolment],
                               present={(enrolment.pk, sessions[0].pk)})
    client.force_login(user)
    assert "已出勤 1/4 次" in client.get(reverse("courses:my_learning")).content.decode()


# Staff withdraw a worker with a reason the worker sees.

def test_staff_withdraw_a_worker_with_a_reason_the_worker_sees_and_the_seat_goes_to_the_waiting_list(
        client, tree, chaoyang_officer):
    course_class = class_create(course_create(tree["root"]), unit=tree["chaoyang"], capacity=1)
    worker, user = _worker_user(tree["chaoyang_enterprise"])
    seat = services.enrolment_create(worker=worker, course_class=course_class)
    waiting = services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=course_class)
    client.force_login(chaoyang_officer)
    url = reverse("admin:courses_enrolment_changelist")
    # Without a reason nothing happens: the form asks for one.
    response = client.post(url, {"action": "withdraw", "_selected_action": [seat.pk], "apply": "1", "reason": ""})
    assert response.status_code == 200
    seat.refresh_from_db()
    assert seat.status == "enrolled"
    client.post(url, {"action": "withdraw", "_selected_action": [seat.pk], "apply": "1", "reason": "连续三次缺课"})
    seat.refresh_from_db()
    waiting.refresh_from_db()
    assert (seat.status, seat.withdrawal_reason) == ("withdrawn", "连续三次缺课")
    assert waiting.status == "enrolled"
    course_class.refresh_from_db()
    assert course_class.enrolled_count == 1
    client.force_login(user)
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert "连续三次缺课" in page


def test_a_withdrawal_needs_a_reason(tree):
    enrolment = services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]),
                                          course_class=class_create(course_create(tree["root"])))
    with pytest.raises(ValidationError):
        services.enrolment_withdraw(enrolment=enrolment, reason="  ")
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"


def test_the_enrolment_change_form_cannot_move_a_seat_to_another_worker_or_class(client, tree, chaoyang_officer):
    course = course_create(tree["root"])
    full = class_create(course, unit=tree["chaoyang"], capacity=1)
    other_class = class_create(course, unit=tree["chaoyang"], capacity=1)
    first = services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=full)
    stranger = WorkerFactory(unit=tree["chaoyang_enterprise"])
    client.force_login(chaoyang_officer)
    page = client.get(reverse("admin:courses_enrolment_change", args=[first.pk]))
    form = page.context["adminform"].form
    assert "worker" not in form.fields and "course_class" not in form.fields
    client.post(reverse("admin:courses_enrolment_change", args=[first.pk]), {
        "worker": stranger.pk, "course_class": other_class.pk, "attended_hours": "4", "score": ""})
    first.refresh_from_db()
    assert first.course_class_id == full.pk and first.worker_id != stranger.pk
    assert first.attended_hours == Decimal("4.0")


# 3. Capacity.

def test_raising_the_capacity_promotes_the_waiting_list_in_order(client, tree, chaoyang_officer):
    course_class = class_create(course_create(tree["root"]), unit=tree["chaoyang"], capacity=1)
    workers = [WorkerFactory(unit=tree["chaoyang_enterprise"], name=f"候补{n}") for n in range(4)]
    enrolments = [services.enrolment_create(worker=w, course_class=course_class) for w in workers]
    assert [e.status for e in enrolments] == ["enrolled", "waitlisted", "waitlisted", "waitlisted"]
    client.force_login(chaoyang_officer)
    data = _admin_class_form(course_class.course, tree["chaoyang"], name=course_class.name, capacity=3,
                             starts_on=course_class.starts_on, ends_on=course_class.ends_on, enrol_by="")
    response = client.post(reverse("admin:courses_courseclass_change", args=[course_class.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    statuses = [Enrolment.objects.get(pk=e.pk).status for e in enrolments]
    assert statuses == ["enrolled", "enrolled", "enrolled", "waitlisted"]
    course_class.refresh_from_db()
    assert (course_class.capacity, course_class.enrolled_count) == (3, 3)


def test_the_waiting_list_order_is_first_come_first_served(tree):
    course_class = class_create(course_create(tree["root"]), capacity=1)
    enrolments = [services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=course_class)
                  for _ in range(4)]
    # Created in this order; the third waiting one was enrolled earliest in time by the clock.
    Enrolment.objects.filter(pk=enrolments[3].pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    _updated, promoted = services.course_class_update(course_class=course_class, capacity=2)
    assert [e.pk for e in promoted] == [enrolments[3].pk]


def test_lowering_the_capacity_below_the_seats_taken_is_a_form_error(client, tree, chaoyang_officer):
    course_class = class_create(course_create(tree["root"]), unit=tree["chaoyang"], capacity=3)
    for _ in range(3):
        services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=course_class)
    client.force_login(chaoyang_officer)
    data = _admin_class_form(course_class.course, tree["chaoyang"], name=course_class.name, capacity=2,
                             starts_on=course_class.starts_on, ends_on=course_class.ends_on, enrol_by="")
    with translation.override("zh-hans"):
        response = client.post(reverse("admin:courses_courseclass_change", args=[course_class.pk]), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["capacity"] == ["本班已有 3 名学员占用名额，容量不能再少。"]
    course_class.refresh_from_db()
    assert (course_class.capacity, course_class.enrolled_count) == (3, 3)
    with pytest.raises(ValidationError):
        services.course_class_update(course_class=course_class, capacity=1)
