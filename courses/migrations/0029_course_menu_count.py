"""EDU-1 at city scale (issue 13): how many courses the menu holds, kept by the database.

The menu's plain page (no search, no filter: the first page every visitor opens) counted the
approved courses on every request: an index-only scan of 10,000 entries, 0.41 ms of the page's
0.63 ms statement, on the core the server's Python shares. ``courses_menu_count`` holds that
number in one row, changed by a trigger on ``courses_course`` in the same transaction as the
course (an approval, a withdrawal, a deletion, a TRUNCATE), so it is exact whenever it can be read:
not a cache, nothing to invalidate. Only a change of whether a course is approved touches the row,
so edits of titles and the like never wait on it. PostgreSQL only: the SQLite demo counts."""
from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS courses_menu_count (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                                               approved bigint NOT NULL);
INSERT INTO courses_menu_count (approved) SELECT count(*) FROM courses_course WHERE status = 'approved';

CREATE OR REPLACE FUNCTION courses_menu_count_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  change bigint := 0;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    UPDATE courses_menu_count SET approved = 0;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'approved' THEN
    change := change - 1;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'approved' THEN
    change := change + 1;
  END IF;
  IF change <> 0 THEN
    UPDATE courses_menu_count SET approved = approved + change;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER courses_menu_count_follow_rows AFTER INSERT OR DELETE OR UPDATE OF status ON courses_course
  FOR EACH ROW EXECUTE FUNCTION courses_menu_count_follow();
CREATE TRIGGER courses_menu_count_follow_truncate AFTER TRUNCATE ON courses_course
  FOR EACH STATEMENT EXECUTE FUNCTION courses_menu_count_follow();
"""
DROP = """
DROP TRIGGER IF EXISTS courses_menu_count_follow_truncate ON courses_course;
DROP TRIGGER IF EXISTS courses_menu_count_follow_rows ON courses_course;
DROP FUNCTION IF EXISTS courses_menu_count_follow();
DROP TABLE IF EXISTS courses_menu_count;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0028_worker_day_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
