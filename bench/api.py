"""API speed (issue 12, Speed), on PostgreSQL, in one run.

    python bench/api.py                                   # 1,000,000 workers, 100,000 completions
    python bench/api.py --workers 100000 --completions 20000   # a quicker look
    python bench/api.py --only paging --page-size 5000         # one page size

It creates the database `portal_bench_api` (BENCH_API_DATABASE_URL), seeds the workers once by COPY
(a second run reuses them) in the enterprises of 朝阳, makes a 朝阳 district token, then times:

* paging through every worker of 朝阳 with the API's cursor pagination (GET /api/v1/workers/, the
  token in the header, following ``next`` until null; in-process through Django's test client, so
  the figure is the portal's own work: authentication, rate limit, scoping, the query, JSON), against
  a plain SQL read of the same columns for the same subtree, in keyset pages of the same size: at
  1,000 rows a page and at the large lists' largest page, 5,000 (api.pagination.LargeListPagination),
  the size a system pulling a whole list asks for;
* pushing N training completions through the bulk endpoint (POST /api/v1/uploads/training/ with
  commit=true, in requests of API_BULK_MAX_ROWS rows), against the upload path (the same rows, other
  projects, as one CSV through import_sheet's preview-then-commit).

Targets (issue 12): paging within 3× of the plain SQL read, the bulk push within 1.5× of the upload
path. When the portal has no /api/v1/workers/ yet (another change adds it), the paging runs
through a bench viewset built from the same parts (api.viewsets.ScopedReadOnlyViewSet,
api.pagination.LargeListPagination) and says so.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("BENCH_API_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_api")

sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = DB_URL
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ID_NUMBER_KEY", "YmVuY2gtb25seS1rZXktYmVuY2gtb25seS1rZXktMDA=")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")
os.environ.setdefault("LOG_LEVEL", "WARNING")

DISTRICT = "110105"  # 朝阳
DAY = dt.date(2026, 6, 30)
TRAINING_HEADERS = ["身份证号", "姓名", "课程编码", "培训项目名称", "培训类型", "学时", "完成日期"]


def id_number(index: int) -> str:
    from core.identity import make_id_number

    return make_id_number(DISTRICT, dt.date(1955, 1, 1) + dt.timedelta(days=index // 999), index % 999 + 1)


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
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True,
                   env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.base"})
    import django

    django.setup()
    from core.identity import make_credit_code
    from membership import services
    from membership.models import Unit
    from membership.seed import seed_groups, seed_unit_tree

    seed_unit_tree()
    seed_groups()
    district = Unit.objects.get(code=DISTRICT)
    if not Unit.objects.filter(path__startswith=district.path, depth=3).exists():
        for number in range(20):
            district.refresh_from_db()
            services.unit_create(parent=district, code=make_credit_code("91", DISTRICT, f"BA{number:06d}"),
                                 name=f"基准企业{number}工会", kind=Unit.Kind.ENTERPRISE_UNION, district="朝阳")


def copy_rows(table: str, columns: list[str], rows, not_null: tuple[str, ...] = ()) -> None:
    from django.db import connection

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    with connection.cursor() as cursor:
        options = f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else ""
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv{options})", buffer)


def seed(workers: int) -> None:
    from django.db import connection

    from membership.directory import worker_id_fields_builder
    from membership.models import Unit, Worker

    have = Worker.objects.count()
    if have >= workers:
        return
    started = time.perf_counter()
    district = Unit.objects.get(code=DISTRICT)
    units = list(Unit.objects.filter(path__startswith=district.path, depth=3).order_by("path")
                 .values_list("id", flat=True))
    fields = worker_id_fields_builder()
    now = "2026-06-30T00:00:00+08:00"
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
    with connection.cursor() as cursor:
        # The units too: without their statistics the planner takes 朝阳's subtree for one unit and
        # reads the whole district for every page (500 ms a page instead of 8 ms).
        cursor.execute("ANALYZE membership_unit")
        cursor.execute("ANALYZE membership_worker")
    print(f"seeded {workers:,} workers in {time.perf_counter() - started:.0f} s", flush=True)


def workers_url() -> tuple[str, str]:
    """The workers list to page through, and what it is."""
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/v1/workers/")
        return "/api/v1/workers/", "/api/v1/workers/"
    except Resolver404:
        pass
    from django.db.models import F
    from django.urls import clear_url_caches, include, path
    from rest_framework import serializers
    from rest_framework.routers import SimpleRouter

    from api.pagination import LargeListPagination
    from api.viewsets import ScopedReadOnlyViewSet, ValuesListMixin
    from membership.models import Worker

    # The same columns as the plain read, served by api.viewsets.ValuesListMixin (no model instances,
    # no per-row serializer): what the infrastructure (token, rate limit, scoping, cursor, JSON)
    # costs over the query itself. BENCH_API_SERIALIZER=1 serves them through the serializer instead.
    class BenchWorkerSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        id_number_masked = serializers.CharField()
        sex = serializers.CharField()
        post = serializers.CharField()
        unit_code = serializers.CharField()

    class BenchWorkerViewSet(ValuesListMixin, ScopedReadOnlyViewSet):
        queryset = Worker.objects.annotate(unit_code=F("unit__code"))
        serializer_class = BenchWorkerSerializer
        pagination_class = LargeListPagination
        filter_backends = []
        list_fields = {} if os.environ.get("BENCH_API_SERIALIZER") else {
            name: name for name in ("id", "name", "id_number_masked", "sex", "post", "unit_code")}

    router = SimpleRouter()
    router.register("workers", BenchWorkerViewSet, basename="bench-worker")
    import bench.urls

    bench.urls.urlpatterns.insert(0, path("bench/api/", include(router.urls)))
    clear_url_caches()
    return "/bench/api/workers/", "a bench viewset of the API's parts (no /api/v1/workers/ in this portal yet)"


# The same work by hand: every column a list row is made of (portal/api.py WORKER_LIST_COLUMNS), in
# keyset pages of the same size, newest first, as the cursor pagination reads them.
PLAIN_READ = """
SELECT w.id, w.name, w.id_number_masked, w.birth_date, w.sex, w.post, w.is_frontline, w.is_migrant, w.is_needy,
       w.education, w.joined_union_on, w.left_on, w.leaving_reason, u.code, u.name
