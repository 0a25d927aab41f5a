"""Course-menu speed (issue 3, issue 13): the menu's first page, a search and a filter against a
bare Django view from the same gunicorn server, with wrk, in one run — first without the menu's
cache, then with it in Redis (courses/menu_cache.py), each beside its own bare view.

    python bench/course_menu.py                    # 10,000 courses, 200,000 workers
    python bench/course_menu.py --courses 2000 --duration 5

It creates the database `portal_bench_menu` (BENCH_MENU_DATABASE_URL names another) on the local
PostgreSQL, seeds it once, starts gunicorn (2 workers, persistent connections, DEBUG off) on
127.0.0.1:8765 (BENCH_PORT) and prints requests per second and p99 latency for each URL, the ratio
to the bare view and whether issue 13's targets are met: uncached, the first page and the search
at ≥ 20% of the bare view's requests per second with a p99 within 5× the bare view's; cached,
≥ 50%. The cached run uses the Redis database BENCH_CACHE_URL (or REDIS_URL) names; without
either it is skipped. Needs wrk (apt-get install wrk).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("BENCH_MENU_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_menu")
DB_NAME = urllib.parse.urlsplit(DB_URL).path.lstrip("/")
PORT = int(os.environ.get("BENCH_PORT", "8765"))  # another port when several benches share the machine
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
CACHE_URL = os.environ.get("BENCH_CACHE_URL", os.environ.get("REDIS_URL", ""))
ENV.pop("REDIS_URL", None)
ENV.pop("BENCH_CACHE_URL", None)
# Issue 13's targets: the share of the bare view's requests per second, and for the uncached run
# the p99 at most this many times the bare view's.
TARGETS = {"uncached": 0.20, "cached": 0.50}
P99_FACTOR = 5
TARGET_URLS = ("course menu, first page", "course menu, search 焊接")
WORDS = ["焊接", "数控", "电工", "沟通", "安全", "护理", "家政", "书画", "摄影", "法律", "管理", "营销", "物流", "烹饪",
         "汽修", "电子", "软件", "财务", "质检", "仓储"]


def ensure_database(courses: int, workers: int) -> None:
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    connection.close()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=ENV, check=True)
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from courses.models import Course, CourseClass, TargetGroup
    from membership.models import Unit, Worker
    from membership.seed import seed_unit_tree, seed_workers

    if Course.objects.count() >= courses and Worker.objects.count() >= workers:
        return
    print(f"seeding {courses:,} courses and {workers:,} workers …", flush=True)
    root = seed_unit_tree()
    rng = random.Random(2013)
    level1 = list(Unit.objects.filter(depth=2))
    if Worker.objects.count() < workers:
        seed_workers(count=workers - Worker.objects.count(), units=level1, rng=rng)
    groups = list(TargetGroup.objects.all())
    categories, deliveries = [c for c, _ in Course.Category.choices], [d for d, _ in Course.Delivery.choices]
    batch = [Course(code=f"BM{n:06d}", title=f"{rng.choice(WORDS)}{rng.choice(WORDS)}实务{n}",
                    description=f"{rng.choice(WORDS)}与{rng.choice(WORDS)}的基础知识和操作训练。",
                    category=rng.choice(categories), delivery=rng.choice(deliveries), hours=Decimal(rng.choice([8, 16, 32])),
                    credits=Decimal(rng.choice([1, 2, 3, 4])), provider_kind="workers_university",
                    provider_name="北京市职工大学", unit=rng.choice([root, *level1]), status="approved")
             for n in range(Course.objects.count(), courses)]
    created = Course.objects.bulk_create(batch, batch_size=2000)
    through = Course.target_groups.through
    through.objects.bulk_create([through(course_id=c.pk, targetgroup_id=g.pk) for c in created
                                 for g in rng.sample(groups, 2)], batch_size=5000)
    today = dt.date.today()
    CourseClass.objects.bulk_create([
        CourseClass(course=c, name=f"{c.title}第{i}期", unit=c.unit, starts_on=today + dt.timedelta(days=rng.randrange(60)),
                    ends_on=today + dt.timedelta(days=70), capacity=30, enrolled_count=rng.randrange(31))
        for c in created for i in range(rng.randrange(0, 3))], batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does on a live server: statistics and the visibility map (index-only counts).
        cursor.execute("VACUUM ANALYZE")


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def wrk(url: str, duration: int, connections: int) -> tuple[float, float]:
    output = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
                            capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} error responses\n{output}")
    return rate, float(p99.group(1)) * scale


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--courses", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=200_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    ensure_database(args.courses, args.workers)
    variants = {"uncached": {**ENV, "BENCH_MENU_CACHE": "0"}}
    if CACHE_URL:
        variants["cached"] = {**ENV, "BENCH_MENU_CACHE": "1", "BENCH_CACHE_URL": CACHE_URL}
    else:
        print("no BENCH_CACHE_URL or REDIS_URL: the cached run is skipped")
    report = []
    for variant, env in variants.items():
        if variant == "cached":
            # A new version: no page an earlier run stored (from other rows or code) is served.
            subprocess.run([sys.executable, "-c", "import django; django.setup(); "
                            "from courses.menu_cache import MENU; MENU.bump()"], cwd=ROOT, env=env, check=True)
        results = run_server(env, args.duration, args.connections)
        report.append((variant, results))
    print(f"\n{args.courses:,} courses, {args.connections} connections, {args.duration} s each, gunicorn 2 workers")
    for variant, results in report:
        bare_rate, bare_p99 = results["bare view (fixed string)"]
        print(f"\n{variant}: the menu's shared part {'from Redis' if variant == 'cached' else 'built for every request'}")
        for label, (rate, p99) in results.items():
            print(f"{label:<40} {rate:9,.0f} req/s   p99 {p99:7.1f} ms   {rate / bare_rate:6.1%} of bare")
        for label in TARGET_URLS:
            rate, p99 = results[label]
            share = rate / bare_rate
            verdict = [f"{share:.1%} of bare (target ≥ {TARGETS[variant]:.0%}: {'met' if share >= TARGETS[variant] else 'NOT met'})"]
            if variant == "uncached":
                verdict.append(f"p99 {p99 / bare_p99:.1f}× bare (target ≤ {P99_FACTOR}×: "
                               f"{'met' if p99 <= P99_FACTOR * bare_p99 else 'NOT met'})")
            print(f"  target, {label}: " + "; ".join(verdict))


def run_server(env: dict, duration: int, connections: int) -> dict[str, tuple[float, float]]:
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--workers", "2",
                               "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        base = f"http://127.0.0.1:{PORT}"
        wait_for(base + "/bench/bare")
        urls = {
            "bare view (fixed string)": "/bench/bare",
            "course menu, first page": "/",
            "course menu, search 焊接": "/?q=" + urllib.parse.quote("焊接"),
            "course menu, filter (job, free seats)": "/?category=job&free=1",
        }
        for path in urls.values():  # warm every worker's connection and caches
            for _ in range(20):
                urllib.request.urlopen(base + path).read()
        return {label: wrk(base + path, duration, connections) for label, path in urls.items()}
    finally:
        server.terminate()
        server.wait(10)

if __name__ == "__main__":
    main()
