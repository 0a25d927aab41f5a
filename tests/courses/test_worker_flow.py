"""A worker enrols and finds the class on 我的学习 (registering: tests/portal/test_registration.py)."""
from __future__ import annotations

from django.urls import reverse

from courses.models import Enrolment
from membership.models import User
from tests.factories import WorkerFactory, class_create, course_create

NUMBER = "11010519491231002X"


def test_worker_enrols_and_sees_the_class_with_credits(client, tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], id_number=NUMBER, name="王秀兰")
    user = User.objects.create_user("wang", password="pw-123456", worker=worker, is_staff=False)
    course = course_create(tree["root"], title="焊接技术基础")
    course_class = class_create(course, capacity=1)
    client.force_login(user)
    response = client.post(reverse("courses:enrol", args=[course_class.pk]), follow=True)
    assert "您已报名：" in response.content.decode()  # zh-hans, the default language
    enrolment = Enrolment.objects.get(worker=worker)
    assert enrolment.status == "enrolled"
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert "焊接技术基础" in page
    from courses import services

    services.enrolment_complete(enrolment=enrolment, passed=True)
    assert 'id="credits-total">2.0<' in client.get(reverse("courses:my_learning")).content.decode()


def test_anonymous_enrolment_goes_to_log_in(client, tree):
    course_class = class_create(course_create(tree["root"]))
    response = client.post(reverse("courses:enrol", args=[course_class.pk]))
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]
    assert not Enrolment.objects.exists()


def test_a_worker_cannot_cancel_someone_elses_enrolment(client, tree):
    from courses import services

    owner = WorkerFactory(unit=tree["chaoyang_enterprise"])
    enrolment = services.enrolment_create(worker=owner, course_class=class_create(course_create(tree["root"])))
    other = User.objects.create_user("other", password="pw-123456", worker=WorkerFactory(unit=tree["chaoyang_enterprise"]))
    client.force_login(other)
    assert client.post(reverse("courses:cancel", args=[enrolment.pk])).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"


def test_group_enrolment_from_the_worker_list(client, tree, chaoyang_officer):
    from django.contrib.auth.models import Permission

    chaoyang_officer.user_permissions.add(Permission.objects.get(codename="add_enrolment"))
    course_class = class_create(course_create(tree["root"]), capacity=2)
    workers = [WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(3)]
    outsider = WorkerFactory(unit=tree["haidian_enterprise"])
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:membership_worker_changelist"), {
        "action": "enrol_in_class", "_selected_action": [w.pk for w in workers] + [outsider.pk],
        "course_class": course_class.pk, "apply": "1",
    })
    assert response.status_code == 302
    statuses = sorted(Enrolment.objects.values_list("status", flat=True))
    assert statuses == ["enrolled", "enrolled", "waitlisted"]
    assert not Enrolment.objects.filter(worker=outsider).exists()


def test_group_enrolment_action_is_offered_only_with_the_enrolment_permission(client, tree):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    officer = UserFactory(username="cy-view", unit=tree["chaoyang"])
    officer.user_permissions.add(Permission.objects.get(codename="view_worker"))
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    course_class = class_create(course_create(tree["root"]))
    client.force_login(officer)
    changelist = reverse("admin:membership_worker_changelist")
    assert 'value="enrol_in_class"' not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "enrol_in_class", "_selected_action": [worker.pk],
                             "course_class": course_class.pk, "apply": "1"})
    assert not Enrolment.objects.exists()
    officer.user_permissions.add(Permission.objects.get(codename="add_enrolment"))
    officer = type(officer).objects.get(pk=officer.pk)  # a fresh permission cache
    client.force_login(officer)
    assert 'value="enrol_in_class"' in client.get(changelist).content.decode()