FROM membership_worker w JOIN membership_unit u ON u.id = w.unit_id
WHERE u.path LIKE %s AND w.id < %s ORDER BY w.id DESC LIMIT %s
"""


def paging(key: str, page_size: int) -> None:
    from django.db import connection
    from django.test import Client

    from api.pagination import LargeListPagination
    from membership.models import Unit

    url, what = workers_url()
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    # As the deployed server does once the application has loaded (portal/wsgi.py): what start-up
    # made is kept out of the garbage collector's passes.
    gc.freeze()
    started = time.perf_counter()
    rows, pages, address, parsing = 0, 0, f"{url}?page_size={page_size}", 0.0
    while address:
        response = client.get(address, **headers)
        assert response.status_code == 200, (response.status_code, response.content[:300])
        parse_started = time.perf_counter()
        body = orjson.loads(response.content)  # the fastest parser, and counted: the client's rows are read
        parsing += time.perf_counter() - parse_started
        rows += len(body["results"])
        pages += 1
        address = body["next"]
    api_seconds = time.perf_counter() - started

    path = Unit.objects.get(code=DISTRICT).path
    started = time.perf_counter()
    plain_rows, last = 0, 2**62
    with connection.cursor() as cursor:
        while True:
            cursor.execute(PLAIN_READ, [path + "%", last, page_size])
            chunk = cursor.fetchall()
            if not chunk:
                break
            plain_rows += len(chunk)
            last = chunk[-1][0]
    plain_seconds = time.perf_counter() - started
    assert rows == plain_rows, (rows, plain_rows)
    print(f"paging ({what}): {rows:,} workers in {pages:,} pages of {page_size}: {api_seconds:.1f} s, "
          f"{rows / api_seconds:,.0f} rows/s")
    print(f"plain SQL read of the same columns in keyset pages of {page_size}: {plain_seconds:.2f} s, "
          f"{plain_rows / plain_seconds:,.0f} rows/s")
    print(f"  of which the client's JSON parse (orjson): {parsing:.1f} s; the portal's own: {api_seconds - parsing:.1f} s "
          f"({(api_seconds - parsing) / plain_seconds:.2f}× the plain read)")
    print(f"  ratio API / plain SQL, the client's parse counted: {api_seconds / plain_seconds:.2f}"
          + (" (target ≤ 3, at the largest page)" if page_size == LargeListPagination.max_page_size else ""))


def completions(start: int, count: int, project: str) -> list[dict]:
    from membership.models import Worker

    names = dict(Worker.objects.order_by("id").values_list("id", "name")[start:start + count])
    ordered = list(names.values())
    return [{"身份证号": id_number(start + offset), "姓名": ordered[offset], "课程编码": "", "培训项目名称": project,
             "培训类型": "技能培训", "学时": 8, "完成日期": DAY.isoformat()} for offset in range(count)]


def pushing(key: str, user, count: int) -> None:
    from django.conf import settings
    from django.test import Client

    from uploads.models import Upload
    from uploads.pipeline import upload_create
    from uploads.services import upload_start

    run = int(time.time())
    upload_rows = completions(0, count, f"基准上传{run}")
    bulk_rows = completions(0, count, f"基准接口{run}")

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TRAINING_HEADERS)
    writer.writerows([[row[header] for header in TRAINING_HEADERS] for row in upload_rows])
    data = buffer.getvalue().encode("utf-8")
    started = time.perf_counter()
    upload = upload_create(user=user, kind_code="training", file_name="bench.csv", data=data)
    upload = upload_start(upload=upload, commit=False, in_background=False)
    upload = upload_start(upload=upload, commit=True, in_background=False)
    upload_seconds = time.perf_counter() - started
    assert upload.status == Upload.Status.COMMITTED and upload.written == count, (upload.status, upload.written,
                                                                                upload.message, upload.errors[:3])

    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    chunk = settings.API_BULK_MAX_ROWS
    written = 0
    started = time.perf_counter()
    for first in range(0, count, chunk):
        body = json.dumps({"rows": bulk_rows[first:first + chunk], "commit": True}, ensure_ascii=False)
        response = client.post("/api/v1/uploads/training/", body, content_type="application/json", **headers)
        assert response.status_code == 200, response.content[:300]
        written += response.json()["written"]
    bulk_seconds = time.perf_counter() - started
    assert written == count, written
    print(f"upload path (CSV, preview then commit): {count:,} completions in {upload_seconds:.1f} s, "
          f"{count / upload_seconds:,.0f} rows/s")
    print(f"bulk endpoint (JSON, {chunk:,} rows a request, commit=true): {bulk_seconds:.1f} s, "
          f"{count / bulk_seconds:,.0f} rows/s")
    print(f"  ratio bulk / upload path: {bulk_seconds / upload_seconds:.2f} (target ≤ 1.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--completions", type=int, default=100_000)
    parser.add_argument("--page-size", default="1000,5000",
                        help="page sizes to page through, comma-separated (default: 1000,5000)")
    parser.add_argument("--only", choices=("paging", "bulk"), help="time one of the two")
    options = parser.parse_args()
    ensure_database()
    seed(options.workers)
    from django.conf import settings
    from django.contrib.auth.models import Permission

    from api.services import token_create
    from membership.models import Unit, User

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    district = Unit.objects.get(code=DISTRICT)
    token, key = token_create(name=f"基准系统{time.time():.0f}", unit=district, role="level1",
                              rate_per_minute=1_000_000)
    uploader, _ = User.objects.get_or_create(username="bench-api-uploader", defaults={"unit": district, "is_staff": True})
    uploader.user_permissions.add(Permission.objects.get(codename="add_trainingrecord"))
    uploader = User.objects.get(pk=uploader.pk)
    if options.only != "bulk":
        for page_size in options.page_size.split(","):
            paging(key, int(page_size))
    if options.only != "paging":
        pushing(key, uploader, min(options.completions, options.workers))


if __name__ == "__main__":
    main()
