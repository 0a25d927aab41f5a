"""EDU-4 and MEM-5: courseware for workers of member units only, with progress."""
from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import CoursewareProgress
from membership.models import Unit, User
from tests.factories import WorkerFactory, course_create, courseware_create


@pytest.fixture
def item(tree):
    return courseware_create(course_create(tree["root"], title="焊接技术基础"))


def _worker_client(client, unit):
    worker = WorkerFactory(unit=unit)
    client.force_login(User.objects.create_user(f"w{worker.pk}", password="pw-123456", worker=worker, is_staff=False))
    return worker


def test_member_unit_worker_opens_courseware_and_progress_only_moves_forward(client, tree, item):
    unit = tree["chaoyang_enterprise"]
    Unit.objects.filter(pk=unit.pk).update(membership_status="active")
    worker = _worker_client(client, unit)
    assert client.get(reverse("portal:courseware", args=[item.pk])).status_code == 200
    file = client.get(reverse("portal:courseware_file", args=[item.pk]))
    assert file.status_code == 200 and b"ftypmp42" in b"".join(file.streaming_content)
    client.post(reverse("portal:courseware", args=[item.pk]), {"percent": "60"})
    client.post(reverse("portal:courseware", args=[item.pk]), {"percent": "20"})
    assert CoursewareProgress.objects.get(worker=worker, courseware=item).percent == 60


def test_worker_of_a_non_member_unit_is_refused(client, tree, item):
    _worker_client(client, tree["haidian_enterprise"])  # membership_status stays "none"
    assert client.get(reverse("portal:courseware", args=[item.pk])).status_code == 403
    assert client.get(reverse("portal:courseware_file", args=[item.pk])).status_code == 403
    assert client.post(reverse("portal:courseware", args=[item.pk]), {"percent": "50"}).status_code == 403
    assert not CoursewareProgress.objects.exists()


def test_course_page_lists_courseware_and_says_who_may_open_it(client, tree, item):
    page = client.get(reverse("portal:course", args=[item.course.code])).content.decode()
    assert "焊接安全视频" in page and reverse("portal:courseware", args=[item.pk]) not in page
