import random
import time

from django.core.management.base import BaseCommand
from django.utils import translation

from courses.seed import seed_courses
from membership.seed import seed_demo
from talent.seed import seed_programmes
from talent.seed_certificates import seed_certificates_and_competitions


class Command(BaseCommand):
    help = ("Deterministic demo data: level-2 units under every level-1 unit, workers, demo log-ins, "
            "and courses, classes and enrolments.")

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2013)

    def handle(self, *args, **options):
        started = time.monotonic()
        # Names built from choices (places, groups) are stored in Chinese, the portal's language.
        with translation.override("zh-hans"):
            result = seed_demo(workers=options["workers"], seed=options["seed"])
            education = seed_courses(rng=random.Random(options["seed"]))
            seed_programmes(rng=random.Random(options["seed"]))
            talent = seed_certificates_and_competitions(rng=random.Random(options["seed"]))
        self.stdout.write(
            f"{result['units']} units, {result['workers_created']} workers created "
            f"in {time.monotonic() - started:.1f} s; {education.get('courses', 0)} courses"
            f"; {talent['certificates']} skill certificates, {talent['competitions']} competitions"
        )
        for username, password in result["users"]:
            self.stdout.write(f"  log-in: {username} / {password}")
