"""Issue 11 (Speed): the permissions version (0020) is taken from a sequence instead of counted up
by one, so that no number is ever given twice. A process keeps an account's permission names
under the version it read them at (membership/backends.py KeptPermissions); counted up by one, a
change made in a transaction that was rolled back gave its number back, and the next change
committed took the same number again — names read inside the rolled-back transaction (an admin
page that checks a permission after saving one) were then served for a state they never belonged
to. A sequence's numbers are not given back by a rollback (PostgreSQL: nextval is never rolled
back), so a version names one state of who holds which permission, once."""
from django.db import migrations

TABLE = "membership_permissions_version"
SEQUENCE = "membership_permissions_version_seq"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'CREATE SEQUENCE "{SEQUENCE}" AS bigint')
        # Above every number handed out so far, committed or not (those of rolled-back changes
        # are not in the table; a margin covers them in processes that keep names across the
        # migration).
        cursor.execute(f"""SELECT setval('"{SEQUENCE}"', COALESCE((SELECT "number" FROM "{TABLE}" WHERE "id" = 1), 0)
                           + 1000000)""")
        cursor.execute(f"""CREATE OR REPLACE FUNCTION "{TABLE}_raise"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO "{TABLE}" AS v ("id", "number") VALUES (1, nextval('"{SEQUENCE}"'))
            ON CONFLICT ("id") DO UPDATE SET "number" = EXCLUDED."number";
            RETURN NULL;
        END $$""")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"""CREATE OR REPLACE FUNCTION "{TABLE}_raise"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO "{TABLE}" AS v ("id", "number") VALUES (1, 1)
            ON CONFLICT ("id") DO UPDATE SET "number" = v."number" + 1;
            RETURN NULL;
        END $$""")
        cursor.execute(f'DROP SEQUENCE IF EXISTS "{SEQUENCE}"')


class Migration(migrations.Migration):

    dependencies = [
        ("membership", "0020_permissions_version"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
