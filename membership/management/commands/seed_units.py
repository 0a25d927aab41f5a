from django.core.management.base import BaseCommand

from membership.seed import seed_groups, seed_unit_tree


class Command(BaseCommand):
    help = "Create the real top of the union tree (北京市总工会, the 16 district unions, …) and the staff roles."

    def handle(self, *args, **options):
        seed_unit_tree()
        seed_groups()
        self.stdout.write(self.style.SUCCESS("Unit tree and roles are in place."))
