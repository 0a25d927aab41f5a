import time

from django.core.management.base import BaseCommand

from membership.seed import seed_demo


class Command(BaseCommand):
    help = "Deterministic demo data: level-2 units under every level-1 unit, workers and demo log-ins."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2013)

    def handle(self, *args, **options):
        started = time.monotonic()
        result = seed_demo(workers=options["workers"], seed=options["seed"])
        self.stdout.write(
            f"{result['units']} units, {result['workers_created']} workers created "
            f"in {time.monotonic() - started:.1f} s"
        )
        for username, password in result["users"]:
            self.stdout.write(f"  log-in: {username} / {password}")
