"""The command-line twin of the periodic sweep (UPL-2), for a deployment without Celery beat or
for an operator who does not want to wait for the next beat."""
from django.core.management.base import BaseCommand

from uploads.services import upload_sweep


class Command(BaseCommand):
    help = "Mark FAILED every upload whose process died (its heartbeat stopped), so its owner can run it again."

    def handle(self, *args, **options):
        failed = upload_sweep()
        self.stdout.write(f"failed {len(failed)} upload(s) whose process died" + (f": {failed}" if failed else ""))
