"""Talent-database and certificates-upload speed (issue 9, Speed), on PostgreSQL, in one run.

    python bench/talent.py                        # 1,000,000 workers, 1,500,000 certificates, 100,000-row upload
    python bench/talent.py --workers 100000       # a quicker look (certificates 1.5× workers, upload 10% of workers)

It creates the database `portal_bench_talent` (BENCH_TALENT_DATABASE_URL) on the local PostgreSQL,
seeds the workers and certificates once by COPY (a second run reuses them), then times:

* the talent database's filtered first page (level and occupation) for one district's officer;
* its counts by level for one district and for the city (talent.selectors.certificates, the
  window function the admin list uses);
* the same counts written by hand as one plain SQL query (MIN(level) per worker, then GROUP BY);
* the `certificates` upload of new rows, then of the same file again (all unchanged), against COPY
  of the same rows into the same table, and the worker roster upload of as many new rows.

Targets (issue 9): counts within 2× of the plain SQL and under 200 ms for a district; the upload at
least as fast per row as the roster upload.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("BENCH_TALENT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_talent")
CERTIFICATE_HEADERS = ["身份证号", "姓名", "职业", "等级", "证书编号", "发证机构", "发证日期", "有效期至"]
ROSTER_HEADERS = ["姓名", "身份证号", "单位代码", "岗位", "一线职工", "农民工", "困难职工", "文化程度", "手机号码", "入会日期"]
LEVEL_WEIGHTS = {5: 40, 4: 33, 3: 17, 2: 7, 1: 3}
DAY = dt.date(2013, 12, 31)

sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = DB_URL
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ID_NUMBER_KEY", "YmVuY2gtb25seS1rZXktYmVuY2gtb25seS1rZXktMDA=")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def id_number(index: int) -> str:
    from core.identity import make_id_number

    return make_id_number("110105", dt.date(1955, 1, 1) + dt.timedelta(days=index // 999), index % 999 + 1)


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
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    import django

    django.setup()
    from core.identity import make_credit_code
    from membership import scoping, services
    from membership.models import Unit, User
    from membership.seed import seed_groups, seed_unit_tree

    seed_unit_tree()
    groups = seed_groups()
    if not Unit.objects.filter(depth=3).exists():
        for index, parent in enumerate(Unit.objects.filter(depth=2).order_by("path")):
            for number in range(10):
                parent.refresh_from_db()
                services.unit_create(parent=parent, code=make_credit_code("91", "110105", f"BT{index:03d}{number:04d}"),
                                     name=f"基准企业{index}-{number}工会", kind=Unit.Kind.ENTERPRISE_UNION,
                                     district=parent.district)
    city, _ = User.objects.get_or_create(username="bench-city", defaults={"unit": Unit.objects.get(depth=1), "is_staff": True})
    city.groups.add(groups[scoping.MUNICIPAL_GROUP])
    district, _ = User.objects.get_or_create(username="bench-district",
                                             defaults={"unit": Unit.objects.get(code="110108"), "is_staff": True})
    district.groups.add(groups[scoping.LEVEL1_GROUP])


def copy_rows(table: str, columns: list[str], rows, not_null: tuple[str, ...] = ()) -> None:
    from django.db import connection

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    with connection.cursor() as cursor:
        options = f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else ""
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv{options})", buffer)


def seed(workers: int) -> None:
    """Workers and 1.5 certificates each (most at 5 and 4), by COPY; kept for the next run."""
    from django.db import connection

    from membership.directory import worker_id_fields_builder
    from membership.models import Unit, Worker
    from talent.models import Occupation, SkillCertificate

    have = Worker.objects.count()
    if have >= workers:
        return
    started = time.perf_counter()
    units = list(Unit.objects.filter(depth=3).order_by("path").values_list("id", flat=True))
    fields = worker_id_fields_builder()
    now = "2013-12-31T00:00:00+08:00"
    for start in range(have, workers, 100_000):
        rows = []
        for index in range(start, min(start + 100_000, workers)):
            derived = fields(id_number(index))
            rows.append((f"职工{index}", derived["id_number_encrypted"], derived["id_number_digest"],
                         derived["id_number_masked"], derived["birth_date"], derived["sex"], units[index % len(units)],
                         "焊工", False, False, False, "", "", now, now))
        copy_rows("membership_worker", ["name", "id_number_encrypted", "id_number_digest", "id_number_masked",
                                        "birth_date", "sex", "unit_id", "post", "is_frontline", "is_migrant",
                                        "is_needy", "education", "phone", "created_at", "updated_at"], rows,
                  not_null=("education", "phone"))
        print(f"  workers {min(start + 100_000, workers):,}", flush=True)
    occupations = list(Occupation.objects.values_list("id", flat=True))
    rng = random.Random(2013)
    worker_rows = list(Worker.objects.order_by("id").values_list("id", "unit_id"))
    sequence = SkillCertificate.objects.count()
    batch = []
    for worker_id, unit_id in worker_rows[have:]:
        # 1.5 certificates a worker: half of them hold a second (an earlier lower level, or expired).
        for extra in range(2 if rng.random() < 0.5 else 1):
            sequence += 1
            level = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
            issued = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(5000))
            expiry = issued + dt.timedelta(days=1500) if extra and rng.random() < 0.3 else None
            batch.append((worker_id, unit_id, rng.choice(occupations), level, f"B{sequence:012d}", "北京市职业技能鉴定指导中心",
                          issued, expiry, now, now))
        if len(batch) >= 200_000:
            copy_rows("talent_skillcertificate", ["worker_id", "unit_id", "occupation_id", "level", "number", "issuer",
                                                  "issued_on", "valid_until", "created_at", "updated_at"], batch)
            batch = []
    copy_rows("talent_skillcertificate", ["worker_id", "unit_id", "occupation_id", "level", "number", "issuer",
                                          "issued_on", "valid_until", "created_at", "updated_at"], batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE membership_worker")
        cursor.execute("ANALYZE talent_skillcertificate")
    print(f"seeded {workers:,} workers, {SkillCertificate.objects.count():,} certificates "
          f"in {time.perf_counter() - started:.0f} s", flush=True)


def timed(function, repeat: int = 5) -> tuple[float, object]:
    function()  # warm the cache
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


PLAIN_COUNTS = """
SELECT best.level, COUNT(*) FROM (
    SELECT c.worker_id, MIN(c.level) AS level
    FROM talent_skillcertificate c
    JOIN membership_worker w ON w.id = c.worker_id
    JOIN membership_unit u ON u.id = w.unit_id
    WHERE u.path LIKE %s AND c.issued_on <= %s AND (c.valid_until IS NULL OR c.valid_until >= %s)
    GROUP BY c.worker_id
) best GROUP BY best.level ORDER BY best.level
"""


def queries() -> None:
    from django.db import connection
    from django.utils import timezone

    from membership.models import Unit, User
    from talent.models import Occupation
    from talent.selectors.certificates import level_counts, talent_database

    today = timezone.localdate()
    district = User.objects.get(username="bench-district")
    city = User.objects.get(username="bench-city")
    district_path = Unit.objects.get(code="110108").path
    occupation = Occupation.objects.get(name="焊工")

    def first_page():
        return list(talent_database(user=district).filter(level=4, occupation=occupation)
                    .order_by("level", "worker__name", "id")[:50])

    def plain(path):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(PLAIN_COUNTS, [path + "%", today, today])
                return dict(cursor.fetchall())
        return run

    print("\n== the talent database (median of 5) ==")
    seconds, rows = timed(first_page)
    print(f"{'first page, district, level 4 + 焊工':<44} {seconds * 1000:8.1f} ms  ({len(rows)} rows)")
    for label, user, path in (("district (海淀)", district, district_path), ("city", city, "")):
        seconds, counts = timed(lambda user=user: level_counts(talent_database(user=user)))
        plain_seconds, plain_counts = timed(plain(path))
        assert {level: count for level, count in counts.items() if count} == plain_counts, (counts, plain_counts)
        print(f"{'counts by level, ' + label:<44} {seconds * 1000:8.1f} ms   plain SQL {plain_seconds * 1000:8.1f} ms"
              f"   ratio {seconds / plain_seconds:4.2f}   total {sum(counts.values()):,}")


def uploads(count: int) -> None:
    from django.db import connection, transaction

    from membership.models import Unit, User, Worker
    from uploads import pipeline

    user = User.objects.get(username="bench-city")
    names = dict(Worker.objects.order_by("id").values_list("id", "name")[:count])
    rows = []
    for index, (worker_id, name) in enumerate(names.items()):
        rows.append([id_number(int(name[2:])), name, "焊工", "高级工", f"U{index:012d}", "北京市职业技能鉴定指导中心",
                     "2013-06-30", ""])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CERTIFICATE_HEADERS)
    writer.writerows(rows)
    data = buffer.getvalue().encode()

    def clear():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM courses_creditentry WHERE source_kind = 'certificate'")
            cursor.execute("DELETE FROM talent_skillcertificate WHERE number LIKE 'U%%'")

    clear()
    print(f"\n== uploads, {count:,} rows (CSV) ==")
    started = time.perf_counter()
    new = pipeline.run(kind_code="certificates", data=data, user=user, commit=True)
    new_seconds = time.perf_counter() - started
    assert new.written == count, (new.written, new.rejected[:3])
    started = time.perf_counter()
    again = pipeline.run(kind_code="certificates", data=data, user=user, commit=True)
    again_seconds = time.perf_counter() - started
    assert again.unchanged == count and again.written == 0
    clear()
    worker_ids = list(names)
    units = dict(Worker.objects.filter(pk__in=worker_ids).values_list("id", "unit_id"))
    copy_source = [(worker_id, units[worker_id], 1, 3, f"U{index:012d}", "北京市职业技能鉴定指导中心", "2013-06-30", None,
                    "2013-12-31T00:00:00+08:00", "2013-12-31T00:00:00+08:00") for index, worker_id in enumerate(worker_ids)]
    with transaction.atomic():
        started = time.perf_counter()
        copy_rows("talent_skillcertificate", ["worker_id", "unit_id", "occupation_id", "level", "number", "issuer",
                                              "issued_on", "valid_until", "created_at", "updated_at"], copy_source)
        copy_seconds = time.perf_counter() - started
    clear()
    codes = list(Unit.objects.filter(depth=3).values_list("code", flat=True))
    roster = io.StringIO()
    writer = csv.writer(roster)
    writer.writerow(ROSTER_HEADERS)
    first = Worker.objects.count() + 10_000_000
    writer.writerows([f"新职工{index}", id_number(first + index), codes[index % len(codes)], "焊工", "是", "否", "否", "本科",
                      "", ""] for index in range(count))
    started = time.perf_counter()
    roster_summary = pipeline.run(kind_code="workers", data=roster.getvalue().encode(), user=user, commit=True)
    roster_seconds = time.perf_counter() - started
    assert roster_summary.written == count, roster_summary.rejected[:3]
    Worker.objects.filter(name__startswith="新职工").delete()

    def line(label, seconds):
        print(f"{label:<44} {seconds:8.2f} s {count / seconds:>10,.0f} rows/s {copy_seconds / seconds:7.1%} of COPY")

    line("COPY of the same rows into the same table", copy_seconds)
    line("certificates upload, new rows", new_seconds)
    line("certificates upload, the same file again", again_seconds)
    line("worker roster upload, new rows", roster_seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--upload", type=int, default=None, help="rows of the upload (100,000, or a tenth of the workers)")
    args = parser.parse_args()
    ensure_database()
    seed(args.workers)
    queries()
    uploads(args.upload or min(100_000, args.workers // 10))


if __name__ == "__main__":
    main()
