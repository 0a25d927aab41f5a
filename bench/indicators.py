"""The nightly indicator run at city scale (issue 11, Speed): every indicator through the portal's
formulas against the same figures written by hand as one plain PostgreSQL query, the full run and
a one-year refresh, the drill-down into a district's units, and the leadership page under wrk beside
a bare view, in one run.

    python bench/indicators.py                 # the city: 5,000,000 workers, 20,000,000 completions …
    python bench/indicators.py --scale 0.05    # 5% of it (develop at 0.01–0.05)
    python bench/indicators.py --scale 0.02 --pages-only   # only the leadership page and the bare view

It creates the database `portal_bench_indicators` (BENCH_INDICATORS_DATABASE_URL) on the local
PostgreSQL and seeds it once per scale with set-based SQL (generate_series; the rows are realistic in
shape, not in content) with every input the fifteen indicators read, at the issue's proportions
(CITY below, times --scale): units, workers with join and leaving dates and transfers, training
records, class completions (some a dependant's), courseware completions, skill certificates (some
expired), studios and their recognitions, demonstration bases, competitions, achievements,
proposals in every state, teachers and classes, credit pilots, funds returns, learning-organisation
statuses and the campaign.

Then, per indicator (city and level-1 units, 2010–2013, as the nightly run computes them): the
formula's seconds, the plain query's seconds and their ratio, and totals; the full run through
reporting.services.run_compute, whose stored numerators and denominators must equal the plain
queries' (the bench fails otherwise); the one-year refresh; each indicator's drill-down into the
largest district's units; the leadership page (/reporting/) and a bare view under
`wrk -t2 -c16 --latency` with p95 from wrk's own histogram, on BENCH_PORT (default 8766).

The run computes on REPORTING_RUN_CONNECTIONS connections (default 2, one statement a year and
formula each), and is timed again on one.

Targets: full run ≤ 2× the plain queries and < 60 s; one year < 15 s; drill-down < 500 ms; the
page's p95 < 50 ms.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("BENCH_INDICATORS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_indicators")
PORT = int(os.environ.get("BENCH_PORT", "8766"))  # another port when several benches share the machine
ENV = {
    **os.environ, "DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "bench.settings_bench", "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40, "ID_NUMBER_KEY": "YmVuY2gtb25seS1rZXktYmVuY2gtb25seS1rZXktMDA=",
    "ALLOWED_HOSTS": "127.0.0.1,localhost", "CONN_MAX_AGE": "600",
}
ENV.pop("REDIS_URL", None)
# The city (issue 11: 5,000,000 workers, 20,000,000 completions over four years, 2,000,000
# certificates, 100,000 units) and proportionate studios, bases, proposals, achievements,
# competitions, teachers and classes. Funds returns: every grass-roots unit and year; learning
# organisations: two units in three; credit pilots: one unit in fifty.
CITY = {"units": 100_000, "workers": 5_000_000, "completions": 20_000_000, "certificates": 2_000_000,
        "studios": 2_000, "bases": 500, "competitions": 5_000, "achievements": 50_000, "proposals": 500_000,
        "courses": 2_000, "teachers": 10_000, "classes": 50_000}
YEARS = list(range(2010, 2014))


def setup_django():
    os.environ.update({key: value for key, value in ENV.items() if key not in ("DJANGO_SETTINGS_MODULE",)})
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database() -> None:
    import psycopg2

    name = DB_URL.rsplit("/", 1)[-1]
    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=ENV, check=True)


def _filler(cursor, table: str, given: dict[str, str]) -> tuple[str, str]:
    """Column list and SELECT expressions for ``table``: ``given`` plus a plain value for every other
    NOT NULL column without a default, so the seeder survives new columns."""
    cursor.execute("""SELECT column_name, data_type FROM information_schema.columns
                      WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL""", [table])
    plain = {"text": "''", "character varying": "''", "boolean": "false", "date": "DATE '2000-01-01'",
             "timestamp with time zone": "now()", "integer": "0", "smallint": "0", "bigint": "0", "numeric": "0",
             "jsonb": "'{}'::jsonb"}
    columns = dict(given)
    for name, data_type in cursor.fetchall():
        if name not in columns and name != "id":
            columns[name] = plain.get(data_type, "''")
    return ", ".join(f'"{c}"' for c in columns), ", ".join(columns.values())


def _insert(cursor, table: str, given: dict[str, str], source: str, params: list) -> None:
    """INSERT INTO table SELECT … FROM source (``%%`` for a literal percent sign in SQL)."""
    columns, select = _filler(cursor, table, given)
    cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {select} FROM {source}", params)


@contextmanager
def _bulk(cursor, table: str):
    """Fill ``table`` with its secondary indexes dropped (rebuilt after, each in one sort) and without
    its row triggers (session_replication_role): the audit trail's triggers, whose events these
    indicators never read, and the deferred foreign-key checks, queued per row and run at COMMIT —
    the rows are consistent by construction. Indexes backing a constraint stay. At city scale the
    20,000,000 training records went in under a GIN index, the trail's trigger and 20,000,000 queued
    checks: most of a 56-minute seed."""
    cursor.execute("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                      WHERE i.schemaname = 'public' AND i.tablename = %s
                        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""", [table])
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        cursor.execute("SET LOCAL session_replication_role = origin")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for _, definition in indexes:
        cursor.execute(definition)


