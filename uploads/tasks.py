from __future__ import annotations

from celery import shared_task

from .models import Upload
from .pipeline import upload_process


@shared_task(acks_late=True)
def upload_process_task(upload_id: int, commit: bool) -> str:
    upload = Upload.objects.select_related("user").get(pk=upload_id)
    return upload_process(upload=upload, commit=commit).status
