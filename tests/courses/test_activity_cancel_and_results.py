"""Issue 8: workers cancel their own activity registrations (with confirmation); the results staff
record — score and award — are shown to the participant on their page."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import ActivityRegistration
from membership.models import User
from tests.factories import WorkerFactory, activity_create


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The assertions read the msgids: pages in English whatever catalogue is compiled."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"



@pytest.fixture
def worker_client(client, tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    client.force_login(User.objects.create_user("w", password="pw-123456", worker=worker, is_staff=False))
    client.worker = worker
    return client


def _upcoming(tree, **fields):
    today = timezone.localdate()
    return activity_create(tree["root"], starts_on=today + dt.timedelta(days=3), ends_on=today + dt.timedelta(days=3),
                           **fields)


def test_worker_cancels_a_registration_from_my_learning_after_confirming(worker_client, tree):
    activity = _upcoming(tree, title="职工书画展", capacity=1)
    worker_client.post(reverse("courses:activity_register", args=[activity.pk]))
    page = worker_client.get(reverse("courses:my_learning")).content.decode()
    cancel_url = reverse("courses:activity_cancel", args=[activity.pk])
    assert f'action="{cancel_url}" data-confirm="' in page
    response = worker_client.post(cancel_url)
    assert response.status_code == 302 and response["Location"] == reverse("courses:my_learning")
    assert ActivityRegistration.objects.get(worker=worker_client.worker).status == "cancelled"
    # The freed place is taken by another worker.
    other = WorkerFactory(unit=tree["chaoyang_enterprise"])
    assert services.activity_register(worker=other, activity=activity).status == "registered"


def test_cancel_from_the_activity_list_returns_there(worker_client, tree):
    activity = _upcoming(tree)
    worker_client.post(reverse("courses:activity_register", args=[activity.pk]))
    listing = worker_client.get(reverse("courses:activities")).content.decode()
    assert reverse("courses:activity_cancel", args=[activity.pk]) in listing
    response = worker_client.post(reverse("courses:activity_cancel", args=[activity.pk]), {"back": "activities"})
    assert response["Location"] == reverse("courses:activities")
    assert ActivityRegistration.objects.get().status == "cancelled"


def test_a_recorded_participation_cannot_be_cancelled(worker_client, tree):
    activity = _upcoming(tree)
    registration = ActivityRegistration.objects.create(activity=activity, worker=worker_client.worker,
                                                       unit=worker_client.worker.unit, status="attended")
    response = worker_client.post(reverse("courses:activity_cancel", args=[activity.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "You have no registration for this activity that can be cancelled."]
    registration.refresh_from_db()
    assert registration.status == "attended"


def test_a_finished_activity_cannot_be_cancelled(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    today = timezone.localdate()
    activity = activity_create(tree["root"], starts_on=today - dt.timedelta(days=5), ends_on=today - dt.timedelta(days=4))
    ActivityRegistration.objects.create(activity=activity, worker=worker, unit=worker.unit)
    with pytest.raises(ValidationError):
        services.activity_registration_cancel(worker=worker, activity=activity)
    assert ActivityRegistration.objects.get().status == "registered"


def test_another_workers_registration_is_not_cancelled(worker_client, tree):
    activity = _upcoming(tree)
    other = WorkerFactory(unit=tree["chaoyang_enterprise"])
    services.activity_register(worker=other, activity=activity)
    worker_client.post(reverse("courses:activity_cancel", args=[activity.pk]))
    assert ActivityRegistration.objects.get(worker=other).status == "registered"


def test_participant_sees_the_score_and_award_staff_recorded(worker_client, tree):
    contest = _upcoming(tree, title="安全生产知识竞赛", kind="knowledge")
    lecture = _upcoming(tree, title="公益大讲堂")
    attended = ActivityRegistration.objects.create(activity=contest, worker=worker_client.worker,
                                                   unit=worker_client.worker.unit)
    absent = ActivityRegistration.objects.create(activity=lecture, worker=worker_client.worker,
                                                 unit=worker_client.worker.unit)
    services.activity_registration_update(registration=attended, status="attended", score=Decimal("92.5"), result="一等奖")
    services.activity_registration_update(registration=absent, status="absent", result="缺席未参赛")
    response = worker_client.get(reverse("courses:my_learning"))
    (entry,) = [e for e in response.context["entries"] if e.kind == "activity"]
    assert entry.detail == "Knowledge contest · score 92.5 · 一等奖"
    page = response.content.decode()
    assert "缺席未参赛" in page and "一等奖" in page and "92.5" in page
