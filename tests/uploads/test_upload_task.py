"""A large file is previewed and written by a real Celery worker over Redis while the page polls."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from membership.models import Worker
from portal.celery import app
from uploads.models import Upload

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def celery_worker(transactional_db):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


def _wait(upload, statuses, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        upload.refresh_from_db()
        if upload.status in statuses:
            return upload
        time.sleep(0.2)
    raise AssertionError(f"upload stayed {upload.status}")


@pytest.mark.django_db(transaction=True)
def test_large_upload_runs_in_a_celery_worker_with_progress(client, tree, chaoyang_officer, celery_worker, settings):
    settings.UPLOAD_BACKGROUND_BYTES = 0  # every file counts as large here
    client.force_login(chaoyang_officer)
    with open(DATA / "workers_gb18030.csv", "rb") as handle:
        client.post(reverse("admin:uploads_upload_new"), {"kind": "workers", "file": handle})
    upload = Upload.objects.get()
    progress = client.get(reverse("admin:uploads_upload_progress", args=[upload.pk])).json()
    assert set(progress) == {"status", "finished", "rows", "phase"}
    upload = _wait(upload, {Upload.Status.PREVIEWED})
    assert (upload.new, upload.rejected) == (3, 4)
    assert Worker.objects.count() == 0
    client.post(reverse("admin:uploads_upload_commit", args=[upload.pk]))
    upload = _wait(upload, {Upload.Status.COMMITTED})
    assert upload.written == 3 and Worker.objects.count() == 3
    assert client.get(reverse("admin:uploads_upload_progress", args=[upload.pk])).json()["finished"] is True
