from __future__ import annotations

from celery import shared_task

from . import services


# EDU-8: the registration code is made and texted here, after the request that asked for it has
# answered, so a slow or refusing SMS gateway shows in no answer of the registration form.
@shared_task
def worker_claim_code_send_task(*, token: str, worker_id: int) -> None:
    services.worker_claim_code_send(token=token, worker_id=worker_id)
