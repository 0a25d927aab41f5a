"""EDU-1 at city scale (issue 13): how many approved courses a search finds, read from an index
alone.

Migration 0025's pairs live in each course's row (``menu_grams``), so counting a search's matches
visited the heap page of every candidate (a common word: a fifth of the courses, most pages of the
table) and checked its LIKEs there. ``courses_menu_pair`` holds one row per character and pair of
adjacent characters of an *approved* course's title, description and provider (upper-cased, as
``portal_grams`` makes them), kept by triggers on ``courses_course`` in the same transaction as
the change. A word of one or two characters is in a text exactly when its pair is among the text's
(for words whose letters have no case, or that are compared case-insensitively: see
courses.selectors._pair_words), so such a search is counted from this table's primary key, with a
word typed as a course code found by ``upper(code)`` (the index below), as the menu's
``code__iexact`` compares it. Longer words and searches with other filters keep 0025's way.
PostgreSQL only: the SQLite demo searches as before."""
from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION courses_menu_pairs(title text, description text, provider_name text)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT DISTINCT gram FROM unnest(
    portal_grams(coalesce(title, '')) || portal_grams(coalesce(description, ''))
    || portal_grams(coalesce(provider_name, ''))) gram)
$$;

CREATE OR REPLACE FUNCTION courses_menu_pairs_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE courses_menu_pair;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.title IS NOT DISTINCT FROM NEW.title
     AND OLD.description IS NOT DISTINCT FROM NEW.description
     AND OLD.provider_name IS NOT DISTINCT FROM NEW.provider_name AND OLD.id = NEW.id THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'approved' THEN
    -- The rows this trigger wrote from the old values: found by the primary key.
    DELETE FROM courses_menu_pair
     WHERE course_id = OLD.id AND gram = ANY(courses_menu_pairs(OLD.title, OLD.description, OLD.provider_name));
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'approved' THEN
    INSERT INTO courses_menu_pair (gram, course_id)
    SELECT gram, NEW.id FROM unnest(courses_menu_pairs(NEW.title, NEW.description, NEW.provider_name)) gram;
  END IF;
  RETURN NULL;
END
$$;
"""
TABLE = """
CREATE TABLE IF NOT EXISTS courses_menu_pair (gram text NOT NULL, course_id integer NOT NULL,
                                              PRIMARY KEY (gram, course_id));
INSERT INTO courses_menu_pair (gram, course_id)
SELECT gram, id FROM courses_course, unnest(courses_menu_pairs(title, description, provider_name)) gram
 WHERE status = 'approved';
ANALYZE courses_menu_pair;
CREATE TRIGGER courses_menu_pairs_follow_rows AFTER INSERT OR DELETE OR UPDATE ON courses_course
  FOR EACH ROW EXECUTE FUNCTION courses_menu_pairs_follow();
CREATE TRIGGER courses_menu_pairs_follow_truncate AFTER TRUNCATE ON courses_course
  FOR EACH STATEMENT EXECUTE FUNCTION courses_menu_pairs_follow();
CREATE INDEX IF NOT EXISTS course_code_upper ON courses_course (upper(code::text));
"""
DROP = """
DROP INDEX IF EXISTS course_code_upper;
DROP TRIGGER IF EXISTS courses_menu_pairs_follow_truncate ON courses_course;
DROP TRIGGER IF EXISTS courses_menu_pairs_follow_rows ON courses_course;
DROP TABLE IF EXISTS courses_menu_pair;
DROP FUNCTION IF EXISTS courses_menu_pairs_follow();
DROP FUNCTION IF EXISTS courses_menu_pairs(text, text, text);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)
        schema_editor.execute(TABLE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0026_record_search_grams"),
    ]

    operations = [migrations.RunPython(create, drop)]
