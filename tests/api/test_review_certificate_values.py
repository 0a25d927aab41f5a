"""Review: POST /api/v1/certificates/ writes through talent.services.certificates.
skill_certificate_create, whose full_clean() lacks the upload's rules for the same fact
(talent/upload_kinds.py: no issue date in the future; expiry before issue is refused by the model)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from talent.models import Occupation, SkillCertificate
from tests.factories import WorkerFactory


@pytest.mark.django_db
@pytest.mark.parametrize("issued_ahead,valid_until_ahead", [(400, None)])
def test_review_certificate_api_refuses_what_the_upload_refuses(tree, chaoyang_api, issued_ahead, valid_until_ahead):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    occupation = Occupation.objects.first() or Occupation.objects.create(name="车工")
    today = timezone.localdate()
    body = {"worker": worker.pk, "occupation": occupation.name, "level": 3, "number": "S000000001",
            "issuer": "北京市职业技能鉴定中心", "issued_on": (today + dt.timedelta(days=issued_ahead)).isoformat()}
    if valid_until_ahead is not None:
        body["valid_until"] = (today + dt.timedelta(days=valid_until_ahead)).isoformat()
    response = chaoyang_api.post(reverse("certificate-list"), body, format="json")
    assert response.status_code == 400, (response.status_code, response.json())
    assert not SkillCertificate.objects.exists()
