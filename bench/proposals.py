"""Proposal speed (issue 10, INN-2): 500,000 proposals with their step history on PostgreSQL; the
disclosure board's first page and the adoption and implementation rates for a district and for
the city, each against the same figures written by hand as one plain SQL query; then the board's
pages over HTTP with 16 connections (wrk if installed, else a Python client), p50 and p99, beside a
bare Django view through the same middleware as the baseline.

    python bench/proposals.py                          # 500,000 proposals, 20,000 workers
    python bench/proposals.py --proposals 50000 --duration 5

It creates the database `portal_bench_proposals` on the local PostgreSQL, seeds it once (set-based
INSERT … SELECT), starts gunicorn (2 workers, persistent connections, DEBUG off) on
127.0.0.1:8766 and prints the figures. The portal's figures and the plain SQL's are compared and
must be equal. The board's pages are cached (innovation/proposals/board_cache.py) in Redis as in
production when BENCH_CACHE_URL (or REDIS_URL) names one, else in each process's memory; page 11
is never cached, so its line is the uncached page's cost.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "portal_bench_proposals"
DB_URL = os.environ.get("BENCH_PROPOSALS_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
PORT = int(os.environ.get("BENCH_PORT", "8766"))  # another port when several benches share the machine
ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "ID_NUMBER_KEY": "YmVuY2gtb25seS1rZXktYmVuY2gtb25seS1rZXktMDA=",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "CONN_MAX_AGE": "600",
}
# The cache as deployed (Redis), without making Celery need a broker: settings_bench reads this.
CACHE_URL = os.environ.get("BENCH_CACHE_URL", os.environ.get("REDIS_URL", ""))
ENV["BENCH_CACHE_URL"] = CACHE_URL
ENV.pop("REDIS_URL", None)

# The seven final states with their shares in per cent, and the path of steps each has passed.
SHARES = [("submitted", 6), ("reviewing", 8), ("rejected", 22), ("adopted", 16), ("project", 14),
          ("implemented", 16), ("rewarded", 18)]
PATHS = {"submitted": ["submitted"], "reviewing": ["submitted", "reviewing"],
         "rejected": ["submitted", "reviewing", "rejected"], "adopted": ["submitted", "reviewing", "adopted"],
         "project": ["submitted", "reviewing", "adopted", "project"],
         "implemented": ["submitted", "reviewing", "adopted", "project", "implemented"],
         "rewarded": ["submitted", "reviewing", "adopted", "project", "implemented", "rewarded"]}

BOARD_SQL = """
SELECT p.id, p.code, p.title, p.category, p.state, p.submitted_on, p.measured_benefit, p.reward_amount,
       p.reward_material, p.reward_honour, u.name, r.name, p.submitter_names, p.adopted_on, p.project_on,
       p.implemented_on, p.rewarded_on
FROM innovation_proposal p JOIN membership_unit u ON u.id = p.unit_id
LEFT JOIN innovation_proposalround r ON r.id = p.review_round_id
WHERE p.state IN ('adopted', 'project', 'implemented', 'rewarded')
ORDER BY p.submitted_on DESC, p.id DESC LIMIT 21
"""
RATES_SQL = """
SELECT substr(u.path, 1, %(cut)s) AS subtree, extract(year FROM p.submitted_on)::int AS year,
       count(*) FILTER (WHERE p.state IN ('adopted', 'project', 'implemented', 'rewarded')),
       count(*) FILTER (WHERE p.state IN ('rejected', 'adopted', 'project', 'implemented', 'rewarded')),
       count(*) FILTER (WHERE p.state IN ('implemented', 'rewarded')),
       count(*)
