from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import services
from .models import Run

NIGHTLY_TASK_NAME = "指标夜间计算"


@shared_task(acks_late=True, reject_on_worker_lost=True)
def indicators_compute_task(requested_at: str | None = None, user_id: int | None = None,
                            trigger: str = Run.Trigger.NIGHTLY):
    """REP-1: the nightly run (beat, 02:00 Asia/Shanghai) and the run staff start from the admin.
    A redelivered or late task that finds a complete run newer than its request gives way; one that
    finds a run in progress leaves it alone."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    requested = parse_datetime(requested_at) if requested_at else nightly_slot(timezone.now())
    try:
        run = services.run_compute(trigger=trigger, user=user, requested_at=requested)
    except services.RunInProgress:
        return None
    return run.pk


def nightly_slot(now: datetime.datetime) -> datetime.datetime | None:
    """When the nightly schedule last fired (its crontab is data in django-celery-beat): the nightly
    task stands for that moment, however late it is delivered."""
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.filter(name=NIGHTLY_TASK_NAME).select_related("crontab").first()
    if task is None or task.crontab is None:
        return None
    try:
        hour, minute = int(task.crontab.hour), int(task.crontab.minute)
    except ValueError:
        return None  # a schedule more elaborate than once a day: no slot to compare with
    zone = ZoneInfo(str(task.crontab.timezone))
    local = now.astimezone(zone)
    slot = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if slot > local:
        slot -= datetime.timedelta(days=1)
    # A moment before the slot: a run completed at or after the slot is newer than the request.
    return slot - datetime.timedelta(seconds=1)
