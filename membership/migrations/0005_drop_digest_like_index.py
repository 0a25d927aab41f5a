"""The keyed hash of an ID number is only ever compared whole: the varchar_pattern_ops index that
Django adds to unique CharFields on PostgreSQL (for LIKE) is dead weight on every roster insert."""
from django.db import migrations


def drop_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'membership_worker' "
            "AND indexname LIKE 'membership_worker_id_number_digest%%_like'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("membership", "0004_worker_unit_index_through_unit_name")]
    operations = [migrations.RunPython(drop_like_index, migrations.RunPython.noop)]
