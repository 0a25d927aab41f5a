"""EDU-6/7: activities with registration, participation and results in the learning record."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses import services
from courses.models import ActivityRegistration
from courses.selectors import learning_record
from membership.models import User
from tests.factories import WorkerFactory, activity_create


def test_registration_respects_capacity_and_is_once_per_worker(tree):
    activity = activity_create(tree["root"], capacity=1)
    first, second = (WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(2))
    services.activity_register(worker=first, activity=activity)
    with pytest.raises(ValidationError):
        services.activity_register(worker=first, activity=activity)
    with pytest.raises(ValidationError):
        services.activity_register(worker=second, activity=activity)
    assert ActivityRegistration.objects.count() == 1


def test_closed_activity_takes_no_registration(tree):
    activity = activity_create(tree["root"], registration_open=False)
    with pytest.raises(ValidationError):
        services.activity_register(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), activity=activity)


def test_worker_registers_on_the_portal_and_results_reach_the_record(client, tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    client.force_login(User.objects.create_user("w", password="pw-123456", worker=worker, is_staff=False))
    activity = activity_create(tree["root"], title="安全生产知识竞赛", kind="knowledge")
    listing = client.get(reverse("courses:activities")).content.decode()
    assert "安全生产知识竞赛" in listing
    client.post(reverse("courses:activity_register", args=[activity.pk]))
    registration = ActivityRegistration.objects.get(worker=worker)
    registration.status, registration.result = "attended", "一等奖"
    services.activity_participation_record(registration=registration)
    (entry,) = [e for e in learning_record(worker=worker) if e.kind == "activity"]
    assert "一等奖" in entry.detail and entry.credits == Decimal("0.5")


def test_activity_list_filters_by_type(client, tree):
    activity_create(tree["root"], title="职工运动会", kind="sports")
    activity_create(tree["root"], title="公益大讲堂", kind="lecture")
    page = client.get(reverse("courses:activities"), {"kind": "sports"})
    assert [activity.title for activity in page.context["page"]] == ["职工运动会"]


def test_transcripts_include_activities(client, tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    client.force_login(User.objects.create_user("w", password="pw-123456", worker=worker, is_staff=False))
    activity = activity_create(tree["root"], title="职工运动会", kind="sports")
    ActivityRegistration.objects.create(activity=activity, worker=worker, unit=worker.unit, status="attended", result="二等奖")
    for file_format in ("pdf", "xlsx"):
        response = client.get(reverse("courses:my_transcript", args=[file_format]))
        assert response.status_code == 200 and len(response.content) > 500
