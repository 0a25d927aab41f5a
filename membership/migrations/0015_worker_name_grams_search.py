"""MEM-2 at city scale (issue 13): the worker list's search by name answered by an index.

The admin searches a worker's name and post with icontains (UPPER(name) LIKE UPPER('%张伟%')), which
no b-tree serves, and pg_trgm needs three characters where most Chinese names have two or three.
``portal_worker_grams(name, post)`` is every character and every pair of adjacent characters of
both (upper-cased as icontains compares them); a GIN index over it finds the rows holding all the
pairs of a search term, and the icontains condition then checks them (membership.selectors
.worker_search). PostgreSQL only: the SQLite demo searches as before."""
from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION portal_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT gram), '{}') FROM (
    SELECT substr(upper(value), i, 1) AS gram FROM generate_series(1, char_length(value)) i
    UNION ALL
    SELECT substr(upper(value), i, 2) FROM generate_series(1, char_length(value) - 1) i) grams
$$;
CREATE OR REPLACE FUNCTION portal_worker_grams(name text, post text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT portal_grams(name) || portal_grams(post) $$;
-- What a search term asks for: its pairs of characters (a one-character term: that character).
CREATE OR REPLACE FUNCTION portal_search_grams(term text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN char_length(term) < 2 THEN ARRAY[upper(term)] ELSE
    ARRAY(SELECT DISTINCT substr(upper(term), i, 2) FROM generate_series(1, char_length(term) - 1) i) END
$$;
"""
DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS portal_search_grams(text);
DROP FUNCTION IF EXISTS portal_worker_grams(text, text);
DROP FUNCTION IF EXISTS portal_grams(text);
"""
INDEX = ("CREATE INDEX IF NOT EXISTS worker_name_post_grams ON membership_worker "
         "USING gin (portal_worker_grams(name, post))")
DROP_INDEX = "DROP INDEX IF EXISTS worker_name_post_grams"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)
        schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)
        schema_editor.execute(DROP_FUNCTIONS)


class Migration(migrations.Migration):

    dependencies = [
        ("membership", "0014_alter_worker_leaving_reason"),
    ]

    operations = [migrations.RunPython(create, drop)]