def _numbered(cursor, name: str, query: str) -> int:
    """A temporary table name(n, id) numbering the rows of ``query`` from 0, for joins by modulo."""
    cursor.execute(f"CREATE TEMP TABLE {name} AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM ({query}) q")
    cursor.execute(f"CREATE INDEX ON {name} (n)")
    cursor.execute(f"SELECT count(*) FROM {name}")
    return cursor.fetchone()[0]


SEEDED_TABLES = (
    "reporting_indicatorvalue", "reporting_run", "reporting_fundsreturn", "reporting_learningorgstatus",
    "reporting_campaignyear", "courses_trainingrecord", "courses_coursewarecompletion", "courses_enrolment",
    "courses_courseclass", "courses_teacher", "courses_creditpilot", "courses_dependant", "talent_skillcertificate",
    "talent_studiorecognition", "talent_studio", "talent_demonstrationbase", "talent_competition",
    "innovation_achievement", "innovation_proposal", "membership_workertransfer", "membership_worker")


def seed(scale: float) -> dict:
    from django.db import connection, transaction

    from membership.seed import seed_groups, seed_unit_tree

    sizes = {key: max(int(value * scale), 10) for key, value in CITY.items()}
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_marker (scale text)")
        cursor.execute("SELECT scale FROM bench_marker")
        row = cursor.fetchone()
        if row and row[0] == f"{scale}/2":
            return sizes
    print(f"seeding {sizes} …", flush=True)
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(SEEDED_TABLES)} CASCADE")
        cursor.execute("DELETE FROM courses_course WHERE code LIKE 'BC%%'", [])
        cursor.execute("DELETE FROM membership_unit WHERE depth > 2")
        seed_unit_tree()
        seed_groups()
        level1 = _numbered(cursor, "bench_level1", "SELECT id FROM membership_unit WHERE depth = 2")
        # Units: enterprise and street unions spread over the level-1 units, a tenth founded in a plan year.
        _insert(cursor, "membership_unit", {
            "path": "l.path || lpad(upper(to_hex(g / %s + 1)), 4, '0')", "depth": "3", "numchild": "0",
            "code": "'B' || g", "name": "'企业工会' || g",
            "kind": "CASE WHEN g %% 7 = 0 THEN 'street_union' ELSE 'enterprise_union' END",
            "founded_on": "CASE WHEN g %% 10 = 0 THEN DATE '2010-01-01' + (g %% 1400)::int END",
            "created_at": "now()", "updated_at": "now()"},
            """generate_series(0, %s - 1) g
            JOIN (SELECT path, row_number() OVER (ORDER BY path) - 1 AS n FROM membership_unit WHERE depth = 2) l
              ON l.n = g %% %s""", [level1, sizes["units"], level1])
        cursor.execute("""UPDATE membership_unit p SET numchild = c.n FROM (
            SELECT substr(path, 1, 8) AS parent, count(*) AS n FROM membership_unit WHERE depth = 3 GROUP BY 1) c
            WHERE p.path = c.parent""")
        units = _numbered(cursor, "bench_units", "SELECT id FROM membership_unit WHERE depth = 3")
        occupations = _numbered(cursor, "bench_occupations", "SELECT id FROM talent_occupation")
        industries = _numbered(cursor, "bench_industries", "SELECT id FROM membership_industry WHERE section_id IS NOT NULL")
        # Workers: joined before or during the plan, a tenth with no date; one in twenty left during it.
        with _bulk(cursor, "membership_worker"):
            _insert(cursor, "membership_worker", {
                "name": "'职工' || g", "id_number_encrypted": "'x'", "id_number_digest": "md5(g::text)",
                "id_number_masked": "'110105********' || lpad((g %% 10000)::text, 4, '0')",
                "birth_date": "DATE '1960-01-01' + (g %% 15000)::int", "sex": "CASE WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END",
                "unit_id": "u.id", "joined_union_on": "CASE WHEN g %% 10 = 0 THEN NULL ELSE DATE '2000-01-01' + (g %% 5000)::int END",
                "left_on": "CASE WHEN g %% 20 = 7 THEN DATE '2010-03-01' + (g %% 1700)::int END",
                "leaving_reason": "CASE WHEN g %% 20 = 7 THEN 'resigned' ELSE '' END",
                "created_at": "now()", "updated_at": "now()"},
                "generate_series(0, %s - 1) g JOIN bench_units u ON u.n = g %% %s", [sizes["workers"], units])
        workers = _numbered(cursor, "bench_workers", "SELECT id FROM membership_worker")
        # Transfers: one worker in fifty moved into their current unit during 2010–2014, one in five
        # hundred twice (the first move after E names the unit on E).
        _insert(cursor, "membership_workertransfer", {
            "worker_id": "w.id", "from_unit_id": "u.id", "to_unit_id": "w.unit_id",
            "effective_on": "DATE '2010-01-01' + (w.id * 11 %% 1800)::int", "moved_at": "now()"},
            "membership_worker w JOIN bench_units u ON u.n = (w.id * 7) %% %s WHERE w.id %% 50 = 3", [units])
        _insert(cursor, "membership_workertransfer", {
            "worker_id": "w.id", "from_unit_id": "u.id", "to_unit_id": "w.unit_id",
            "effective_on": "DATE '2010-01-01' + (w.id * 11 %% 1800)::int + 200", "moved_at": "now()"},
            "membership_worker w JOIN bench_units u ON u.n = (w.id * 13) %% %s WHERE w.id %% 500 = 3", [units])
        # Completions: training records (80%), class completions (10%, a few a dependant's), courseware (10%).
        records = sizes["completions"] * 8 // 10
        with _bulk(cursor, "courses_trainingrecord"):
            _insert(cursor, "courses_trainingrecord", {
                "worker_id": "w.id", "unit_id": "u.id", "project": "'培训'", "kind": "'skills'", "hours": "8",
                "completed_on": "DATE '2010-01-01' + ((g * 7) %% 1461)::int", "created_at": "now()", "updated_at": "now()"},
                """generate_series(0, %s - 1) g JOIN bench_workers w ON w.n = (g * 3) %% %s
                JOIN bench_units u ON u.n = g %% %s""", [records, workers, units])
        _insert(cursor, "courses_course", {
            "code": "'BC' || g", "title": "'课程' || g", "unit_id": "l.id", "status": "'published'", "hours": "8",
            "credits": "1", "min_attendance_percent": "80", "created_at": "now()", "updated_at": "now()"},
            "generate_series(0, %s - 1) g JOIN bench_level1 l ON l.n = g %% %s", [sizes["courses"], level1])
        courses = _numbered(cursor, "bench_courses", "SELECT id FROM courses_course WHERE code LIKE 'BC%%'")
        _insert(cursor, "courses_teacher", {
            "name": "'教师' || g", "unit_id": "u.id", "is_active": "g %% 5 > 0"},
            "generate_series(0, %s - 1) g JOIN bench_units u ON u.n = (g * 31) %% %s", [sizes["teachers"], units])
        teachers = _numbered(cursor, "bench_teachers", "SELECT id FROM courses_teacher")
        _insert(cursor, "courses_courseclass", {
            "name": "'班' || g", "course_id": "c.id", "unit_id": "u.id",
            "teacher_id": "CASE WHEN g %% 10 > 0 THEN (SELECT id FROM bench_teachers t WHERE t.n = (g * 17) %% %s) END",
            "starts_on": "DATE '2009-10-01' + ((g * 3) %% 1600)::int", "ends_on": "DATE '2009-10-01' + ((g * 3) %% 1600)::int + g %% 90",
            "capacity": "100000", "enrolled_count": "0", "is_open": "false"},
            """generate_series(0, %s - 1) g JOIN bench_courses c ON c.n = g %% %s
            JOIN bench_units u ON u.n = (g * 11) %% %s""", [teachers, sizes["classes"], courses, units])
        classes = _numbered(cursor, "bench_classes", "SELECT id FROM courses_courseclass")
        with _bulk(cursor, "courses_enrolment"):
            _insert(cursor, "courses_enrolment", {
                "worker_id": "w.id", "course_class_id": "k.id", "unit_id": "w.unit_id",
                "status": "CASE WHEN g %% 10 < 8 THEN 'completed' ELSE 'cancelled' END",
                "completed_on": "CASE WHEN g %% 10 < 8 THEN k.ends_on END", "attended_hours": "8", "created_at": "now()"},
                """generate_series(0, %s - 1) g JOIN bench_workers bw ON bw.n = (g * 5 + 1) %% %s
                JOIN membership_worker w ON w.id = bw.id JOIN bench_classes bk ON bk.n = g %% %s
                JOIN courses_courseclass k ON k.id = bk.id""", [sizes["completions"] // 10, workers, classes])
            # EDU-7: a dependant's class is the child's learning, not the parent's.
            _insert(cursor, "courses_dependant", {
                "worker_id": "w.id", "name": "'子女'", "relation": "'child'", "birth_year": "2005", "created_at": "now()"},
                "membership_worker w WHERE w.id %% 100 = 1", [])
            _insert(cursor, "courses_enrolment", {
                "worker_id": "d.worker_id", "dependant_id": "d.id", "course_class_id": "k.id", "unit_id": "w.unit_id",
                "status": "'completed'", "completed_on": "k.ends_on", "attended_hours": "8", "created_at": "now()"},
                """courses_dependant d JOIN membership_worker w ON w.id = d.worker_id
                JOIN bench_classes bk ON bk.n = d.id %% %s JOIN courses_courseclass k ON k.id = bk.id""", [classes])
        with _bulk(cursor, "courses_coursewarecompletion"):
            _insert(cursor, "courses_coursewarecompletion", {
                "worker_id": "w.id", "course_id": "c.id", "unit_id": "u.id",
                "completed_on": "DATE '2010-01-01' + ((g * 5) %% 1461)::int", "created_at": "now()"},
                """generate_series(0, %s - 1) g JOIN bench_workers w ON w.n = g %% %s
                JOIN bench_courses c ON c.n = (g / %s) %% %s JOIN bench_units u ON u.n = g %% %s""",
                [sizes["completions"] // 10, workers, workers, courses, units])
        # Certificates: two workers in five hold one, some two; levels 5 (most) to 1 (few); a fifth expire.
        with _bulk(cursor, "talent_skillcertificate"):
            _insert(cursor, "talent_skillcertificate", {
                "worker_id": "w.id", "unit_id": "u.id", "occupation_id": "o.id",
                "level": "CASE WHEN g %% 100 < 3 THEN 1 WHEN g %% 100 < 10 THEN 2 WHEN g %% 100 < 27 THEN 3 "
                         "WHEN g %% 100 < 60 THEN 4 ELSE 5 END",
                "number": "'C' || g", "issuer": "'鉴定中心'", "issued_on": "DATE '2005-01-01' + ((g * 13) %% 3300)::int",
                "valid_until": "CASE WHEN g %% 5 = 0 THEN DATE '2005-01-01' + ((g * 13) %% 3300)::int + 1000 + g %% 1000 END",
                "created_at": "now()", "updated_at": "now()"},
                """generate_series(0, %s - 1) g JOIN bench_workers w ON w.n = g %% (%s * 3 / 10 + 1)
                JOIN bench_units u ON u.n = g %% %s JOIN bench_occupations o ON o.n = g %% %s""",
                [sizes["certificates"], workers, units, occupations])
        # Studios: city-level (1) or district-level (2), some promoted later, some removed.
        _insert(cursor, "talent_studio", {
            "name": "'工作室' || g", "unit_id": "u.id", "leader_id": "w.id", "public": "true", "created_at": "now()"},
            """generate_series(0, %s - 1) g JOIN bench_units u ON u.n = (g * 37) %% %s
            JOIN bench_workers w ON w.n = (g * 101) %% %s""", [sizes["studios"], units, workers])
        _insert(cursor, "talent_studiorecognition", {
            "studio_id": "s.id", "level": "CASE WHEN s.id %% 5 < 3 THEN 1 ELSE 2 END",
            "recognised_on": "DATE '2009-01-01' + ((s.id * 17) %% 1800)::int",
            "removed_on": "CASE WHEN s.id %% 10 = 0 THEN DATE '2009-01-01' + ((s.id * 17) %% 1800)::int + 300 END",
            "recognised_by": "'市总工会'"}, "talent_studio s", [])
        _insert(cursor, "talent_studiorecognition", {
            "studio_id": "s.id", "level": "1", "recognised_on": "DATE '2009-01-01' + ((s.id * 17) %% 1800)::int + 200",
            "recognised_by": "'市总工会'"}, "talent_studio s WHERE s.id %% 5 = 4", [])
        _insert(cursor, "talent_demonstrationbase", {
            "name": "'示范基地' || g", "unit_id": "u.id", "level": "CASE WHEN g %% 3 = 0 THEN 2 ELSE 1 END",
            "recognised_on": "DATE '2009-01-01' + ((g * 19) %% 1800)::int",
            "revoked_on": "CASE WHEN g %% 10 = 0 THEN DATE '2009-01-01' + ((g * 19) %% 1800)::int + 400 END",
            "public": "true", "created_at": "now()"},
            "generate_series(0, %s - 1) g JOIN bench_units u ON u.n = (g * 41) %% %s", [sizes["bases"], units])
        # Competitions: mostly enterprises', one in ten a district's, one in a hundred the city's own.
        _insert(cursor, "talent_competition", {
            "code": "'BCOMP' || g", "name": "'竞赛' || g", "year": "2010 + g %% 4",
            "level": "CASE WHEN g %% 10 = 0 THEN 'district' ELSE 'enterprise' END",
            "organiser_id": "CASE WHEN g %% 100 = 0 THEN (SELECT id FROM membership_unit WHERE depth = 1) "
                            "WHEN g %% 10 = 0 THEN l.id ELSE u.id END",
            "industry_id": "i.id", "occupation_id": "o.id", "created_at": "now()", "updated_at": "now()"},
            """generate_series(0, %s - 1) g JOIN bench_units u ON u.n = (g * 43) %% %s
            JOIN bench_level1 l ON l.n = g %% %s JOIN bench_industries i ON i.n = (g * 7) %% %s
            JOIN bench_occupations o ON o.n = g %% %s""",
            [sizes["competitions"], units, level1, industries, occupations])
        _insert(cursor, "innovation_achievement", {
            "code": "'BACH' || g", "title": "'成果' || g", "kind": "'technical'", "year": "2010 + g %% 4",
            "unit_id": "u.id", "grade": "(ARRAY['excellent', 'good', 'pass', 'fail', ''])[1 + g %% 5]",
            "created_at": "now()", "updated_at": "now()"},
            "generate_series(0, %s - 1) g JOIN bench_units u ON u.n = (g * 47) %% %s", [sizes["achievements"], units])
        # Proposals in every state, in the shares bench/proposals.py uses.
        _insert(cursor, "innovation_proposal", {
            "code": "'BP' || g", "title": "'建议' || g", "category": "'technical'", "unit_id": "u.id",
            "submitter_id": "w.id", "submitted_on": "DATE '2010-01-01' + ((g * 3) %% 1461)::int",
            "state": "CASE WHEN g %% 50 < 3 THEN 'submitted' WHEN g %% 50 < 7 THEN 'reviewing' "
                     "WHEN g %% 50 < 18 THEN 'rejected' WHEN g %% 50 < 26 THEN 'adopted' WHEN g %% 50 < 33 THEN 'project' "
                     "WHEN g %% 50 < 41 THEN 'implemented' ELSE 'rewarded' END",
            "state_changed_at": "now()", "created_at": "now()"},
            """generate_series(0, %s - 1) g JOIN bench_units u ON u.n = (g * 53) %% %s
            JOIN bench_workers w ON w.n = (g * 59) %% %s""", [sizes["proposals"], units, workers])
        # Funds returns for every unit and year; credit pilots one unit in fifty.
        _insert(cursor, "reporting_fundsreturn", {
            "unit_id": "u.id", "year": "y", "payroll": "1000 + u.n %% 5000",
            "extracted": "(1000 + u.n %% 5000) * (0.012 + (u.n %% 14) / 1000.0)",
            "spent": "10", "frontline": "5 + u.n %% 6", "updated_at": "now()"},
            "bench_units u CROSS JOIN generate_series(2010, 2013) y", [])
        _insert(cursor, "courses_creditpilot", {"unit_id": "u.id", "year": "2008 + u.n %% 7"},
                "bench_units u WHERE u.n %% 50 = 0", [])
        # Learning organisations: two units in three started in 2010–2012, one in seven revoked in 2013.
        _insert(cursor, "reporting_learningorgstatus", {
            "unit_id": "u.id", "year": "2010 + u.n %% 3",
            "status": "CASE WHEN u.n %% 5 = 0 THEN 'named' ELSE 'building' END", "updated_at": "now()"},
            "bench_units u WHERE u.n %% 3 > 0", [])
        _insert(cursor, "reporting_learningorgstatus", {
            "unit_id": "u.id", "year": "2013", "status": "'revoked'", "updated_at": "now()"},
            "bench_units u WHERE u.n %% 3 > 0 AND u.n %% 7 = 0", [])
        _insert(cursor, "reporting_campaignyear", {"unit_id": "l.id", "year": "y", "active": "(l.n + y) %% 3 > 0"},
                "bench_level1 l CROSS JOIN generate_series(2010, 2013) y", [])
        cursor.execute("DELETE FROM bench_marker")
        cursor.execute("INSERT INTO bench_marker VALUES (%s)", [f"{scale}/2"])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
    return sizes


# Each indicator written by hand the obvious way in PostgreSQL, for 2010–2013 and a grouping
# length (%(len)s: 4 the city, 8 the level-1 units): rows (group, year, numerator, denominator).
YEARS_CTE = "yr AS (SELECT y, make_date(y, 1, 1) AS s, make_date(y, 12, 31) AS e FROM generate_series(2010, 2013) y)"
# P(Y) by the unit each worker belonged to on E: the first move after E names it.
BASE_CTE = YEARS_CTE + """,
    moved AS (
        SELECT DISTINCT ON (t.worker_id, yr.y) t.worker_id, yr.y, t.from_unit_id
        FROM membership_workertransfer t JOIN yr ON t.effective_on > yr.e
        WHERE t.to_unit_id IS NOT NULL ORDER BY t.worker_id, yr.y, t.effective_on, t.id),
    base AS (
        SELECT w.id AS worker_id, yr.y, COALESCE(m.from_unit_id, w.unit_id) AS unit_id
        FROM membership_worker w
        JOIN yr ON (w.joined_union_on IS NULL OR w.joined_union_on <= yr.e) AND (w.left_on IS NULL OR w.left_on > yr.e)
        LEFT JOIN moved m ON m.worker_id = w.id AND m.y = yr.y)"""
LEVEL_SHARE = f"""
    WITH {BASE_CTE},
    levels AS (
        SELECT c.worker_id, yr.y, min(c.level) AS level FROM talent_skillcertificate c
        JOIN yr ON c.issued_on <= yr.e AND (c.valid_until IS NULL OR c.valid_until >= yr.e) GROUP BY 1, 2)
    SELECT substr(u.path, 1, %(len)s), b.y, count(*) FILTER (WHERE l.level <= %(best)s), count(*)
    FROM base b JOIN levels l ON l.worker_id = b.worker_id AND l.y = b.y JOIN membership_unit u ON u.id = b.unit_id
    GROUP BY 1, 2"""
PROPOSALS = """
    SELECT substr(u.path, 1, %(len)s), extract(year FROM p.submitted_on)::int,
           count(*) FILTER (WHERE p.state IN {numerator}), count(*) FILTER (WHERE p.state IN {denominator})
    FROM innovation_proposal p JOIN membership_unit u ON u.id = p.unit_id
    WHERE p.submitted_on BETWEEN '2010-01-01' AND '2013-12-31' GROUP BY 1, 2"""
ADOPTED = "('adopted', 'project', 'implemented', 'rewarded')"
PLAIN = {
    "IND-STUDIOS": f"""
        WITH {YEARS_CTE}
        SELECT substr(u.path, 1, %(len)s), yr.y, count(DISTINCT s.id), NULL
        FROM talent_studio s JOIN membership_unit u ON u.id = s.unit_id
        JOIN talent_studiorecognition r ON r.studio_id = s.id AND r.level = 1
        JOIN yr ON r.recognised_on <= yr.e AND (r.removed_on IS NULL OR r.removed_on > yr.e)
        GROUP BY 1, 2""",
    "IND-BASES": f"""
        WITH {YEARS_CTE}
        SELECT substr(u.path, 1, %(len)s), yr.y, count(*), NULL
        FROM talent_demonstrationbase b JOIN membership_unit u ON u.id = b.unit_id
        JOIN yr ON b.recognised_on <= yr.e AND (b.revoked_on IS NULL OR b.revoked_on > yr.e)
        WHERE b.level = 1 GROUP BY 1, 2""",
    "IND-COMP-INDUSTRIES": """
        SELECT substr(u.path, 1, %(len)s), c.year, count(DISTINCT c.industry_id), NULL
        FROM talent_competition c JOIN membership_unit u ON u.id = c.organiser_id
        WHERE c.year BETWEEN 2010 AND 2013 GROUP BY 1, 2""",
    "IND-EXCELLENT-ACHIEVEMENTS": """
        SELECT substr(u.path, 1, %(len)s), a.year, count(*), NULL
        FROM innovation_achievement a JOIN membership_unit u ON u.id = a.unit_id
        WHERE a.year BETWEEN 2010 AND 2013 AND a.grade = 'excellent' GROUP BY 1, 2""",
    "IND-HIGH-SKILL-SHARE": LEVEL_SHARE.replace("%(best)s", "3"),
    "IND-TECHNICIAN-SHARE": LEVEL_SHARE.replace("%(best)s", "2"),
    "IND-TRAINED-SHARE": f"""
        WITH {BASE_CTE},
        done AS (
            SELECT worker_id, extract(year FROM completed_on)::int AS y FROM courses_trainingrecord
             WHERE completed_on BETWEEN '2010-01-01' AND '2013-12-31'
            UNION
            SELECT worker_id, extract(year FROM completed_on)::int FROM courses_enrolment
             WHERE status = 'completed' AND dependant_id IS NULL AND completed_on BETWEEN '2010-01-01' AND '2013-12-31'
            UNION
            SELECT worker_id, extract(year FROM completed_on)::int FROM courses_coursewarecompletion
             WHERE completed_on BETWEEN '2010-01-01' AND '2013-12-31')
        SELECT substr(u.path, 1, %(len)s), b.y, count(d.worker_id), count(*)
        FROM base b JOIN membership_unit u ON u.id = b.unit_id
        LEFT JOIN done d ON d.worker_id = b.worker_id AND d.y = b.y
        GROUP BY 1, 2""",
    "IND-LEARNING-ORG-RATE": """
        SELECT substr(u.path, 1, %(len)s), y.y,
               count(*) FILTER (WHERE (SELECT s.status FROM reporting_learningorgstatus s WHERE s.unit_id = u.id
                                        AND s.year <= y.y ORDER BY s.year DESC LIMIT 1) IN ('building', 'named')),
               count(*)
        FROM membership_unit u CROSS JOIN generate_series(2010, 2013) y(y)
        WHERE u.depth >= 3 AND (u.founded_on IS NULL OR u.founded_on <= make_date(y.y, 12, 31))
        GROUP BY 1, 2""",
    "IND-CAMPAIGN-COVERAGE": """
        SELECT substr(u.path, 1, %(len)s), y.y, count(c.id) FILTER (WHERE c.active), count(*)
        FROM membership_unit u CROSS JOIN generate_series(2010, 2013) y(y)
        LEFT JOIN reporting_campaignyear c ON c.unit_id = u.id AND c.year = y.y WHERE u.depth = 2 GROUP BY 1, 2""",
    "IND-TEACHERS": f"""
        WITH {YEARS_CTE},
        taught AS (
            SELECT DISTINCT k.teacher_id, yr.y FROM courses_courseclass k
            JOIN yr ON k.starts_on <= yr.e AND k.ends_on >= yr.s WHERE k.teacher_id IS NOT NULL)
        SELECT substr(u.path, 1, %(len)s), x.y, count(*), NULL
        FROM taught x JOIN courses_teacher t ON t.id = x.teacher_id JOIN membership_unit u ON u.id = t.unit_id
        GROUP BY 1, 2
        UNION ALL
        SELECT substr(u.path, 1, %(len)s), yr.y, count(*), NULL
        FROM courses_teacher t JOIN membership_unit u ON u.id = t.unit_id CROSS JOIN yr
        WHERE t.is_active AND yr.y NOT IN (SELECT y FROM taught) GROUP BY 1, 2""",
    "IND-CREDIT-PILOTS": """
        SELECT substr(u.path, 1, %(len)s), p.year, count(*), NULL FROM courses_creditpilot p
        JOIN membership_unit u ON u.id = p.unit_id WHERE p.year BETWEEN 2010 AND 2013 GROUP BY 1, 2""",
    "IND-FUND-EXTRACTION": """
        SELECT substr(u.path, 1, %(len)s), f.year, count(*) FILTER (WHERE f.extracted * 1000 >= f.payroll * 15), count(*)
        FROM reporting_fundsreturn f JOIN membership_unit u ON u.id = f.unit_id WHERE f.year BETWEEN 2010 AND 2013
        GROUP BY 1, 2""",
    "IND-FUND-FRONTLINE": """
        SELECT substr(u.path, 1, %(len)s), f.year, sum(f.frontline), sum(f.spent)
        FROM reporting_fundsreturn f JOIN membership_unit u ON u.id = f.unit_id WHERE f.year BETWEEN 2010 AND 2013
        GROUP BY 1, 2""",
    "IND-PROPOSAL-ADOPTION": PROPOSALS.format(
        numerator=ADOPTED, denominator="('rejected', 'adopted', 'project', 'implemented', 'rewarded')"),
    "IND-PROPOSAL-IMPLEMENTATION": PROPOSALS.format(numerator="('implemented', 'rewarded')", denominator=ADOPTED),
}


def _city_and_level1():
    from membership.models import Unit

    city = Unit.objects.get(depth=1)
    return city, {len(city.path): city.path, 2 * Unit.steplen: city.path}


def time_plain() -> tuple[dict[str, float], dict[tuple[str, int, str, int], tuple]]:
    """Each indicator's plain queries (city, then level-1 units): seconds, and every figure."""
    from django.db import connection

    _city, lengths = _city_and_level1()
    each, figures = {}, {}
    for code, sql in PLAIN.items():
        started = time.monotonic()
        with connection.cursor() as cursor:
            for length in lengths:
                cursor.execute(sql.replace("%(len)s", str(length)))
                for group, year, numerator, denominator in cursor.fetchall():
                    figures[(code, length, group, int(year))] = (numerator, denominator)
        each[code] = time.monotonic() - started
    return each, figures


def time_formulas() -> dict[str, float]:
    """Each indicator's formula for the groupings the nightly run computes (reporting.services)."""
    from reporting import formulas

    city, lengths = _city_and_level1()
    each = {}
    for code in PLAIN:
        started = time.monotonic()
        if hasattr(formulas, "compute_with_total"):
            formulas.compute_with_total(code, formulas.Grouping(length=max(lengths), within=city.path), YEARS)
        else:  # the formulas before the city was added up from the level-1 units
            for length, within in lengths.items():
                formulas.compute(code, formulas.Grouping(length=length, within=within), YEARS)
        each[code] = time.monotonic() - started
    return each


def check_stored(run, figures) -> int:
    """Every value the run stored equals the plain query's numbers; returns how many were compared."""
    from reporting.models import IndicatorValue

    compared, wrong = 0, []
    for value in IndicatorValue.objects.filter(run=run).select_related("indicator", "unit"):
        plain = figures.get((value.indicator.formula, len(value.unit.path), value.unit.path, value.year))
        numerator, denominator = plain if plain is not None else (0, 0)
        expected = (Decimal(numerator or 0), None if value.denominator is None else Decimal(denominator or 0))
        if (value.numerator, value.denominator) != expected:
            wrong.append((value.indicator.formula, value.unit.code, value.year, (value.numerator, value.denominator),
                          expected))
        compared += 1
    if wrong:
        raise SystemExit(f"{len(wrong)} stored values differ from the plain queries, e.g. {wrong[:5]}")
    return compared


def time_drill_down(user, year: int) -> tuple[str, dict[str, tuple[float, str]], dict[str, float]]:
    """Each indicator's drill-down into the level-1 unit with the most units, as the page computes it
    (with where its figures came from), and, for the formulas of which the run keeps each unit's
    figures, the same figures computed now from the records (which must be equal: nothing changed
    since the run)."""
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from membership.models import Unit
    from reporting import formulas, selectors
    from reporting.models import Indicator

    district = max(Unit.objects.filter(depth=2), key=lambda unit: Unit.objects.filter(
        path__startswith=unit.path).aggregate(n=Count("id"))["n"])
    plan = selectors.current_plan()
    each, live = {}, {}
    client = Client(HTTP_HOST="127.0.0.1")  # a host of the bench's ALLOWED_HOSTS
    client.force_login(user)
    for indicator in Indicator.objects.filter(plan=plan).order_by("position", "code"):
        # The page a leader opens (its first page of units), then the figures alone.
        started = time.monotonic()
        response = client.get(reverse("reporting:indicator", args=[indicator.code, district.pk, year]))
        page = time.monotonic() - started
        if response.status_code != 200:
            raise SystemExit(f"drill-down page {indicator.code}: {response.status_code}")
        started = time.monotonic()
        children, source = selectors.children_figures(indicator=indicator, unit=district, year=year, user=user)
        each[indicator.code] = (time.monotonic() - started, f"page {page * 1000:6.1f} ms; "
                                + (f"run #{source.pk}'s unit figures" if source else "computed now"))
        if indicator.formula in formulas.BY_UNIT:
            started = time.monotonic()
            computed = formulas.compute(indicator.formula, formulas.Grouping(len(district.path) + Unit.steplen,
                                                                              district.path), [year])
            live[indicator.code] = time.monotonic() - started
            by_path = {figure.group: figure for figure in computed}
            for child in children:
                figure = by_path.get(child.unit.path)
                expected = (figure.numerator, figure.denominator) if figure else (0, 0)
                if (child.numerator, child.denominator) != expected:
                    raise SystemExit(f"drill-down {indicator.code} {child.unit.code}: kept {child.numerator}/"
                                     f"{child.denominator}, computed now {expected}")
    return f"{district.name} ({district.numchild} units below it)", each, live


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("P95_MS %.2f\\n", latency:percentile(95) / 1000))
  io.write(string.format("P99_MS %.2f\\n", latency:percentile(99) / 1000))
end
"""


def _leader_session():
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from membership import scoping
    from membership.models import Unit

    user, _ = get_user_model().objects.get_or_create(username="bench-leader", defaults={
        "is_staff": True, "unit": Unit.objects.get(depth=1)})
    user.groups.add(Group.objects.get(name=scoping.LEADERSHIP_GROUP))
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[-1]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return user, session.session_key


def _wrk(url: str, cookie: str, duration: int, script: str) -> str:
    output = subprocess.run(["wrk", "-t2", "-c16", f"-d{duration}s", "--latency", "-s", script, "-H",
                             f"Cookie: sessionid={cookie}", url], capture_output=True, text=True).stdout
    requests = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"50%\s+([\d.]+\w+)", output)
    p95 = re.search(r"P95_MS ([\d.]+)", output)
    p99 = re.search(r"P99_MS ([\d.]+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return (f"{requests.group(1) if requests else '?'} req/s, p50 {p50.group(1) if p50 else '?'}, "
            f"p95 {p95.group(1) if p95 else '?'}ms, p99 {p99.group(1) if p99 else '?'}ms"
            + (f", {non2xx.group(1)} non-2xx!" if non2xx else ""))


def wrk_pages(session_key: str, duration: int) -> dict[str, str]:
    """The leadership page and a bare view, each under wrk with 16 connections, on one gunicorn."""
    if not shutil.which("wrk"):
        return {"page": "wrk is not installed (apt-get install wrk): page not measured"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
                               "--workers", "2", "--log-level", "warning"], cwd=ROOT, env=ENV)
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                request = urllib.request.Request(f"{base}/reporting/", headers={"Cookie": f"sessionid={session_key}"})
                if urllib.request.urlopen(request, timeout=5).status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        try:
            return {"bare view /bench/bare": _wrk(f"{base}/bench/bare", session_key, duration, script.name),
                    "leadership page /reporting/": _wrk(f"{base}/reporting/", session_key, duration, script.name)}
        finally:
            os.unlink(script.name)
    finally:
        server.terminate()
        server.wait(10)


def time_pages_only(duration: int) -> None:
    """The page reads stored values, so its cost hardly depends on the scale or on which run: one
    complete run is enough, made if there is none."""
    from reporting import selectors, services
    from reporting.models import Run

    if selectors.last_complete_run() is None:
        services.run_compute(trigger=Run.Trigger.COMMAND, years=YEARS)
    _user, session_key = _leader_session()
    for name, figure in wrk_pages(session_key, duration).items():
        print(f"{name}, wrk -t2 -c16 -d{duration}s: {figure}" + (" (target p95 < 50 ms)" if "reporting" in name else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per address")
    parser.add_argument("--seed-only", action="store_true", help="seed the database for the scale, time nothing")
    parser.add_argument("--pages-only", action="store_true",
                        help="time only the leadership page and the bare view (after one run if none is complete)")
    args = parser.parse_args()
    ensure_database()
    setup_django()
    sizes = seed(args.scale)
    if args.seed_only:
        print(f"seeded at scale {args.scale}: {sizes}")
        return
    if args.pages_only:
        time_pages_only(args.duration)
        return
    from django.conf import settings
    from django.db import connection

    from reporting import services
    from reporting.models import Run

    # The plain queries and the formulas timed alone get the memory the nightly run gives itself.
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = %s", [settings.REPORTING_WORK_MEM])
    print(f"work_mem {settings.REPORTING_WORK_MEM} (REPORTING_WORK_MEM) for the run and the plain queries", flush=True)
    plain_each, figures = time_plain()
    formula_each = time_formulas()
    connections = settings.REPORTING_RUN_CONNECTIONS
    started = time.monotonic()
    run = services.run_compute(trigger=Run.Trigger.COMMAND, years=YEARS)
    full = time.monotonic() - started
    compared = check_stored(run, figures)
    # The same run on one connection, for the figure a one-core database server would see.
    settings.REPORTING_RUN_CONNECTIONS = 1
    started = time.monotonic()
    alone = services.run_compute(trigger=Run.Trigger.COMMAND, years=YEARS)
    full_alone = time.monotonic() - started
    settings.REPORTING_RUN_CONNECTIONS = connections
    check_stored(alone, figures)
    started = time.monotonic()
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2013])
    one_year = time.monotonic() - started
    user, session_key = _leader_session()
    district, drill, drill_live = time_drill_down(user, 2013)
    pages = wrk_pages(session_key, args.duration)

    plain_total, formula_total = sum(plain_each.values()), sum(formula_each.values())
    print(f"\nindicators at scale {args.scale}: {sizes}")
    print(f"{'indicator':30} {'ours':>9} {'plain':>9} {'ratio':>7}   (city and level-1 units, {YEARS[0]}–{YEARS[-1]})")
    for code in PLAIN:
        print(f"{code:30} {formula_each[code]:8.2f}s {plain_each[code]:8.2f}s {formula_each[code] / max(plain_each[code], 1e-6):6.2f}×")
    print(f"{'total':30} {formula_total:8.2f}s {plain_total:8.2f}s {formula_total / max(plain_total, 1e-6):6.2f}×")
    print(f"stored values equal to the plain queries': {compared} compared, all equal")
    print(f"full run (run_compute, {run.values_written} values, {connections} connections, REPORTING_RUN_CONNECTIONS): "
          f"{full:.2f} s; plain queries summed: {plain_total:.2f} s; ratio {full / max(plain_total, 1e-6):.2f}× "
          f"(target ≤ 2×, < 60 s)")
    print(f"full run on one connection: {full_alone:.2f} s, ratio {full_alone / max(plain_total, 1e-6):.2f}×")
    print(f"one year's refresh ({connections} connections): {one_year:.2f} s (target < 15 s)")
    print(f"drill-down into {district}, 2013, per indicator: the units' figures as the page computes them, "
          f"and the whole page (target < 500 ms each):")
    for code, (seconds, source) in drill.items():
        print(f"  {code:30} {seconds * 1000:8.1f} ms  {source}")
    print(f"  {'slowest':30} {max(seconds for seconds, _source in drill.values()) * 1000:8.1f} ms")
    print("  the same units' figures computed now from the records, for comparison (equal, checked):")
    for code, seconds in drill_live.items():
        print(f"  {code:30} {seconds * 1000:8.1f} ms")
    for name, figure in pages.items():
        print(f"{name}, wrk -t2 -c16 -d{args.duration}s: {figure}" + (" (target p95 < 50 ms)" if "reporting" in name else ""))


if __name__ == "__main__":
    main()
