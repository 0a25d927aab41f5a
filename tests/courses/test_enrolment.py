"""EDU-3: capacity and the waiting list hold, also when two workers take the last seat at once."""
from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from courses import services
from courses.models import CourseClass, Enrolment
from tests.factories import WorkerFactory, class_create, course_create


@pytest.fixture
def course_class(tree):
    return class_create(course_create(tree["root"]), capacity=2)


def test_seats_then_waiting_list_then_promotion_on_cancel(tree, course_class):
    workers = [WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(4)]
    enrolments = [services.enrolment_create(worker=w, course_class=course_class) for w in workers]
    assert [e.status for e in enrolments] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    course_class.refresh_from_db()
    assert course_class.enrolled_count == 2
    promoted = services.enrolment_cancel(enrolment=enrolments[0])
    assert promoted == enrolments[2]
    statuses = dict(Enrolment.objects.values_list("worker_id", "status"))
    assert statuses[workers[2].pk] == "enrolled" and statuses[workers[3].pk] == "waitlisted"
    course_class.refresh_from_db()
    assert course_class.enrolled_count == 2


def test_cancelling_a_waiting_place_frees_no_seat(tree, course_class):
    workers = [WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(3)]
    enrolments = [services.enrolment_create(worker=w, course_class=course_class) for w in workers]
    assert services.enrolment_cancel(enrolment=enrolments[2]) is None
    course_class.refresh_from_db()
    assert course_class.enrolled_count == 2


def test_a_worker_cannot_hold_two_places_in_one_class(tree, course_class):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    services.enrolment_create(worker=worker, course_class=course_class)
    with pytest.raises(ValidationError):
        services.enrolment_create(worker=worker, course_class=course_class)
    assert Enrolment.objects.count() == 1


def test_unapproved_course_takes_no_enrolment(tree):
    draft = class_create(course_create(tree["root"], status="submitted"))
    with pytest.raises(ValidationError):
        services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=draft)


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_last_seat_get_one_seat_and_one_waiting_place(tree):
    course_class = class_create(course_create(tree["root"]), capacity=1)
    workers = [WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(2)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def take(worker):
        try:
            barrier.wait()
            results.append(services.enrolment_create(worker=worker, course_class=course_class).status)
        except Exception as error:  # the assertion below reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sorted(results) == ["enrolled", "waitlisted"]
    course_class.refresh_from_db()
    assert course_class.enrolled_count == 1
    assert Enrolment.objects.filter(status="enrolled").count() == 1


def test_database_refuses_an_over_full_class(tree, course_class):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CourseClass.objects.filter(pk=course_class.pk).update(enrolled_count=3)


def test_completion_issues_a_certificate_that_the_public_page_checks(client, tree, course_class):
    from django.urls import reverse

    enrolment = services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"], name="赵磊"),
                                          course_class=course_class)
    completed = services.enrolment_complete(enrolment=enrolment, passed=True, score=88)
    assert completed.status == "completed" and completed.attended_hours == course_class.course.hours
    code = completed.certificate.code
    page = client.get(reverse("courses:training_certificate_check"), {"code": code.lower()}).content.decode()
    assert "赵磊" in page
    assert "赵磊" not in client.get(reverse("courses:training_certificate_check"), {"code": "NOPE"}).content.decode()
    with pytest.raises(ValidationError):
        services.enrolment_complete(enrolment=enrolment, passed=True)


def test_staff_complete_seats_from_the_enrolment_list(client, tree, municipal, course_class):
    from django.urls import reverse

    enrolment = services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=course_class)
    client.force_login(municipal)
    client.post(reverse("admin:courses_enrolment_changelist"), {"action": "mark_completed", "_selected_action": [enrolment.pk]})
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.certificate.code
