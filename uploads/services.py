"""The doors into the upload pipeline share these: receive a file, check it, then preview or
commit it here or in a Celery worker."""
from __future__ import annotations

from django.db import transaction

from .models import Upload
from .pipeline import refuse, runs_in_background, upload_create, upload_process
from .reader import UploadRefused, detect_format


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
    claimed = Upload.Status.COMMITTING if commit else Upload.Status.PREVIEWING
    if not Upload.objects.filter(pk=upload.pk, status=claimed_from).update(status=claimed):
        upload.refresh_from_db()
        return upload
    upload.status = claimed
    if in_background is None:
        in_background = runs_in_background(upload)
    if in_background:
        from .tasks import upload_process_task

        transaction.on_commit(lambda: upload_process_task.delay(upload.pk, commit))
        return upload
    return upload_process(upload=upload, commit=commit)
