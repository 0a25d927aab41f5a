"""The courses app's public pages as a visitor meets them: who may open which, and the training
certificate check at its own address (the old one moved permanently)."""
from __future__ import annotations

from django.urls import reverse

from courses import services
from courses.models import Enrolment
from membership.models import User
from tests.factories import UserFactory, WorkerFactory, class_create, course_create


def test_the_training_certificate_check_has_its_own_address_and_name():
    assert reverse("courses:training_certificate_check") == "/certificates/training/check/"


def test_the_old_certificate_check_address_moves_permanently_with_its_code(client, db):
    response = client.get("/certificates/check/", {"code": "AB12CD34"})
    assert response.status_code == 301
    assert response["Location"] == "/certificates/training/check/?code=AB12CD34"


def test_a_printed_link_to_the_old_address_still_finds_the_certificate(client, tree):
    course_class = class_create(course_create(tree["root"]))
    enrolment = services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"], name="赵磊"),
                                          course_class=course_class)
    code = services.enrolment_complete(enrolment=enrolment, passed=True).certificate.code
    page = client.get("/certificates/check/", {"code": code}, follow=True)
    assert page.redirect_chain == [(f"/certificates/training/check/?code={code}", 301)]
    assert "赵磊" in page.content.decode()


def test_my_learning_sends_staff_on_to_the_administration(client, tree, chaoyang_officer):
    client.force_login(chaoyang_officer)
    response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_an_account_without_a_worker_gets_no_transcript(client, tree):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(reverse("courses:my_transcript", args=["pdf"]))
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")


def test_an_account_without_a_worker_cannot_enrol_and_is_told_why(client, tree):
    course_class = class_create(course_create(tree["root"]))
    client.force_login(UserFactory(is_staff=False))
    response = client.post(reverse("courses:enrol", args=[course_class.pk]), follow=True)
    assert response.redirect_chain == [(reverse("courses:course", args=[course_class.course.code]), 302)]
    assert "只有职工账号" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_course_page_shows_the_workers_own_enrolment(client, tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    course_class = class_create(course_create(tree["root"]), capacity=1)
    other_class = class_create(course_class.course)
    services.enrolment_create(worker=worker, course_class=course_class)
    client.force_login(User.objects.create_user("wang", password="pw-123456", worker=worker, is_staff=False))
    response = client.get(reverse("courses:course", args=[course_class.course.code]))
    assert response.context["mine"] == {course_class.pk: "enrolled"}
    assert other_class.pk in [c.pk for c in response.context["classes"]]
