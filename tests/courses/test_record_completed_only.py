"""EDU-8: 我的学习's record and the transcripts list completed items only; booked, waiting and
cancelled classes (and activities only registered for) appear under 我的报名."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.urls import reverse

from courses import services
from courses.models import ActivityRegistration
from courses.selectors import learning_record
from membership.models import User
from tests.factories import WorkerFactory, activity_create, class_create, course_create, enrolment_make


def _worker_with_every_status(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    root = tree["root"]
    enrolment_make(class_create(course_create(root, title="已报名课程")), worker, status="enrolled")
    enrolment_make(class_create(course_create(root, title="候补课程")), worker, status="waitlisted")
    enrolment_make(class_create(course_create(root, title="已取消课程")), worker, status="cancelled")
    done = services.enrolment_create(worker=worker, course_class=class_create(course_create(root, title="已结业课程")))
    services.enrolment_complete(enrolment=done, passed=True, on=dt.date(2025, 5, 6))
    ActivityRegistration.objects.create(activity=activity_create(root, title="只报名的活动"), worker=worker,
                                        unit=worker.unit, status="registered")
    ActivityRegistration.objects.create(activity=activity_create(root, title="参加了的活动"), worker=worker,
                                        unit=worker.unit, status="attended")
    return worker


BOOKED = ("已报名课程", "候补课程", "已取消课程", "只报名的活动")
DONE = ("已结业课程", "参加了的活动")


def test_the_learning_record_holds_completed_items_only(tree):
    worker = _worker_with_every_status(tree)
    titles = {entry.title for entry in learning_record(worker=worker)}
    assert titles == set(DONE)


def test_my_learning_shows_bookings_under_my_enrolments_and_not_in_the_record(client, tree):
    worker = _worker_with_every_status(tree)
    client.force_login(User.objects.create_user("w", password="pw-123456", worker=worker, is_staff=False))
    page = client.get(reverse("courses:my_learning")).content.decode()
    bookings, record = page.split('id="learning-record"')
    for title in BOOKED:
        assert title in bookings and title not in record
    for title in DONE:
        assert title in record
    assert 'class="registration-registered"' in bookings


def test_the_xlsx_transcript_lists_completed_items_only(client, tree):
    worker = _worker_with_every_status(tree)
    client.force_login(User.objects.create_user("w", password="pw-123456", worker=worker, is_staff=False))
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("courses:my_transcript", args=["xlsx"])).content)).active
    titles = {cell.value for cell in sheet["C"][1:]}
    assert titles == set(DONE)
