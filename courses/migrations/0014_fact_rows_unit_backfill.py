"""Fill the unit at the time of the per-worker fact rows made before it was stored. The worker's
current unit is the best knowledge there is of the unit of those days (MEM-2)."""
from django.db import migrations
from django.db.models import OuterRef, Subquery

FACT_MODELS = ("Enrolment", "TrainingRecord", "ActivityRegistration", "CoursewareProgress", "CreditConversion")


def backfill(apps, schema_editor):
    Worker = apps.get_model("membership", "Worker")
    worker_unit = Subquery(Worker.objects.filter(pk=OuterRef("worker_id")).values("unit_id")[:1])
    for name in FACT_MODELS:
        unfilled = apps.get_model("courses", name).objects.filter(unit__isnull=True)
        # An UPDATE fires the audit's statement trigger even on no rows, and on a new database
        # pghistory installs the function that trigger calls only after migrating: skip empty tables.
        if unfilled.exists():
            unfilled.update(unit_id=worker_unit)


class Migration(migrations.Migration):
    dependencies = [("courses", "0013_fact_rows_unit_at_the_time")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
