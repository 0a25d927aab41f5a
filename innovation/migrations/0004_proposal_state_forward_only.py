"""INN-2: a proposal's state moves only forward along the arrows 已提交 → 评审中 → 已采纳 | 未采纳 →
已立项 → 已实施 → 已奖励, whoever writes it. The services are the one writer; this trigger refuses a
backward or sideways move from anywhere else (a raw UPDATE, a bulk update that skips them). A
move may pass several states at once (an upload of a historic proposal). PostgreSQL and SQLite."""
from django.db import migrations

# (from, to) pairs where ``to`` is ahead of ``from`` on the arrows.
PATHS = [["submitted", "reviewing", "adopted", "project", "implemented", "rewarded"],
         ["submitted", "reviewing", "rejected"]]
FORWARD = sorted({(path[i], path[j]) for path in PATHS for i in range(len(path)) for j in range(i + 1, len(path))})
ALLOWED = " OR ".join(f"(OLD.state = '{a}' AND NEW.state = '{b}')" for a, b in FORWARD)

POSTGRES = f"""
CREATE OR REPLACE FUNCTION innovation_proposal_state_forward() RETURNS trigger AS $$
BEGIN
  IF NEW.state <> OLD.state AND NOT ({ALLOWED}) THEN
    RAISE EXCEPTION 'proposal_state_forward_only: % -> %', OLD.state, NEW.state USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER innovation_proposal_state_forward BEFORE UPDATE OF state ON innovation_proposal
  FOR EACH ROW EXECUTE FUNCTION innovation_proposal_state_forward();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS innovation_proposal_state_forward ON innovation_proposal;
DROP FUNCTION IF EXISTS innovation_proposal_state_forward();
"""
SQLITE = f"""
CREATE TRIGGER innovation_proposal_state_forward BEFORE UPDATE OF state ON innovation_proposal
FOR EACH ROW WHEN NEW.state <> OLD.state AND NOT ({ALLOWED})
BEGIN SELECT RAISE(ABORT, 'proposal_state_forward_only'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS innovation_proposal_state_forward;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor)
    if sql is None:
        raise NotImplementedError(vendor)
    # Straight to the cursor: without parameters the driver leaves RAISE's % placeholders alone.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)


def backward(apps, schema_editor):
    sql = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("innovation", "0003_proposals")]
    operations = [migrations.RunPython(forward, backward)]
