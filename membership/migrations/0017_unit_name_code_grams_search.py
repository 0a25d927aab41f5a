"""Issue 13: the worker search first finds the units whose name or code holds the term; among
100,000 units that was a scan of every unit name per search. The same character-pair index as the
workers' (migration 0015) over the unit's name and code. PostgreSQL only."""
from django.db import migrations

INDEX = ("CREATE INDEX IF NOT EXISTS unit_name_code_grams ON membership_unit "
         "USING gin (portal_worker_grams(name, code))")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS unit_name_code_grams")


class Migration(migrations.Migration):

    dependencies = [
        ("membership", "0016_worker_list_order_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
