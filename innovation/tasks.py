"""The innovation app's Celery tasks (Celery's autodiscovery imports this module), one module per area."""
from .proposals.tasks import proposal_assignment_notify_task  # noqa: F401
