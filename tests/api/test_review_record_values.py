"""Review: POST /api/v1/training-records/ writes through courses.services.training_record_create,
whose full_clean() knows nothing of the rules the upload path applies to the same fact
(courses/upload_kinds.py: hours above 0 and at most 2000 with one decimal; no completion date in
the future). The API takes a record the upload of the same row refuses, and it earns credits."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import TrainingRecord
from tests.factories import WorkerFactory


@pytest.mark.django_db
@pytest.mark.parametrize("hours,days_ahead", [("-8", 0), ("0", 0), ("99999.9", 0), ("8", 400)])
def test_review_api_refuses_what_the_upload_refuses(tree, chaoyang_api, hours, days_ahead):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    completed_on = timezone.localdate() + dt.timedelta(days=days_ahead)
    response = chaoyang_api.post(reverse("training-record-list"), {
        "worker": worker.pk, "project": "数控车床操作提升班", "kind": "skills", "hours": hours,
        "completed_on": completed_on.isoformat()}, format="json")
    assert response.status_code == 400, (response.status_code, response.json())
    assert not TrainingRecord.objects.exists()
