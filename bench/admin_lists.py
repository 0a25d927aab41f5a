"""Admin lists at city scale (issue 13, MEM-2): the worker changelist and the lists of training
records, enrolments and the credit ledger, for a district officer and for municipal staff, against
a bare admin page from the same gunicorn server, with wrk, in one run.

    python bench/admin_lists.py                          # the city: 5,000,000 workers
    python bench/admin_lists.py --workers 500000 --duration 5

It creates the database `portal_bench_lists` on the local PostgreSQL and seeds it once per size
with set-based SQL (INSERT … SELECT generate_series; bench/indicators.py's column filler): level-3
and level-4 units under the level-1 units, the district 朝阳 holding 4% of them and so 4% of the
workers (runs of 50 consecutive ids per unit, as uploads per unit leave them), one training record
and one credit-ledger entry per worker and an enrolment for every second worker. The audit
triggers are switched off while seeding only (session_replication_role): the trail is not what
these lists read. Then it logs in two officers (a session each, sent by a wrk Lua script with the
CSRF cookie) and times, per list: the first page, a later page (?p=50), a search by name and, for
workers, a filter by a unit's subtree, printing p50/p95 (from wrk's own histogram, through the Lua
``done`` hook), requests per second and the ratio to the bare admin page.

Targets: each p95 under 300 ms for the district and under 500 ms for the city.
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
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_LISTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_lists")
PORT = int(os.environ.get("BENCH_LISTS_PORT", "8610"))
ENV = {
    **os.environ, "DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "bench.settings_bench", "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40, "ID_NUMBER_KEY": "YmVuY2gtb25seS1rZXktYmVuY2gtb25seS1rZXktMDA=",
    "ALLOWED_HOSTS": "127.0.0.1,localhost", "CONN_MAX_AGE": "600",
}
ENV.pop("REDIS_URL", None)
DISTRICT_CODE = "110105"  # 朝阳
WORKERS_PER_UNIT = 50
CHILDREN_PER_UNIT = 20  # level-4 units under each level-3 unit
SEARCH = "张伟"
# Realistic names: a surname and one or two given-name characters (seed.SURNAMES, seed.GIVEN).
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志海燕"


def setup_django():
    os.environ.update(ENV)
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


def seed(workers: int) -> dict:
    from django.db import connection, transaction

    from bench.indicators import _filler
    from membership.seed import seed_groups, seed_unit_tree

    units4 = max(workers // WORKERS_PER_UNIT, 25 * CHILDREN_PER_UNIT)
    units3 = max(units4 // CHILDREN_PER_UNIT, 25)
    units4 = units3 * CHILDREN_PER_UNIT
    sizes = {"workers": workers, "units": units3 + units4, "training records": workers, "credit entries": workers,
             "enrolments": workers // 2}
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_lists_marker (workers bigint)")
        cursor.execute("SELECT workers FROM bench_lists_marker")
        row = cursor.fetchone()
        if row and row[0] == workers:
            return sizes
    print(f"seeding {sizes} …", flush=True)
    started = time.monotonic()
    seed_unit_tree()
    seed_groups()
    with transaction.atomic(), connection.cursor() as cursor:
        # The audit triggers (and FK triggers) off for this transaction only: the rows are made
        # consistent here, and the trail is not what the lists read.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table in ("courses_creditentry", "courses_enrolment", "courses_courseclass", "courses_course",
                      "courses_trainingrecord", "membership_worker"):
            cursor.execute(f"TRUNCATE {table} CASCADE")
        # The big tables' indexes that back no constraint are built once after the rows are in, as
        # a restore does, rather than updated for each of millions of rows.
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("""SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid = ANY(ARRAY['membership_worker', 'courses_trainingrecord', 'courses_creditentry',
                                         'courses_enrolment']::regclass[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""")
        deferred_indexes = cursor.fetchall()
        for index, _definition in deferred_indexes:
            cursor.execute(f"DROP INDEX {index}")
        cursor.execute("DELETE FROM membership_unit WHERE depth > 2")
        # Level 3: every 25th under the district (4%), the rest round the other level-1 units.
        cursor.execute("CREATE TEMP TABLE bench_l1 AS SELECT path, row_number() OVER (ORDER BY path) - 1 AS n "
                       "FROM membership_unit WHERE depth = 2 AND code <> %s", [DISTRICT_CODE])
        cursor.execute("SELECT count(*) FROM bench_l1")
        others = cursor.fetchone()[0]
        cursor.execute("SELECT path FROM membership_unit WHERE code = %s", [DISTRICT_CODE])
        district_path = cursor.fetchone()[0]
        columns, select = _filler(cursor, "membership_unit", {
            "path": "s.parent || lpad(upper(to_hex(row_number() OVER (PARTITION BY s.parent ORDER BY s.g))), 4, '0')",
            "depth": "3", "numchild": str(CHILDREN_PER_UNIT), "code": "'BL3-' || s.g", "name": "'集团工会' || s.g",
            "kind": "'bureau_union'", "created_at": "now()", "updated_at": "now()"})
        cursor.execute(f"""INSERT INTO membership_unit ({columns}) SELECT {select} FROM (
            SELECT g, CASE WHEN g %% 25 = 0 THEN %s ELSE (SELECT path FROM bench_l1 WHERE n = g %% %s) END AS parent
            FROM generate_series(0, %s - 1) g) s""", [district_path, others, units3])
        cursor.execute("""UPDATE membership_unit p SET numchild = c.n FROM (
            SELECT substr(path, 1, 8) AS parent, count(*) AS n FROM membership_unit WHERE depth = 3 GROUP BY 1) c
            WHERE p.path = c.parent""")
        # Level 4: enterprise unions, CHILDREN_PER_UNIT under each level-3 unit, interleaved by
        # number so that consecutive units lie in different districts.
        columns, select = _filler(cursor, "membership_unit", {
            "path": "p.path || lpad(upper(to_hex(k)), 4, '0')", "depth": "4", "numchild": "0",
            "code": "'BL4-' || p.n || '-' || k", "name": "'企业工会' || p.n || '-' || k",
            "kind": "'enterprise_union'", "created_at": "now()", "updated_at": "now()"})
        cursor.execute(f"""INSERT INTO membership_unit ({columns}) SELECT {select}
            FROM (SELECT path, row_number() OVER (ORDER BY id) - 1 AS n FROM membership_unit WHERE depth = 3) p
            CROSS JOIN generate_series(1, %s) k ORDER BY k, p.n""", [CHILDREN_PER_UNIT])
        cursor.execute("CREATE TEMP TABLE bench_units AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n "
                       "FROM membership_unit WHERE depth = 4")
        cursor.execute("CREATE UNIQUE INDEX ON bench_units (n)")
        # Workers: runs of WORKERS_PER_UNIT consecutive ids per unit.
        name = (f"substr('{SURNAMES}', 1 + g %% {len(SURNAMES)}, 1) || substr('{GIVEN}', 1 + (g / 7) %% {len(GIVEN)}, 1)"
                f" || CASE WHEN g %% 3 = 0 THEN '' ELSE substr('{GIVEN}', 1 + (g / 11) %% {len(GIVEN)}, 1) END")
        columns, select = _filler(cursor, "membership_worker", {
            "name": name, "id_number_encrypted": "'x'", "id_number_digest": "md5(g::text)",
            "id_number_masked": "'110105********' || lpad((g %% 10000)::text, 4, '0')",
            "birth_date": "DATE '1965-01-01' + (g %% 14000)", "sex": "CASE WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END",
            "unit_id": "u.id", "post": "(ARRAY['焊工','车工','电工','护士','司机','会计'])[1 + g %% 6]",
            "is_frontline": "g %% 5 > 1", "joined_union_on": "DATE '2000-01-01' + (g %% 5000)",
            "created_at": "now()", "updated_at": "now()"})
        cursor.execute(f"""INSERT INTO membership_worker ({columns}) SELECT {select}
            FROM generate_series(0, %s - 1) g JOIN bench_units u ON u.n = (g / %s) %% %s""",
                       [workers, WORKERS_PER_UNIT, units4])
        # One training record per worker, owned by the worker's unit.
        columns, select = _filler(cursor, "courses_trainingrecord", {
            "worker_id": "w.id", "unit_id": "w.unit_id", "project": "'岗位技能培训' || (w.id %% 40)", "kind": "'skills'",
            "hours": "8", "completed_on": "DATE '2021-01-01' + ((w.id * 7) %% 1400)::int", "institution": "'北京市职工大学'",
            "created_at": "now()", "updated_at": "now()"})
        cursor.execute(f"INSERT INTO courses_trainingrecord ({columns}) SELECT {select} FROM membership_worker w", [])
        # Its credit-ledger entry.
        cursor.execute("SELECT id FROM django_content_type WHERE app_label = 'courses' AND model = 'trainingrecord'")
        training_type = cursor.fetchone()[0]
        columns, select = _filler(cursor, "courses_creditentry", {
            "worker_id": "t.worker_id", "unit_id": "t.unit_id", "earned_on": "t.completed_on",
            "source_kind": "'training'", "source_type_id": str(training_type), "source_id": "t.id",
            "cause": "t.project", "credits": "2", "created_at": "now()"})
        cursor.execute(f"INSERT INTO courses_creditentry ({columns}) SELECT {select} FROM courses_trainingrecord t", [])
        # Classes of courses run by the level-1 units, and an enrolment for every second worker.
        columns, select = _filler(cursor, "courses_course", {
            "code": "'BLC' || u.id", "title": "'岗位技能提升' || u.id", "category": "'job'", "delivery": "'offline'",
            "hours": "16", "credits": "2", "provider_kind": "'workers_university'", "provider_name": "'北京市职工大学'",
            "unit_id": "u.id", "status": "'approved'", "min_attendance_percent": "80",
            "created_at": "now()", "updated_at": "now()"})
        cursor.execute(f"INSERT INTO courses_course ({columns}) SELECT {select} FROM membership_unit u WHERE u.depth <= 2", [])
        columns, select = _filler(cursor, "courses_courseclass", {
            "course_id": "c.id", "unit_id": "c.unit_id", "name": "c.title || '第' || k || '期'",
            "starts_on": "DATE '2024-03-01' + k * 30", "ends_on": "DATE '2024-03-01' + k * 30 + 20",
            "capacity": "1000000", "enrolled_count": "0", "is_open": "true"})
        cursor.execute(f"INSERT INTO courses_courseclass ({columns}) SELECT {select} FROM courses_course c "
                       "CROSS JOIN generate_series(1, 8) k", [])
        cursor.execute("CREATE TEMP TABLE bench_classes AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n "
                       "FROM courses_courseclass")
        cursor.execute("SELECT count(*) FROM bench_classes")
        classes = cursor.fetchone()[0]
        columns, select = _filler(cursor, "courses_enrolment", {
            "course_class_id": "c.id", "worker_id": "w.id", "unit_id": "w.unit_id", "status": "'completed'",
            "created_at": "now()", "attended_hours": "16", "completed_on": "DATE '2024-06-01' + (w.id %% 300)::int",
            "withdrawal_reason": "''"})
        cursor.execute(f"""INSERT INTO courses_enrolment ({columns}) SELECT {select}
            FROM membership_worker w JOIN bench_classes c ON c.n = w.id %% %s WHERE w.id %% 2 = 0""", [classes])
        for _index, definition in deferred_indexes:
            cursor.execute(definition)
        cursor.execute("DELETE FROM bench_lists_marker")
        cursor.execute("INSERT INTO bench_lists_marker VALUES (%s)", [workers])
    with connection.cursor() as cursor:
        # What autovacuum does on a live server: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
    return sizes


def officers() -> dict[str, tuple[str, str]]:
    """The district officer and municipal staff, logged in: {label: (session key, csrf token)}."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.middleware.csrf import _get_new_csrf_string

    from membership import scoping
    from membership.models import Unit
    from membership.seed import seed_groups

    groups = seed_groups()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = {}
    for label, username, unit, group in (
            ("district", "bench-chaoyang", Unit.objects.get(code=DISTRICT_CODE), scoping.LEVEL1_GROUP),
            ("city", "bench-city", Unit.objects.get(depth=1), scoping.MUNICIPAL_GROUP)):
        user, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True, "unit": unit})
        user.groups.add(groups[group])
        session = store()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[-1]
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        sessions[label] = (session.session_key, _get_new_csrf_string())
    return sessions


