"""Issue 12 (Speed): a number that every change to who holds which permission raises, so that a
process may keep an account's permissions between requests and know when they changed
(membership/backends.py ``permissions_version_sql``). PostgreSQL only: the embedded SQLite demo
reads permissions on every request, as Django does."""
from django.db import migrations

TABLE = "membership_permissions_version"


def _sources(apps) -> tuple[str, ...]:
    """Who holds which permission: an account's groups and own permissions, the groups'
    permissions, and the permissions' and content types' names ("app_label.codename")."""
    user = apps.get_model("membership", "User")
    group = apps.get_model("auth", "Group")
    return (user._meta.get_field("groups").remote_field.through._meta.db_table,
            user._meta.get_field("user_permissions").remote_field.through._meta.db_table,
            group._meta.get_field("permissions").remote_field.through._meta.db_table,
            "auth_permission", "django_content_type")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    statements = [
        f'CREATE TABLE "{TABLE}" ("id" integer PRIMARY KEY CHECK ("id" = 1), "number" bigint NOT NULL)',
        f'INSERT INTO "{TABLE}" ("id", "number") VALUES (1, 1)',
        # An upsert: a test database flushed by TRUNCATE starts again from no row.
        f"""CREATE FUNCTION "{TABLE}_raise"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO "{TABLE}" AS v ("id", "number") VALUES (1, 1)
            ON CONFLICT ("id") DO UPDATE SET "number" = v."number" + 1;
            RETURN NULL;
        END $$""",
    ]
    for table in _sources(apps):
        statements.append(
            f'CREATE TRIGGER "{TABLE}_raise" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f'FOR EACH STATEMENT EXECUTE FUNCTION "{TABLE}_raise"()')
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in _sources(apps):
            cursor.execute(f'DROP TRIGGER IF EXISTS "{TABLE}_raise" ON "{table}"')
        cursor.execute(f'DROP FUNCTION IF EXISTS "{TABLE}_raise"()')
        cursor.execute(f'DROP TABLE IF EXISTS "{TABLE}"')


class Migration(migrations.Migration):

    dependencies = [
        ("membership", "0019_drill_down_covering_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
