from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import services
from .models import Upload
from .pipeline import upload_process


# UPL-2: the message is acknowledged only when the task ends, and given back to the broker when
# the process running it dies (acks_late, reject_on_worker_lost): the redelivery re-claims the
# upload or, if it is finished or failed meanwhile, does nothing (pipeline.upload_process). The
# time limits end a run that hangs; the broker's visibility timeout is set above them (settings).
@shared_task(acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=settings.UPLOAD_TIME_LIMIT, time_limit=settings.UPLOAD_TIME_LIMIT + 60)
def upload_process_task(upload_id: int, commit: bool) -> str:
    upload = Upload.objects.select_related("user").filter(pk=upload_id).first()
    if upload is None:
        return "gone"
    return upload_process(upload=upload, commit=commit).status


@shared_task
def upload_sweep_task() -> list[int]:
    return services.upload_sweep()
