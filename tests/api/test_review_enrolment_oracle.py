"""Review: POST /api/v1/enrolments/ takes ``course_class`` from selectors.enrolable_classes() — every
class of the city — and lets enrolment_create tell why it refuses. For a class of another district
that is not open (or still a draft course's class), the answer differs from an id that does not
exist: a 朝阳 system walks ids and learns which 海淀 classes exist, and reads the enrolment
deadline of a closed one. An unknown or foreign unopened class should answer alike."""
from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import CourseClass
from tests.factories import WorkerFactory, class_create, course_create


def _errors(response):
    return sorted((error["field"], error["message"]) for error in response.json()["errors"])


@pytest.mark.django_db
def test_review_an_unopened_foreign_class_answers_like_an_unknown_id(tree, chaoyang_api):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    draft = course_create(tree["haidian_enterprise"], status="draft")
    hidden = class_create(draft, is_open=False)
    unknown_id = (CourseClass.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    url = reverse("enrolment-list")
    foreign = chaoyang_api.post(url, {"worker": worker.pk, "course_class": hidden.pk}, format="json")
    unknown = chaoyang_api.post(url, {"worker": worker.pk, "course_class": unknown_id}, format="json")
    assert foreign.status_code == unknown.status_code == 400
    assert _errors(foreign) == [(f, m.replace(str(unknown_id), str(hidden.pk))) for f, m in _errors(unknown)], (
        _errors(foreign), _errors(unknown))

