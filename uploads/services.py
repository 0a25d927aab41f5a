"""The doors into the upload pipeline share these: receive a file, check it, then preview or
commit it here or in a Celery worker; re-run an upload whose process died."""
from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .liveness import run_lock
from .models import RejectedRowsReveal, Upload
from .pipeline import refuse, runs_in_background, upload_create, upload_process
from .reader import UploadRefused, detect_format

logger = logging.getLogger(__name__)


def upload_receive(*, user, kind_code: str, file_name: str, data: bytes) -> Upload:
    """Record the file (UPL-5), refuse it at once if its bytes are not a spreadsheet, and start
    the preview (UPL-2): in this request for a small file, in a Celery worker for a large one.
    A refused file is recorded by name, size and hash, and its bytes are never stored (issue 6)."""
    try:
        detect_format(data)
    except UploadRefused as refused:
        upload = upload_create(user=user, kind_code=kind_code, file_name=file_name, data=data, keep_file=False)
        return refuse(upload, refused.message)
    upload = upload_create(user=user, kind_code=kind_code, file_name=file_name, data=data)
    return upload_start(upload=upload, commit=False)


def upload_start(*, upload: Upload, commit: bool, in_background: bool | None = None) -> Upload:
    """Claim the upload with a compare-and-set, so that a double click on "confirm" or two
    officers confirming at once write it only once, then process it."""
    claimed_from = Upload.Status.PREVIEWED if commit else Upload.Status.RECEIVED
    return _claim_and_run(upload=upload, claimed_from=claimed_from, commit=commit, in_background=in_background)


def upload_retry(*, upload: Upload, in_background: bool | None = None) -> Upload:
    """Run a FAILED upload again (its owner's 重新开始): its commit if it had been previewed,
    else its preview. The same compare-and-set as the first run, so two clicks run it once."""
    commit = upload.previewed_at is not None
    return _claim_and_run(upload=upload, claimed_from=Upload.Status.FAILED, commit=commit, in_background=in_background)


def _claim_and_run(*, upload: Upload, claimed_from: str, commit: bool, in_background: bool | None) -> Upload:
    claimed = Upload.Status.COMMITTING if commit else Upload.Status.PREVIEWING
    if not Upload.objects.filter(pk=upload.pk, status=claimed_from).update(
        status=claimed, claimed_at=timezone.now(), queued_at=None, heartbeat_at=None, attempts=0, message="",
    ):
        upload.refresh_from_db()
        return upload
    upload.status = claimed
    if in_background is None:
        # UPL-2: a commit may wait for another commit of the same district, so with a broker it
        # never runs inside the request (a request must answer within the proxy's timeout).
        in_background = runs_in_background(upload) or (commit and settings.UPLOAD_COMMIT_IN_BACKGROUND)
    if in_background:
        transaction.on_commit(lambda: _enqueue(upload, claimed, commit))
        return upload
    return upload_process(upload=upload, commit=commit)


def _enqueue(upload: Upload, claimed: str, commit: bool) -> None:
    from .tasks import upload_process_task

    try:
        upload_process_task.delay(upload.pk, commit)
    except Exception:  # the broker is down: say so now rather than leave the upload waiting
        logger.exception("upload %s could not be queued", upload.pk)
        Upload.objects.filter(pk=upload.pk, status=claimed).update(status=Upload.Status.FAILED, message=_(
            "The background worker could not be reached, so the upload was not started. Run it again in a few minutes."))
        return
    # The broker holds the message now: the sweep lets the claim wait for a worker (upload_sweep).
    Upload.objects.filter(pk=upload.pk, status=claimed, heartbeat_at__isnull=True).update(queued_at=timezone.now())


def upload_sweep(*, now=None) -> list[int]:
    """Fail every upload whose process died, so that its owner can run it again (UPL-2).

    A run's heartbeat stops when its process dies: a Celery pool child or the whole worker
    killed, a web worker killed in the middle of an in-request commit. Its transaction rolled
    back with the dead connection, so nothing was written. A claim that never started is judged
    by where it waits: run in the request, or never handed to the broker (the process died
    before), it is dead once a heartbeat is overdue; queued (queued_at), it may merely wait
    behind a backlog of long commits (issue 6 item 8: 16 districts' 200,000-row rosters on two
    worker processes), and a worker killed before it started gets the message back after the
    visibility timeout, so it is failed only after UPLOAD_QUEUE_TIMEOUT (a day by default: a
    broker that lost its data). Returns the ids it failed."""
    now = now or timezone.now()
    silent = now - timedelta(seconds=settings.UPLOAD_HEARTBEAT_TIMEOUT)
    unstarted = now - timedelta(seconds=settings.UPLOAD_QUEUE_TIMEOUT)
    candidates = Upload.objects.filter(
        Q(status__in=[Upload.Status.PREVIEWING, Upload.Status.COMMITTING])
        & (Q(heartbeat_at__lt=silent)
           | Q(heartbeat_at__isnull=True, queued_at__isnull=True, claimed_at__lt=silent)
           | Q(heartbeat_at__isnull=True, queued_at__lt=unstarted)
           | Q(heartbeat_at__isnull=True, claimed_at__isnull=True, created_at__lt=unstarted))
        # Received but never claimed: the request that received it died before it could start.
        | Q(status=Upload.Status.RECEIVED, created_at__lt=silent)
    ).values_list("pk", "status", "heartbeat_at")
    failed = []
    for pk, status, heartbeat_at in candidates:
        with run_lock(pk) as free:
            if not free:
                continue  # its process is alive (waiting for another commit): leave it running
            if Upload.objects.filter(pk=pk, status=status, heartbeat_at=heartbeat_at).update(
                status=Upload.Status.FAILED,
                message=_("The process running this upload stopped before it finished (it was restarted or ran "
                          "out of memory); the database undid its unfinished work. You can run it again."),
            ):
                failed.append(pk)
    if failed:
        logger.warning("uploads whose process died, now failed: %s", failed)
    return failed


def rejected_rows_reveal(*, upload: Upload, user, address: str | None = None) -> bool:
    """Whether the rejected-rows file shows full ID numbers to ``user`` (MEM-4): to the uploader
    (it is their own file), or to a holder of the reveal permission — recorded, as every reveal."""
    if upload.user_id == user.pk:
        return True
    if not user.has_perm("membership.reveal_id_number"):
        return False
    RejectedRowsReveal.objects.create(upload=upload, user=user, address=address)
    return True
