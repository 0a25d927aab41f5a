"""Issue 13: the training-record list and the credit ledger searched among millions of rows.

Their admin search looks for each word in the worker's name (found through the workers' pairs
index, then the rows by the worker index: courses.selectors) or in the row's own text: a training
record's project and institution, a ledger entry's cause. A LIKE '%word%' on those read every row;
the same character-pair GIN index as the workers' (membership 0015/0018, ``portal_worker_grams``)
over them lets PostgreSQL OR the two indexes' bitmaps. PostgreSQL only."""
from django.db import migrations

INDEXES = {
    "training_record_text_grams": "courses_trainingrecord USING gin (portal_worker_grams(project, institution))",
    "credit_entry_cause_grams": "courses_creditentry USING gin (portal_worker_grams(cause, ''))",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0025_course_menu_search_grams"),
        # portal_worker_grams() as a PL/pgSQL loop
        ("membership", "0018_worker_grams_in_plpgsql"),
    ]

    operations = [migrations.RunPython(create, drop)]