LUA = """
-- Sends the officer's session and CSRF cookies; prints p50/p95/p99 from wrk's own histogram
-- (its --latency table has no p95) and counts answers other than 200 (a 302 to the log-in
-- page is not an error to wrk).
wrk.headers["Cookie"] = "sessionid=%(session)s; csrftoken=%(csrf)s"
wrk.headers["X-CSRFToken"] = "%(csrf)s"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + thread:get("bad") end
  io.write(string.format("RESULT %%d %%d %%.6f %%.3f %%.3f %%.3f\\n", summary.requests, failed,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def wrk(url: str, script: str, duration: int, connections: int) -> dict:
    output = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "60s", "-s", script, url],
                            capture_output=True, text=True, check=True).stdout
    found = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", output)
    requests, failed, seconds, p50, p95, p99 = found.groups()
    if int(failed):
        raise SystemExit(f"{url}: {failed} answers other than 200\n{output}")
    return {"rps": int(requests) / float(seconds), "p50": float(p50), "p95": float(p95), "p99": float(p99)}


def fetch(url: str, session: str, csrf: str) -> str:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}; csrftoken={csrf}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        if response.status != 200 or response.url != url:
            raise SystemExit(f"{url}: answered {response.status} at {response.url}")
        return response.read().decode()


def cases() -> dict[str, list[tuple[str, str]]]:
    from membership.models import Unit

    district = Unit.objects.get(code=DISTRICT_CODE)
    # A level-3 unit of the district (20 enterprise unions, ~1,000 workers) for the officer; the
    # whole district (4% of the city) for municipal staff.
    branch = Unit.objects.filter(path__startswith=district.path, depth=3).order_by("path").first()
    q = "q=" + urllib.parse.quote(SEARCH)
    lists = {"workers": "/admin/membership/worker/", "training records": "/admin/courses/trainingrecord/",
             "enrolments": "/admin/courses/enrolment/", "credit entries": "/admin/courses/creditentry/"}
    chosen = {}
    for who, subtree in (("district", branch), ("city", district)):
        rows = [("bare admin page", "/bench/admin-bare/")]
        for label, path in lists.items():
            rows += [(f"{label}, first page", path), (f"{label}, ?p=50", path + "?p=50"),
                     (f"{label}, search {SEARCH}", f"{path}?{q}")]
            if label == "workers":
                rows.append((f"workers, subtree of {subtree.name}", f"{path}?unit_subtree={subtree.pk}"))
        chosen[who] = rows
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=5_000_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per case")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections (gunicorn runs 2 workers)")
    parser.add_argument("--only", default="", help="run only the cases whose label contains this")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    ensure_database()
    setup_django()
    sizes = seed(args.workers)
    sessions = officers()
    all_cases = cases()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--workers", "2",
                               "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning", "--timeout", "300"],
                              cwd=ROOT, env=ENV)
    results = {}
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/bench/bare", timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        with tempfile.TemporaryDirectory() as scratch:
            for who, rows in all_cases.items():
                session, csrf = sessions[who]
                script = Path(scratch) / f"{who}.lua"
                script.write_text(LUA % {"session": session, "csrf": csrf})
                for label, path in rows:
                    if args.only and args.only not in label and label != "bare admin page":
                        continue
                    for _ in range(3):  # warm both workers' connections and caches, and check the answer
                        fetch(base + path, session, csrf)
                    results[who, label] = (path, wrk(base + path, str(script), args.duration, args.connections))
    finally:
        server.terminate()
        server.wait(10)
    print(f"\n{sizes}; gunicorn 2 workers, wrk {args.connections} connections, {args.duration} s per case")
    print(f"command: python bench/admin_lists.py --workers {args.workers} --duration {args.duration} "
          f"--connections {args.connections}" + (f" --only '{args.only}'" if args.only else ""))
    for who in all_cases:
        target = 300 if who == "district" else 500
        bare = results[who, "bare admin page"][1]
        print(f"\n{who} ({'朝阳区总工会 officer' if who == 'district' else 'municipal staff'}), target p95 < {target} ms")
        print(f"{'case':44} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'p95/bare':>9} {'rps/bare':>9}")
        for (w, label), (path, r) in results.items():
            if w != who:
                continue
            flag = "" if r["p95"] < target or label == "bare admin page" else "  OVER"
            print(f"{label:44} {r['p50']:8.1f} {r['p95']:8.1f} {r['rps']:8.1f} {r['p95'] / bare['p95']:8.1f}× "
                  f"{r['rps'] / bare['rps']:8.1%}{flag}")


if __name__ == "__main__":
    main()