FROM innovation_proposal p JOIN membership_unit u ON u.id = p.unit_id
WHERE u.path LIKE %(prefix)s
GROUP BY 1, 2 ORDER BY 1, 2
"""


def ensure_database(proposals: int, workers: int) -> None:
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        # The database the URL names (BENCH_PROPOSALS_DATABASE_URL may name another).
        name = DB_URL.rsplit("/", 1)[-1]
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=ENV, check=True)
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection as db

    from innovation.models import Proposal
    from membership.models import Worker
    from membership.seed import seed_demo

    if Worker.objects.count() < workers and not Proposal.objects.exists():
        print(f"seeding units and {workers:,} workers …", flush=True)
        seed_demo(workers=workers - Worker.objects.count(), seed=2013 + Worker.objects.count(), units_per_level1=10)
    have = Proposal.objects.count()
    if have < proposals:
        seed_proposals(db, have, proposals)
    backfill_board_columns(db)


def backfill_board_columns(db) -> None:
    """The board's columns on Proposal (submitters' names, the published steps' days), which the
    services keep, filled set-based from the authors and steps for rows seeded by SQL."""
    from innovation.models import PUBLISHED_STEP_FIELDS, Proposal

    if not Proposal.objects.filter(submitter_names="").exists():
        return
    started = time.monotonic()
    with db.cursor() as cursor:
        cursor.execute("""
            UPDATE innovation_proposal p SET submitter_names = w.name FROM membership_worker w
            WHERE w.id = p.submitter_id AND p.submitter_names = ''
        """)
        for state, column in PUBLISHED_STEP_FIELDS.items():
            cursor.execute(f"""
                UPDATE innovation_proposal p SET {column} = s.on FROM innovation_proposalstep s
                WHERE s.proposal_id = p.id AND s.state = %s AND p.{column} IS NULL
            """, [str(state)])
        cursor.execute("VACUUM ANALYZE innovation_proposal")
    print(f"board columns filled in {time.monotonic() - started:.0f} s", flush=True)


def seed_proposals(db, have: int, proposals: int) -> None:
    from innovation.models import ProposalRound
    from membership.models import Unit

    started = time.monotonic()
    print(f"seeding {proposals - have:,} proposals with their steps …", flush=True)
    if not ProposalRound.objects.exists():
        import datetime as dt

        ProposalRound.objects.bulk_create([
            ProposalRound(unit=unit, year=year, name=f"{unit.name}{year}年{half}半年评审",
                          starts_on=dt.date(year, 3 if half == "上" else 9, 1), ends_on=dt.date(year, 3 if half == "上" else 9, 28))
            for unit in Unit.objects.filter(depth=2) for year in range(2010, 2014) for half in ("上", "下")])
    cases, low = [], 0
    for state, share in SHARES:
        cases.append(f"WHEN (g * 7919) %% 100 < {low + share} THEN '{state}'")
        low += share
    rng = random.Random(2013)
    titles = ",".join(f"'{rng.choice(['焊接夹具', '余热回收', '照明改造', '防坠装置', '刀具修磨'])}改进建议{i}'" for i in range(50))
    with db.cursor() as cursor:
        cursor.execute(f"""
            WITH w AS (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM membership_worker)
            INSERT INTO innovation_proposal (code, title, category, description, expected_benefit, submitter_id, unit_id,
                submitted_on, state, state_changed_at, rejection_reason, measured_benefit, reward_amount, reward_material,
                reward_honour, created_at, submitter_names)
            SELECT 'BJ' || lpad(g::text, 9, '0'), (ARRAY[{titles}])[(1 + g %% 50)::int],
                   (ARRAY['cost', 'energy', 'technical', 'safety', 'other'])[(1 + g %% 5)::int], '', '',
                   worker.id, worker.unit_id, date '2010-01-01' + ((g * 104729) %% 1460)::int, s.state, now(),
                   CASE WHEN s.state = 'rejected' THEN '投入产出比偏低' ELSE '' END,
                   CASE WHEN s.state IN ('implemented', 'rewarded') THEN (g %% 5000) / 100.0 END,
                   CASE WHEN s.state = 'rewarded' THEN 1000 END,
                   CASE WHEN s.state = 'rewarded' THEN '奖金' ELSE '' END, '', now(), ''
            FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
            CROSS JOIN w
            JOIN membership_worker worker ON worker.id = w.ids[(1 + (g * 31) %% w.n)::int]
            CROSS JOIN LATERAL (SELECT CASE {' '.join(cases)} END AS state) s
        """, {"first": have + 1, "last": proposals})
        values = ",".join(f"('{final}', '{state}', {order})" for final, path in PATHS.items()
                          for order, state in enumerate(path))
        cursor.execute(f"""
            INSERT INTO innovation_proposalstep (proposal_id, state, "on", recorded_at, comment)
            SELECT p.id, v.state, p.submitted_on + v.ord * 20, now(), ''
            FROM innovation_proposal p JOIN (VALUES {values}) AS v(final, state, ord) ON v.final = p.state
            WHERE p.id > (SELECT coalesce(max(proposal_id), 0) FROM innovation_proposalstep)
        """)
        cursor.execute("""
            INSERT INTO innovation_proposalauthor (proposal_id, worker_id, is_lead)
            SELECT p.id, p.submitter_id, true FROM innovation_proposal p
            WHERE NOT EXISTS (SELECT 1 FROM innovation_proposalauthor a WHERE a.proposal_id = p.id)
        """)
        cursor.execute("""
            UPDATE innovation_proposal p SET review_round_id = r.id
            FROM membership_unit u, innovation_proposalround r, membership_unit ru
            WHERE u.id = p.unit_id AND ru.id = r.unit_id AND substr(u.path, 1, 8) = ru.path
              AND r.year = extract(year FROM p.submitted_on)
              AND (extract(month FROM p.submitted_on) <= 6) = (extract(month FROM r.starts_on) <= 6)
              AND p.state <> 'submitted' AND p.review_round_id IS NULL
        """)
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)


def timed(function, repeat: int) -> tuple[float, object]:
    """Median milliseconds of ``repeat`` calls after one warm-up, and the last result."""
    result = function()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), result


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def load(url: str, duration: int, connections: int) -> tuple[float, float, float, str]:
    """Requests per second, p50 and p99 in ms, by wrk when installed, else by Python threads."""
    if shutil.which("wrk"):
        import re

        output = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
                                capture_output=True, text=True, check=True).stdout
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if non_2xx:
            raise SystemExit(f"{url}: {non_2xx.group(1)} error responses\n{output}")
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

        def percentile(label):
            found = re.search(label + r"%\s+([\d.]+)(us|ms|s)\b", output)
            return float(found.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[found.group(2)]

        return rate, percentile("50"), percentile("99"), "wrk"
    import http.client

    latencies: list[float] = []
    errors = []
    stop = time.monotonic() + duration
    parsed = urllib.parse.urlsplit(url)

    def client():
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", parsed.path + ("?" + parsed.query if parsed.query else ""))
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                errors.append(response.status)
        latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{url}: {len(errors)} error responses")
    latencies.sort()
    return (len(latencies) / duration, latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99) - 1],
            "python client")


def main() -> None:
    import urllib.parse  # noqa: F401  (used by the Python client)

    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=500_000)
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    ensure_database(args.proposals, args.workers)
    from django.db import connection

    from innovation.models import Proposal, ProposalStep
    from innovation.proposals import rates, selectors
    from membership.models import Unit

    def plain(sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    city = Unit.objects.get(depth=1)
    district = Unit.objects.get(code="110105")
    print(f"\n{Proposal.objects.count():,} proposals, {ProposalStep.objects.count():,} steps; median of {args.repeat} runs")
    rows = []

    def board():
        page = selectors.disclosure_board()
        return [(row.code, row.submitters, row.published_steps) for row in page.rows]

    portal_ms, portal_rows = timed(board, args.repeat)
    plain_ms, plain_rows = timed(lambda: plain(BOARD_SQL), args.repeat)
    assert [code for code, _a, _s in portal_rows] == [row[1] for row in plain_rows[:20]], "board differs"
    rows.append(("disclosure board, first page", portal_ms, plain_ms))

    def as_tuples(result):
        return [(r.unit_path, r.year, r.adopted, r.decided, r.implemented, r.submitted) for r in result]

    for label, root, depth in (("rates, district 朝阳 by year", district, None),
                               ("rates, city by year", city, None),
                               ("rates, city by level-1 unit and year", city, 2)):
        cut = (depth or root.depth) * Unit.steplen
        portal_ms, result = timed(lambda: rates.proposal_rate_counts(root=root, depth=depth), args.repeat)
        plain_ms, expected = timed(lambda: plain(RATES_SQL, {"cut": cut, "prefix": root.path + "%"}), args.repeat)
        assert as_tuples(result) == [tuple(row) for row in expected], f"{label}: figures differ"
        rows.append((label, portal_ms, plain_ms))
    for label, portal_ms, plain_ms in rows:
        print(f"{label:<40} portal {portal_ms:8.1f} ms   plain SQL {plain_ms:8.1f} ms   ratio {portal_ms / plain_ms:5.2f}×")

    connection.close()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--workers", "2",
                               "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"], cwd=ROOT, env=ENV)
    try:
        base = f"http://127.0.0.1:{PORT}"
        wait_for(base + "/bench/bare")
        urls = {"bare view (fixed string)": "/bench/bare", "disclosure board, first page": "/innovation/proposals/board/",
                "disclosure board, 朝阳": "/innovation/proposals/board/?unit=110105",
                "disclosure board, page 11 (never cached)": "/innovation/proposals/board/?page=11"}
        for path in urls.values():
            for _ in range(20):
                urllib.request.urlopen(base + urllib.parse.quote(path, safe="/?=&")).read()
        print(f"\nHTTP, {args.connections} connections, {args.duration} s each, gunicorn 2 workers, "
              f"cache {'Redis ' + CACHE_URL if CACHE_URL else 'in process memory'}")
        for label, path in urls.items():
            rate, p50, p99, tool = load(base + urllib.parse.quote(path, safe="/?=&"), args.duration, args.connections)
            print(f"{label:<40} {rate:9,.0f} req/s   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   ({tool})")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    import urllib.parse

    main()
