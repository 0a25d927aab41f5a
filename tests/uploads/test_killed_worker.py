"""UPL-2 with real processes: a commit whose Celery pool child, whole worker or web worker is
killed (SIGKILL) in the middle of its transaction ends in a state its owner can act on, with
nothing written — re-run by the redelivered task, or failed by the sweep and run again."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from membership.models import Worker
from tests.conftest import CHAOYANG_ENTERPRISE
from uploads import services
from uploads.models import Upload
from uploads.pipeline import BATCH_SIZE, upload_create

from .helpers import id_numbers, roster_csv

ROOT = Path(__file__).resolve().parent.parent.parent
# Enough rows that one commit takes several seconds: long enough to be killed in its middle.
ROWS = 12 * BATCH_SIZE

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the pool child through /proc"),
]


def _environment() -> dict:
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    if database.get("PASSWORD"):
        url = url.replace("@", f":{database['PASSWORD']}@", 1)
    return {
        **os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": url,
        "REDIS_URL": django_settings.REDIS_URL, "MEDIA_ROOT": django_settings.MEDIA_ROOT,
        # Beat on every batch, so the test sees the commit in its transaction.
        "UPLOAD_HEARTBEAT_SECONDS": "0",
    }


class CeleryWorker:
    """``celery -A portal worker -P prefork -c 1`` as a process of its own."""

    def __init__(self):
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "-P", "prefork", "-c", "1", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=_environment(), stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        _until(lambda: "ready." in Path(self.log.name).read_text(), 60, "the Celery worker never got ready")

    def pool_children(self) -> list[int]:
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    children.append(int(entry.name))
        return children

    def kill_pool_child(self) -> None:
        [child] = self.pool_children()
        os.kill(child, signal.SIGKILL)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        os.unlink(self.log.name)

    def output(self) -> str:
        return Path(self.log.name).read_text()


def _until(condition, seconds: float, message: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(message)


def _upload(user) -> Upload:
    upload = upload_create(user=user, kind_code="workers", file_name="roster.csv",
                           data=roster_csv(id_numbers(ROWS), CHAOYANG_ENTERPRISE))
    Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.PREVIEWED, previewed_at=timezone.now(), new=ROWS)
    upload.refresh_from_db()
    return upload


def _beating(upload: Upload, attempt: int):
    """Wait until run ``attempt`` is inside its commit transaction: it has beaten from the
    progress callback (after a batch is written), not only when it started."""
    def started():
        upload.refresh_from_db()
        return upload.attempts == attempt and upload.status == Upload.Status.COMMITTING and upload.heartbeat_at
    first_beat = _until(started, 120, f"run {attempt} never started")
    _until(lambda: Upload.objects.get(pk=upload.pk).heartbeat_at > first_beat, 120, f"run {attempt} never beat")
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.COMMITTING


def _sweep_once_dead(upload: Upload, settings) -> None:
    """The sweep, once the heartbeat is stale; the dead run's connection may take a moment to
    be noticed by PostgreSQL, and until then its run lock says it is alive."""
    settings.UPLOAD_HEARTBEAT_TIMEOUT = 1
    _until(lambda: upload.pk in services.upload_sweep(now=timezone.now() + timedelta(seconds=2)), 30,
           "the sweep never failed the dead upload")


@pytest.fixture
def _clean_broker():
    yield
    import redis

    # Messages of the killed worker wait in Redis for the visibility timeout: not for the next test.
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    client.delete("celery", "unacked", "unacked_index")


def test_killed_pool_child_and_killed_worker_leave_nothing_written_and_the_owner_runs_it_again(
        client, tree, chaoyang_officer, settings, _clean_broker):
    worker = CeleryWorker()
    try:
        upload = _upload(chaoyang_officer)
        services.upload_start(upload=upload, commit=True, in_background=True)

        _beating(upload, attempt=1)
        worker.kill_pool_child()
        # The message goes back to the broker (reject_on_worker_lost); the new pool child
        # re-claims the upload and runs the commit again.
        _beating(upload, attempt=2)
        assert Worker.objects.count() == 0
        worker.kill()  # the whole worker: its message now waits for the visibility timeout
    finally:
        log = worker.output()
        worker.stop()
    assert "WorkerLostError" in log or "Worker exited prematurely" in log, log[-3000:]
    assert Worker.objects.count() == 0
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.COMMITTING

    _sweep_once_dead(upload, settings)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.FAILED and upload.message
    assert Worker.objects.count() == 0
    client.force_login(chaoyang_officer)
    progress = client.get(reverse("admin:uploads_upload_progress", args=[upload.pk])).json()
    assert progress["finished"] is True  # the page stops polling

    settings.UPLOAD_COMMIT_IN_BACKGROUND = True
    client.post(reverse("admin:uploads_upload_retry", args=[upload.pk]))
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.COMMITTING
    worker = CeleryWorker()
    try:
        _until(lambda: Upload.objects.get(pk=upload.pk).status == Upload.Status.COMMITTED, 180, "never written")
    finally:
        worker.stop()
    upload.refresh_from_db()
    assert upload.written == ROWS and Worker.objects.count() == ROWS


WEB_COMMIT = """
import django
django.setup()
from uploads.models import Upload
from uploads.services import upload_start
upload_start(upload=Upload.objects.get(pk={pk}), commit=True, in_background=False)
"""


def test_web_worker_killed_during_an_in_request_commit_is_failed_by_the_sweep(
        tree, chaoyang_officer, settings):
    upload = _upload(chaoyang_officer)
    # The web worker's process: it claims the upload and commits it in the request.
    web = subprocess.Popen([sys.executable, "-c", WEB_COMMIT.format(pk=upload.pk)], cwd=ROOT, env=_environment(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _beating(upload, attempt=1)
    finally:
        web.kill()
        web.wait(10)
    assert Worker.objects.count() == 0
    _sweep_once_dead(upload, settings)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.FAILED and Worker.objects.count() == 0
