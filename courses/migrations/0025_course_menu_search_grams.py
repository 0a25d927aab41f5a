"""EDU-1 at city scale (issue 13): the course menu's search answered by an index.

The menu searches each word in a course's title, description and provider (LIKE '%焊接%') or as
its code, which no b-tree serves, and pg_trgm needs three characters where most Chinese search
words have two. ``courses_menu_grams(title, description, provider_name, code)`` is every
character and every pair of adjacent characters of the four (membership 0015's ``portal_grams``,
upper-cased as icontains compares them); a GIN index over it finds the courses holding all the
pairs of a word, and the LIKE conditions then check them (courses.selectors.course_menu). The code
is among the four so that the index condition holds for every match, the code's too, and the
rows are never scanned. The pairs are kept in a generated column, ``menu_grams``, which the ORM
never writes nor reads (the database fills it): computing them again for each row a plan checks
cost more than the search itself. PostgreSQL only: the SQLite demo searches as before."""
from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION courses_menu_grams(title text, description text, provider_name text, code text)
RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT portal_grams(title) || portal_grams(description) || portal_grams(provider_name) || portal_grams(code)
$$;
"""
COLUMN = ("ALTER TABLE courses_course ADD COLUMN IF NOT EXISTS menu_grams text[] GENERATED ALWAYS AS "
          "(courses_menu_grams(title, description, provider_name, code)) STORED")
INDEX = "CREATE INDEX IF NOT EXISTS course_menu_grams ON courses_course USING gin (menu_grams)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(COLUMN)
        schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS course_menu_grams")
        schema_editor.execute("ALTER TABLE courses_course DROP COLUMN IF EXISTS menu_grams")
        schema_editor.execute("DROP FUNCTION IF EXISTS courses_menu_grams(text, text, text, text)")


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0024_list_order_indexes"),
        # portal_grams()
        ("membership", "0015_worker_name_grams_search"),
    ]

    operations = [migrations.RunPython(create, drop)]
