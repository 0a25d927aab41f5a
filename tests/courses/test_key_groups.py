"""Issue 8, key groups (EDU-7 重点群体): a worker enrols a dependent child in classes for 困难职工及其子女;
the child's learning is shown as the child's and never counts as the parent's. Culture courses
carry their discipline as a filter on the menu. Teachers list the classes they teach."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, translation

from courses import selectors, services
from courses.models import Certificate, CreditEntry, Dependant, Enrolment, TargetGroup
from membership.models import User, Worker
from tests.factories import WorkerFactory, class_create, course_create, dependant_create, session_create


def _needy_class(tree, capacity=5, **fields):
    course = course_create(tree["root"], title="困难职工子女职业技能培训", category="key_group", **fields)
    course.target_groups.set([TargetGroup.objects.get(code="needy")])
    return class_create(course, capacity=capacity)


@pytest.fixture
def parent(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="张建国")
    return worker, User.objects.create_user("zhang", password="pw-123456", worker=worker, is_staff=False)


def test_a_worker_adds_a_child_who_does_not_enter_the_worker_registry(client, tree, parent):
    worker, user = parent
    workers_before = Worker.objects.count()
    client.force_login(user)
    response = client.post(reverse("courses:dependant_add"), {"name": "张小明", "relation": "son", "age": "15"})
    assert response.status_code == 302
    child = Dependant.objects.get()
    assert (child.worker, child.name, child.relation, child.age) == (worker, "张小明", "son", 15)
    assert Worker.objects.count() == workers_before
    # A bad age writes nothing.
    client.post(reverse("courses:dependant_add"), {"name": "张小红", "relation": "daughter", "age": "abc"})
    assert Dependant.objects.count() == 1


def test_a_worker_enrols_their_child_from_the_course_page(client, tree, parent):
    worker, user = parent
    course_class = _needy_class(tree)
    child = dependant_create(worker, name="张小明")
    client.force_login(user)
    page = client.get(reverse("courses:course", args=[course_class.course.code])).content.decode()
    assert "为子女报名" in page and "张小明" in page
    client.post(reverse("courses:enrol", args=[course_class.pk]), {"dependant": child.pk})
    enrolment = Enrolment.objects.get()
    assert (enrolment.worker, enrolment.dependant, enrolment.status) == (worker, child, "enrolled")
    # The worker may still take a seat of their own in the same class, and the child not twice.
    client.post(reverse("courses:enrol", args=[course_class.pk]))
    client.post(reverse("courses:enrol", args=[course_class.pk]), {"dependant": child.pk})
    assert Enrolment.objects.filter(dependant__isnull=True).count() == 1
    assert Enrolment.objects.filter(dependant=child).count() == 1


def test_a_child_cannot_enrol_in_a_class_not_for_needy_workers_children(tree, parent):
    worker, _user = parent
    child = dependant_create(worker)
    ordinary = class_create(course_create(tree["root"]))
    with pytest.raises(ValidationError):
        services.enrolment_create(worker=worker, course_class=ordinary, dependant=child)
    assert not Enrolment.objects.exists()


def test_nobody_enrols_another_workers_child(client, tree, parent):
    worker, _user = parent
    child = dependant_create(worker)
    course_class = _needy_class(tree)
    stranger = User.objects.create_user("li", password="pw-123456", worker=WorkerFactory(unit=tree["chaoyang_enterprise"]))
    client.force_login(stranger)
    assert client.post(reverse("courses:enrol", args=[course_class.pk]), {"dependant": child.pk}).status_code == 404
    with pytest.raises(ValidationError):
        services.enrolment_create(worker=stranger.worker, course_class=course_class, dependant=child)
    assert not Enrolment.objects.exists()


def test_the_childs_attendance_and_completion_are_the_childs_not_the_parents(client, tree, parent):
    worker, user = parent
    course_class = _needy_class(tree, min_attendance_percent=50)
    sessions = [session_create(course_class, day) for day in range(2)]
    child = dependant_create(worker, name="张小明")
    enrolment = services.enrolment_create(worker=worker, course_class=course_class, dependant=child)
    services.attendance_record(course_class=course_class, enrolments=[enrolment], present={(enrolment.pk, sessions[0].pk)})
    services.enrolment_complete(enrolment=enrolment, passed=True)
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    # Never the parent's credits, certificate or learning record.
    assert not CreditEntry.objects.filter(worker=worker).exists()
    assert not Certificate.objects.exists()
    assert selectors.learning_record(worker=worker) == []
    assert selectors.credit_account(worker=worker).balance == 0
    assert not Enrolment.objects.own().filter(worker=worker).exists()
    client.force_login(user)
    page = client.get(reverse("courses:my_learning")).content.decode()
    children = page[page.index('id="children-enrolments"'):]
    children = children[:children.index("</table>")]
    assert "张小明" in children and "已出勤 1/2 次" in children and "已结业" in children
    mine = page[page.index('id="my-bookings"'):page.index('id="my-children"')]
    assert "困难职工子女职业技能培训" not in mine
    assert 'id="credits-total">0<' in page or 'id="credits-total">0.0<' in page


def test_the_childs_waiting_position_is_shown_to_the_parent(client, tree, parent):
    worker, user = parent
    course_class = _needy_class(tree, capacity=1)
    services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=course_class)
    child = dependant_create(worker, name="张小明")
    services.enrolment_create(worker=worker, course_class=course_class, dependant=child)
    client.force_login(user)
    page = client.get(reverse("courses:course", args=[course_class.course.code])).content.decode()
    assert "张小明：候补第 1 位" in page
    assert "候补第 1 位" in client.get(reverse("courses:my_learning")).content.decode()


def test_culture_courses_are_filtered_by_discipline_on_the_menu(client, tree):
    photography = course_create(tree["root"], title="职工摄影培训班", category="culture", discipline="photography")
    course_create(tree["root"], title="职工书画培训班", category="culture", discipline="calligraphy_painting")
    course_create(tree["root"], title="焊接技术基础")
    courses = list(selectors.course_menu(filters=selectors.MenuFilters(discipline="photography")))
    assert courses == [photography]
    page = client.get(reverse("courses:menu"), {"discipline": "photography"}).content.decode()
    assert "职工摄影培训班" in page and "职工书画培训班" not in page and "焊接技术基础" not in page
    assert '<option value="photography" selected>摄影</option>' in page


def test_only_culture_courses_carry_a_discipline(tree):
    course = course_create(tree["root"], category="job")
    course.discipline = "music"
    with pytest.raises(ValidationError):
        course.full_clean()


def test_a_teachers_admin_page_lists_the_classes_they_teach_with_dates(client, tree, chaoyang_officer):
    from courses.models import Teacher

    teacher = Teacher.objects.create(name="王焊工", unit=tree["chaoyang"], subjects="焊接")
    own = class_create(course_create(tree["root"], title="焊接技术基础"), unit=tree["chaoyang"], teacher=teacher)
    guest = class_create(course_create(tree["root"], title="电工上岗证培训"), unit=tree["chaoyang"])
    session = session_create(guest, 1, "14:00", "16:00", teacher=teacher, topic="焊接安全讲座")
    # A 海淀 class of the same teacher is 海淀's: not listed to 朝阳.
    hidden = class_create(course_create(tree["root"]), unit=tree["haidian"], teacher=teacher, name="海淀焊接班")
    client.force_login(chaoyang_officer)
    page = client.get(reverse("admin:courses_teacher_change", args=[teacher.pk])).content.decode()
    with translation.override("zh-hans"):
        starts, ends = formats.date_format(own.starts_on), formats.date_format(own.ends_on)
    assert own.name in page and starts in page and ends in page
    assert "焊接安全讲座" in page and session.course_class.name in page
    assert hidden.name not in page
    listing = client.get(reverse("admin:courses_teacher_changelist"))
    assert listing.context["cl"].result_list[0].taught == 2


def test_seed_demo_classes_have_sessions_venue_teacher_and_deadline(tree):
    import random

    from courses.models import CourseClass
    from courses.seed import seed_courses

    for unit in (tree["chaoyang_enterprise"], tree["haidian_enterprise"]):
        for _ in range(3):
            WorkerFactory(unit=unit)
    seed_courses(rng=random.Random(8))
    classes = list(CourseClass.objects.all())
    assert classes
    assert all(c.place_id and c.teacher_id and c.enrol_by and c.enrol_by <= c.ends_on for c in classes)
    assert all(c.sessions.count() >= 1 for c in classes)
    assert all(s.course_class.starts_on <= s.date <= s.course_class.ends_on
               for c in classes for s in c.sessions.all())
    culture = CourseClass.objects.filter(course__category="culture").select_related("course")
    assert culture and all(c.course.discipline for c in culture)
