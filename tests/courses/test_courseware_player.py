"""EDU-4 (issue 8): courseware progress is recorded by the player — seconds of video played, pages
of an e-book opened — under a rate rule, never typed; finishing a course's courseware is a line of
the learning record and earns its credits once, through the ledger."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses import courseware_progress
from courses.courseware_progress import GRACE_SECONDS, MAX_SECONDS_PER_REPORT
from courses.models import CoursewareCompletion, CoursewareProgress, CreditEntry, CreditRule
from courses.selectors import learning_record
from membership.models import Unit, User
from tests.factories import WorkerFactory, course_create, courseware_create


@pytest.fixture
def member_worker(tree):
    Unit.objects.filter(pk=tree["chaoyang_enterprise"].pk).update(membership_status="active")
    return WorkerFactory(unit=Unit.objects.get(pk=tree["chaoyang_enterprise"].pk))


@pytest.fixture
def course(tree):
    return course_create(tree["root"], title="焊接技术基础", credits=Decimal(2))


def _video(course, minutes=2):
    item = courseware_create(course, title="焊接安全视频")
    item.length = minutes
    item.save(update_fields=["length"])
    return item


def _book(course, pages=3):
    item = courseware_create(course, title="焊接读本", kind="ebook")
    item.length = pages
    item.save(update_fields=["length"])
    return item


def _later(seconds):
    """As if ``seconds`` had passed since the last accepted report."""
    CoursewareProgress.objects.update(reported_at=timezone.now() - dt.timedelta(seconds=seconds))


def _client_for(client, worker):
    client.force_login(User.objects.create_user(f"w{worker.pk}", password="pw-123456", worker=worker, is_staff=False))
    return client


def test_a_report_of_the_whole_video_right_after_opening_counts_only_the_grace(member_worker, course):
    item = _video(course, minutes=10)
    courseware_progress.courseware_open(worker=member_worker, courseware=item)
    progress = courseware_progress.courseware_progress_report(worker=member_worker, courseware=item, seconds=600)
    assert progress.seconds_watched <= GRACE_SECONDS + 1 and progress.percent == 0
    assert progress.completed_on is None and not CreditEntry.objects.exists()


def test_video_time_counts_up_to_twice_the_time_elapsed_and_one_report_at_most_a_minute(member_worker, course):
    item = _video(course, minutes=10)
    courseware_progress.courseware_open(worker=member_worker, courseware=item)
    _later(10)
    progress = courseware_progress.courseware_progress_report(worker=member_worker, courseware=item, seconds=15)
    assert progress.seconds_watched == 15
    _later(10)
    progress = courseware_progress.courseware_progress_report(worker=member_worker, courseware=item, seconds=40)
    assert progress.seconds_watched == 15 + 25  # 10 s × 2 + 5 s grace
    _later(3600)  # an idle tab earns one report's worth, not an hour
    progress = courseware_progress.courseware_progress_report(worker=member_worker, courseware=item, seconds=3600)
    assert progress.seconds_watched == 40 + MAX_SECONDS_PER_REPORT
    assert progress.percent == 100 * 100 // 540  # of 90 % of 600 s


def test_negative_or_wrong_kind_reports_are_refused_and_change_nothing(member_worker, course):
    video, book = _video(course), _book(course)
    for item, fields in ((video, {"seconds": -5}), (video, {"page": 1}), (book, {"page": 4}), (book, {"page": 0}),
                         (book, {"seconds": 30})):
        with pytest.raises(ValidationError):
            courseware_progress.courseware_progress_report(worker=member_worker, courseware=item, **fields)
    assert not CoursewareProgress.objects.exists()


def test_progress_only_grows(member_worker, course):
    item = _video(course, minutes=10)
    courseware_progress.courseware_open(worker=member_worker, courseware=item)
    _later(30)
    courseware_progress.courseware_progress_report(worker=member_worker, courseware=item, seconds=50)
    _later(30)
    progress = courseware_progress.courseware_progress_report(worker=member_worker, courseware=item, seconds=0)
    assert progress.seconds_watched == 50


def test_e_book_pages_count_once_each_and_not_faster_than_the_reading_rule(member_worker, course):
    item = _book(course, pages=3)
    courseware_progress.courseware_open(worker=member_worker, courseware=item)
    progress = courseware_progress.courseware_progress_report(worker=member_worker, courseware=item, page=1)
    assert progress.pages_opened == [1] and progress.percent == 33
    progress = courseware_progress.courseware_progress_report(worker=member_worker, courseware=item, page=2)
    assert progress.pages_opened == [1]  # flipped on at once: not read
    _later(5)
    progress = courseware_progress.courseware_progress_report(worker=member_worker, courseware=item, page=2)
    _later(5)
    progress = courseware_progress.courseware_progress_report(worker=member_worker, courseware=item, page=2)
    assert progress.pages_opened == [1, 2] and progress.percent == 66


def test_finishing_every_item_of_a_course_is_a_record_line_and_earns_once(member_worker, course):
    CreditRule.objects.create(source="courseware", credits_per_hour=Decimal("0.05"), valid_from=dt.date(2020, 1, 1))
    video, book = _video(course, minutes=1), _book(course, pages=1)
    courseware_progress.courseware_open(worker=member_worker, courseware=video)
    _later(30)
    courseware_progress.courseware_progress_report(worker=member_worker, courseware=video, seconds=55)
    assert CoursewareProgress.objects.get(courseware=video).completed_on == timezone.localdate()
    assert not CoursewareCompletion.objects.exists()  # the book is still to read
    courseware_progress.courseware_progress_report(worker=member_worker, courseware=book, page=1)
    completion = CoursewareCompletion.objects.get()
    assert (completion.worker, completion.course, completion.unit, completion.completed_on) == (
        member_worker, course, member_worker.unit, timezone.localdate())
    # Finishing again (a second report, the video played again) earns nothing more.
    _later(30)
    courseware_progress.courseware_progress_report(worker=member_worker, courseware=video, seconds=55)
    _later(30)
    courseware_progress.courseware_progress_report(worker=member_worker, courseware=book, page=1)
    (entry,) = CreditEntry.objects.all()
    assert (entry.source_kind, entry.credits, entry.source_id) == ("courseware", Decimal("0.8"), completion.pk)
    (line,) = [e for e in learning_record(worker=member_worker) if e.kind == "courseware"]
    assert (line.title, line.credits, line.on) == ("焊接技术基础", Decimal("0.8"), timezone.localdate())


def test_the_player_page_posts_to_the_progress_endpoint_with_csrf(client, member_worker, course):
    item = _video(course)
    _client_for(client, member_worker)
    page = client.get(reverse("courses:courseware", args=[item.pk])).content.decode()
    assert f'data-report-url="{reverse("courses:courseware_progress", args=[item.pk])}"' in page
    assert "courses/player.js" in page and "<script>" not in page and 'type="number"' not in page
    _later(10)
    response = client.post(reverse("courses:courseware_progress", args=[item.pk]), {"seconds": "12"})
    assert response.status_code == 200 and response.json()["seconds_watched"] == 12
    assert client.post(reverse("courses:courseware_progress", args=[item.pk]), {"seconds": "abc"}).status_code == 400


def test_the_progress_endpoint_needs_the_csrf_token(member_worker, course):
    from django.test import Client

    item = _video(course)
    client = _client_for(Client(enforce_csrf_checks=True), member_worker)
    client.get(reverse("courses:courseware", args=[item.pk]))
    _later(10)
    assert client.post(reverse("courses:courseware_progress", args=[item.pk]), {"seconds": "12"}).status_code == 403
    assert CoursewareProgress.objects.get().seconds_watched == 0


def test_a_logged_out_visitor_or_a_staff_account_cannot_report(client, tree, municipal, course):
    item = _video(course)
    assert client.post(reverse("courses:courseware_progress", args=[item.pk]), {"seconds": "12"}).status_code == 403
    client.force_login(municipal)
    assert client.post(reverse("courses:courseware_progress", args=[item.pk]), {"seconds": "12"}).status_code == 403
    assert not CoursewareProgress.objects.exists()


def test_my_learning_and_the_transcript_list_the_finished_courseware(client, member_worker, course):
    CreditRule.objects.create(source="courseware", credits_per_hour=Decimal("0.05"), valid_from=dt.date(2020, 1, 1))
    book = _book(course, pages=1)
    courseware_progress.courseware_progress_report(worker=member_worker, courseware=book, page=1)
    _client_for(client, member_worker)
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert 'class="entry-courseware"' in page and "焊接技术基础" in page
    response = client.get(reverse("courses:my_transcript", args=["xlsx"]))
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert any(row[2] == "焊接技术基础" and row[5] == 0.8 for row in rows), rows
