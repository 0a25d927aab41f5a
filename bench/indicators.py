"""The nightly indicator run at city scale (issue 11): a full run and a one-year refresh against the
same figures written by hand as plain SQL, and the leadership page under wrk, in one run.

    python bench/indicators.py                 # the city: 5,000,000 workers, 20,000,000 completions …
    python bench/indicators.py --scale 0.05    # a quick look at 5% of it

It creates the database `portal_bench_indicators` on the local PostgreSQL and seeds it once per
scale with set-based SQL (generate_series; the rows are realistic in shape, not in content): 100,000
units under the level-1 units, workers with join dates, training completions over 2010–2013, funds
returns, learning-organisation statuses, and whatever the talent and innovation tables hold when
their seeders are listed in SEEDERS. Then it times:

- the full run (every indicator, city and level-1 units, 2010–2013) through reporting.services;
- the one-year refresh (2013 only);
- each indicator's figures written by hand as one plain SQL query per grouping, summed;
- the leadership page (/reporting/) from stored values under wrk, 16 connections, as `leader`.

Targets: full run ≤ 2× the plain queries and < 60 s; one year < 15 s; the page's p95 < 50 ms.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("BENCH_INDICATORS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_indicators")
PORT = 8766
ENV = {
    **os.environ, "DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "bench.settings_bench", "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40, "ID_NUMBER_KEY": "YmVuY2gtb25seS1rZXktYmVuY2gtb25seS1rZXktMDA=",
    "ALLOWED_HOSTS": "127.0.0.1,localhost", "CONN_MAX_AGE": "600",
}
ENV.pop("REDIS_URL", None)
CITY = {"units": 100_000, "workers": 5_000_000, "completions": 20_000_000}


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


def seed(scale: float) -> dict:
    from django.db import connection, transaction

    from membership.models import Unit
    from membership.seed import seed_groups, seed_unit_tree

    sizes = {key: max(int(value * scale), 10) for key, value in CITY.items()}
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_marker (scale text)")
        cursor.execute("SELECT scale FROM bench_marker")
        row = cursor.fetchone()
        if row and row[0] == str(scale):
            return sizes
    print(f"seeding {sizes} …", flush=True)
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("reporting_indicatorvalue", "reporting_run", "reporting_fundsreturn", "reporting_learningorgstatus",
                      "reporting_campaignyear", "courses_trainingrecord", "membership_worker"):
            cursor.execute(f"TRUNCATE {table} CASCADE")
        cursor.execute("DELETE FROM membership_unit WHERE depth > 2")
        seed_unit_tree()
        seed_groups()
        level1 = list(Unit.objects.filter(depth=2).order_by("path").values_list("path", flat=True))
        # Units: enterprise and street unions spread over the level-1 units, a tenth founded in a plan year.
        columns, select = _filler(cursor, "membership_unit", {
            "path": "l.path || lpad(upper(to_hex(g / %s + 1)), 4, '0')", "depth": "3", "numchild": "0",
            "code": "'B' || g", "name": "'企业工会' || g", "kind": "CASE WHEN g %% 7 = 0 THEN 'street_union' ELSE 'enterprise_union' END",
            "founded_on": "CASE WHEN g %% 10 = 0 THEN DATE '2010-01-01' + (g %% 1400) END",
            "created_at": "now()", "updated_at": "now()"})
        cursor.execute(f"""INSERT INTO membership_unit ({columns})
            SELECT {select} FROM generate_series(0, %s - 1) g
            JOIN (SELECT path, row_number() OVER (ORDER BY path) - 1 AS n FROM membership_unit WHERE depth = 2) l
              ON l.n = g %% %s""", [len(level1), sizes["units"], len(level1)])
        cursor.execute("""UPDATE membership_unit p SET numchild = c.n FROM (
            SELECT substr(path, 1, 8) AS parent, count(*) AS n FROM membership_unit WHERE depth = 3 GROUP BY 1) c
            WHERE p.path = c.parent""")
        cursor.execute("CREATE TEMP TABLE bench_units AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n "
                       "FROM membership_unit WHERE depth = 3")
        cursor.execute("CREATE INDEX ON bench_units (n)")
        # Workers: joined before or during the plan, a tenth with no date.
        columns, select = _filler(cursor, "membership_worker", {
            "name": "'职工' || g", "id_number_encrypted": "'x'", "id_number_digest": "md5(g::text)",
            "id_number_masked": "'110105********' || lpad((g %% 10000)::text, 4, '0')",
            "birth_date": "DATE '1960-01-01' + (g %% 15000)", "sex": "CASE WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END",
            "unit_id": "u.id", "joined_union_on": "CASE WHEN g %% 10 = 0 THEN NULL ELSE DATE '2000-01-01' + (g %% 5000) END",
            "created_at": "now()", "updated_at": "now()"})
        cursor.execute(f"""INSERT INTO membership_worker ({columns})
            SELECT {select} FROM generate_series(0, %s - 1) g JOIN bench_units u ON u.n = g %% %s""",
                       [sizes["workers"], sizes["units"]])
        cursor.execute("SELECT min(id) FROM membership_worker")
        first_worker = cursor.fetchone()[0]
        # Completions over 2010–2013, each by a worker of its unit.
        columns, select = _filler(cursor, "courses_trainingrecord", {
            "worker_id": "%s + (g %% %s)", "unit_id": "u.id", "project": "'培训'", "kind": "'skills'", "hours": "8",
            "completed_on": "DATE '2010-01-01' + ((g * 7) %% 1461)", "created_at": "now()", "updated_at": "now()"})
        cursor.execute(f"""INSERT INTO courses_trainingrecord ({columns})
            SELECT {select} FROM generate_series(0, %s - 1) g JOIN bench_units u ON u.n = (g %% %s) %% %s""",
                       [first_worker, sizes["workers"], sizes["completions"], sizes["workers"], sizes["units"]])
        # Funds returns and learning organisations for every unit and year.
        columns, select = _filler(cursor, "reporting_fundsreturn", {
            "unit_id": "u.id", "year": "y", "payroll": "1000 + u.n %% 5000", "extracted": "(1000 + u.n %% 5000) * (0.012 + (u.n %% 14) / 1000.0)",
            "spent": "10", "frontline": "5 + u.n %% 6", "updated_at": "now()"})
        cursor.execute(f"""INSERT INTO reporting_fundsreturn ({columns})
            SELECT {select} FROM bench_units u CROSS JOIN generate_series(2010, 2013) y""", [])
        columns, select = _filler(cursor, "reporting_learningorgstatus", {
            "unit_id": "u.id", "year": "2010 + u.n %% 4", "status": "CASE WHEN u.n %% 5 = 0 THEN 'named' ELSE 'building' END",
            "updated_at": "now()"})
        cursor.execute(f"INSERT INTO reporting_learningorgstatus ({columns}) SELECT {select} FROM bench_units u WHERE u.n %% 3 > 0", [])
        for seeder in SEEDERS:
            seeder(cursor, sizes)
        cursor.execute("DELETE FROM bench_marker")
        cursor.execute("INSERT INTO bench_marker VALUES (%s)", [str(scale)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
    return sizes


# Talent and innovation add their tables' seeders here: (cursor, sizes) -> None.
SEEDERS: list = []


# The same figures as reporting.formulas, written by hand the obvious way: (name, sql per grouping length).
PLAIN = {
    "IND-TRAINED-SHARE": """
        SELECT substr(u.path, 1, %(len)s), y.y, count(DISTINCT t.worker_id), count(DISTINCT w.id)
        FROM generate_series(2010, 2013) y(y)
        JOIN membership_worker w ON w.joined_union_on IS NULL OR w.joined_union_on <= make_date(y.y, 12, 31)
        JOIN membership_unit u ON u.id = w.unit_id
        LEFT JOIN courses_trainingrecord t ON t.worker_id = w.id
             AND t.completed_on BETWEEN make_date(y.y, 1, 1) AND make_date(y.y, 12, 31)
        GROUP BY 1, 2""",
    "IND-LEARNING-ORG-RATE": """
        SELECT substr(u.path, 1, %(len)s), y.y,
               count(*) FILTER (WHERE (SELECT s.status FROM reporting_learningorgstatus s WHERE s.unit_id = u.id
                                        AND s.year <= y.y ORDER BY s.year DESC LIMIT 1) IN ('building', 'named')),
               count(*)
        FROM membership_unit u CROSS JOIN generate_series(2010, 2013) y(y)
        WHERE u.depth >= 3 AND (u.founded_on IS NULL OR u.founded_on <= make_date(y.y, 12, 31))
        GROUP BY 1, 2""",
    "IND-FUND-EXTRACTION": """
        SELECT substr(u.path, 1, %(len)s), f.year, count(*) FILTER (WHERE f.extracted * 1000 >= f.payroll * 15), count(*)
        FROM reporting_fundsreturn f JOIN membership_unit u ON u.id = f.unit_id WHERE f.year BETWEEN 2010 AND 2013
        GROUP BY 1, 2""",
    "IND-FUND-FRONTLINE": """
        SELECT substr(u.path, 1, %(len)s), f.year, sum(f.frontline), sum(f.spent)
        FROM reporting_fundsreturn f JOIN membership_unit u ON u.id = f.unit_id WHERE f.year BETWEEN 2010 AND 2013
        GROUP BY 1, 2""",
    "IND-CAMPAIGN-COVERAGE": """
        SELECT substr(u.path, 1, %(len)s), y.y, count(c.id) FILTER (WHERE c.active), count(*)
        FROM membership_unit u CROSS JOIN generate_series(2010, 2013) y(y)
        LEFT JOIN reporting_campaignyear c ON c.unit_id = u.id AND c.year = y.y WHERE u.depth = 2 GROUP BY 1, 2""",
    "IND-CREDIT-PILOTS": """
        SELECT substr(u.path, 1, %(len)s), p.year, count(*), NULL FROM courses_creditpilot p
        JOIN membership_unit u ON u.id = p.unit_id WHERE p.year BETWEEN 2010 AND 2013 GROUP BY 1, 2""",
    "IND-TEACHERS": """
        SELECT substr(u.path, 1, %(len)s), y.y, count(DISTINCT t.id), NULL FROM courses_teacher t
        JOIN membership_unit u ON u.id = t.unit_id CROSS JOIN generate_series(2010, 2013) y(y)
        WHERE t.is_active GROUP BY 1, 2""",
}


def time_plain() -> tuple[float, dict[str, float]]:
    from django.db import connection

    each = {}
    for code, sql in PLAIN.items():
        started = time.monotonic()
        with connection.cursor() as cursor:
            for length in (4, 8):
                cursor.execute(sql.replace("%(len)s", str(length)))
                cursor.fetchall()
        each[code] = time.monotonic() - started
    return sum(each.values()), each


def time_formulas(years) -> dict[str, float]:
    from reporting import formulas

    each = {}
    for code in PLAIN:
        started = time.monotonic()
        for length in (4, 8):
            formulas.compute(code, formulas.Grouping(length=length, within="0001"), years)
        each[code] = time.monotonic() - started
    return each


def wrk_page(duration: int) -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from membership import scoping
    from membership.models import Unit

    user, _ = get_user_model().objects.get_or_create(username="bench-leader", defaults={
        "is_staff": True, "unit": Unit.objects.get(depth=1)})
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=scoping.LEADERSHIP_GROUP))
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    if not shutil.which("wrk"):
        return "wrk is not installed (apt-get install wrk): page not measured"
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
                               "--workers", "2", "--log-level", "warning"], cwd=ROOT, env=ENV)
    try:
        url = f"http://127.0.0.1:{PORT}/reporting/"
        for _ in range(100):
            try:
                request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session.session_key}"})
                if urllib.request.urlopen(request, timeout=5).status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        output = subprocess.run(["wrk", "-t2", "-c16", f"-d{duration}s", "--latency", "-H",
                                 f"Cookie: sessionid={session.session_key}", url],
                                capture_output=True, text=True).stdout
        requests = re.search(r"Requests/sec:\s+([\d.]+)", output)
        p90 = re.search(r"90%\s+([\d.]+\w+)", output)
        p99 = re.search(r"99%\s+([\d.]+\w+)", output)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        return (f"{requests.group(1) if requests else '?'} req/s, p90 {p90.group(1) if p90 else '?'}, "
                f"p99 {p99.group(1) if p99 else '?'} (wrk prints p90 and p99; p95 lies between)"
                + (f", {non2xx.group(1)} non-2xx!" if non2xx else ""))
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk")
    args = parser.parse_args()
    ensure_database()
    setup_django()
    sizes = seed(args.scale)
    from reporting import services
    from reporting.models import Run

    plain_total, plain_each = time_plain()
    formula_each = time_formulas(list(range(2010, 2014)))
    started = time.monotonic()
    run = services.run_compute(trigger=Run.Trigger.COMMAND, years=list(range(2010, 2014)))
    full = time.monotonic() - started
    started = time.monotonic()
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2013])
    one_year = time.monotonic() - started
    print(f"\nindicators at scale {args.scale}: {sizes}")
    print(f"{'indicator':32} {'plain SQL':>10} {'formula':>10} {'ratio':>7}")
    for code in PLAIN:
        print(f"{code:32} {plain_each[code]:9.2f}s {formula_each[code]:9.2f}s {formula_each[code] / max(plain_each[code], 1e-6):6.2f}×")
    print(f"full run (all indicators, {run.values_written} values): {full:.2f} s; plain queries summed: "
          f"{plain_total:.2f} s; ratio {full / max(plain_total, 1e-6):.2f}× (target ≤ 2×, < 60 s)")
    print(f"one year's refresh: {one_year:.2f} s (target < 15 s)")
    print(f"leadership page, 16 connections: {wrk_page(args.duration)} (target p95 < 50 ms)")


if __name__ == "__main__":
    main()
