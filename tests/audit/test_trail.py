"""Item 16 of issue 6: every change of a worker, unit, course, class, enrolment or credit entry is
in the trail with who, when and from which page or upload — COPY writes included — with ID
numbers masked and within the viewer's subtree."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import EVENT_MODELS, UnitEvent, WorkerEvent
from core.identity import make_id_number
from membership.models import Worker
from tests.conftest import CHAOYANG_ENTERPRISE
from tests.factories import WorkerFactory
from uploads import services
from uploads.models import Upload

HEADER = "姓名,身份证号,单位代码,岗位,一线职工,农民工,困难职工,文化程度,手机号码,入会日期"
BIRTHS = [dt.date(1985, 3, 17), dt.date(1979, 11, 2), dt.date(1992, 6, 28)]
NUMBERS = [make_id_number("110105", birth, 11 + 2 * index) for index, birth in enumerate(BIRTHS)]


def roster(unit_code: str, posts=("焊工", "钳工", "电工")) -> bytes:
    lines = [HEADER] + [
        f"职工{index},{number},{unit_code},{post},是,否,否,大专,1380013800{index},2013-05-01"
        for index, (number, post) in enumerate(zip(NUMBERS, posts))
    ]
    return ("\n".join(lines) + "\n").encode()


def commit_upload(user, data: bytes) -> Upload:
    """The path a Celery worker takes: no request, so no middleware context."""
    upload = services.upload_receive(user=user, kind_code="workers", file_name="花名册.csv", data=data)
    assert upload.status == Upload.Status.PREVIEWED, upload.message
    upload = services.upload_start(upload=upload, commit=True, in_background=False)
    assert upload.status == Upload.Status.COMMITTED, upload.message
    return upload


def raw_trail() -> str:
    """Every row of every event table (and pghistory's context table) as the database holds it."""
    tables = [model._meta.db_table for model in EVENT_MODELS] + ["pghistory_context"]
    with connection.cursor() as cursor:
        dump = []
        for table in tables:
            cursor.execute(f'SELECT row_to_json(t)::text FROM "{table}" t')
            dump += [row[0] for row in cursor.fetchall()]
    return "\n".join(dump)


def test_the_tests_run_where_the_trail_is_recorded(db):
    assert connection.vendor == "postgresql"


def test_admin_edit_of_a_worker_post_is_recorded_with_user_page_and_before_after(client, tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], post="焊工")
    client.force_login(chaoyang_officer)
    url = reverse("admin:membership_worker_change", args=[worker.pk])
    response = client.post(url, {
        "name": worker.name, "unit": worker.unit_id, "post": "数控操作工", "education": "", "phone": "",
        "joined_union_on": "", "transfers-TOTAL_FORMS": "0", "transfers-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    created, changed = WorkerEvent.objects.filter(pgh_obj=worker).order_by("pgh_id")
    assert (created.pgh_label, created.post) == ("insert", "焊工")
    assert (changed.pgh_label, changed.post) == ("update", "数控操作工")
    assert changed.pgh_context["user"] == chaoyang_officer.pk
    assert changed.pgh_context["url"] == url

    page = client.get(reverse("admin:audit_workerevent_changelist"), {"pgh_obj__exact": worker.pk})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [changed, created]
    html = page.content.decode()
    assert "焊工 → 数控操作工" in html and chaoyang_officer.username in html


def test_a_save_that_changes_no_tracked_field_records_nothing(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    worker.save(update_fields=["updated_at"])
    assert list(WorkerEvent.objects.filter(pgh_obj=worker).values_list("pgh_label", flat=True)) == ["insert"]


def test_roster_commit_by_copy_records_one_insert_per_row_with_the_upload(tree, chaoyang_officer):
    upload = commit_upload(chaoyang_officer, roster(CHAOYANG_ENTERPRISE))
    workers = list(Worker.objects.order_by("id"))
    assert len(workers) == 3
    events = list(WorkerEvent.objects.order_by("pgh_id"))
    assert [(event.pgh_label, event.pgh_obj_id) for event in events] == [("insert", worker.pk) for worker in workers]
    for event in events:
        assert event.pgh_context["upload"] == upload.pk
        assert event.pgh_context["user"] == chaoyang_officer.pk
        assert event.unit_id == tree["chaoyang_enterprise"].pk


def test_reupload_changing_a_post_records_one_update_with_the_upload(tree, chaoyang_officer):
    first = commit_upload(chaoyang_officer, roster(CHAOYANG_ENTERPRISE))
    second = commit_upload(chaoyang_officer, roster(CHAOYANG_ENTERPRISE, posts=("焊工", "质检员", "电工")))
    assert second.updated == 1
    update = WorkerEvent.objects.get(pgh_label="update")
    assert update.pgh_obj.name == "职工1"
    assert update.post == "质检员"
    assert update.pgh_context["upload"] == second.pk != first.pk
    previous = WorkerEvent.objects.filter(pgh_obj=update.pgh_obj, pgh_id__lt=update.pgh_id).latest("pgh_id")
    assert previous.post == "钳工"


def test_the_trail_never_holds_a_full_id_number_or_a_birth_date(client, tree, chaoyang_officer, municipal):
    commit_upload(chaoyang_officer, roster(CHAOYANG_ENTERPRISE))
    commit_upload(chaoyang_officer, roster(CHAOYANG_ENTERPRISE, posts=("车工", "质检员", "司机")))
    client.force_login(municipal)
    added = make_id_number("110108", dt.date(1988, 8, 8), 21)
    response = client.post(reverse("admin:membership_worker_add"), {
        "id_number": added, "name": "王芳", "unit": tree["haidian_enterprise"].pk, "post": "护工", "education": "",
        "phone": "", "joined_union_on": "", "transfers-TOTAL_FORMS": "0", "transfers-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    Worker.objects.filter(name="职工2").delete()
    trail = raw_trail()
    assert trail.count('"pgh_label":"insert"') >= 4 and '"pgh_label":"delete"' in trail
    for worker in Worker.objects.all():
        assert worker.id_number_digest not in trail
        assert worker.id_number_encrypted not in trail
    for number in [*NUMBERS, added]:
        birth = number[6:14]
        assert number not in trail
        assert birth not in trail
        assert f"{birth[:4]}-{birth[4:6]}-{birth[6:]}" not in trail
        # The masked form is there, and it hides exactly the birth digits.
        assert f"{number[:6]}********{number[14:]}" in trail
    assert "birth_date" not in trail and "id_number_digest" not in trail


def test_haidian_officer_cannot_see_chaoyang_events(client, tree, chaoyang_officer, haidian_officer):
    commit_upload(chaoyang_officer, roster(CHAOYANG_ENTERPRISE))
    own = WorkerFactory(unit=tree["haidian_enterprise"])
    chaoyang_event = WorkerEvent.objects.filter(unit=tree["chaoyang_enterprise"]).first()
    client.force_login(haidian_officer)
    page = client.get(reverse("admin:audit_workerevent_changelist"))
    assert page.status_code == 200
    shown = list(page.context["cl"].queryset)
    assert {event.pgh_obj_id for event in shown} == {own.pk}
    assert "职工0" not in page.content.decode()
    assert client.get(reverse("admin:audit_workerevent_change", args=[chaoyang_event.pk])).status_code == 404
    # Nor through the user filter: 朝阳's officer is not offered, and asking for them finds nothing.
    users = dict(page.context["cl"].filter_specs[2].lookup_choices)
    assert str(chaoyang_officer.pk) not in users
    filtered = client.get(reverse("admin:audit_workerevent_changelist"), {"user": chaoyang_officer.pk})
    assert list(filtered.context["cl"].queryset) == []
    # The units' trail likewise: 朝阳's enterprise union is not in 海淀's list.
    units = client.get(reverse("admin:audit_unitevent_changelist")).context["cl"].queryset
    assert not units.filter(pgh_obj=tree["chaoyang_enterprise"]).exists()
    assert UnitEvent.objects.filter(pgh_obj=tree["chaoyang_enterprise"]).exists()


def test_the_trail_is_read_only(client, tree, municipal):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    event = WorkerEvent.objects.get(pgh_obj=worker)
    client.force_login(municipal)
    page = client.get(reverse("admin:audit_workerevent_change", args=[event.pk]))
    assert page.status_code == 200 and b'type="submit"' not in page.content.split(b'id="content-main"')[1]
    # The time of the change in local time (Asia/Shanghai), not the stored UTC value.
    local = timezone.localtime(event.pgh_created_at)
    assert local.strftime("%H:%M") in page.content.decode() and "+00:00" not in page.content.decode()
    assert client.post(reverse("admin:audit_workerevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:audit_workerevent_add")).status_code == 403
    assert WorkerEvent.objects.filter(pk=event.pk).exists()
    # Nor from a shell or a raw query: the database refuses to edit or delete the trail.
    for change in (lambda: WorkerEvent.objects.filter(pk=event.pk).update(post="篡改"),
                   lambda: WorkerEvent.objects.filter(pk=event.pk).delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert WorkerEvent.objects.get(pk=event.pk).post == worker.post


def test_worker_and_unit_pages_link_to_their_trail(client, tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    client.force_login(chaoyang_officer)
    page = client.get(reverse("admin:membership_worker_change", args=[worker.pk])).content.decode()
    assert f'{reverse("admin:audit_workerevent_changelist")}?pgh_obj__exact={worker.pk}' in page
    unit = tree["chaoyang_enterprise"]
    page = client.get(reverse("admin:membership_unit_change", args=[unit.pk])).content.decode()
    assert f'{reverse("admin:audit_unitevent_changelist")}?pgh_obj__exact={unit.pk}' in page


def test_the_audit_page_says_when_the_database_records_no_trail(client, tree, municipal, monkeypatch):
    client.force_login(municipal)
    url = reverse("admin:audit_workerevent_changelist")
    assert 'id="audit-not-recorded"' not in client.get(url).content.decode()
    monkeypatch.setattr("audit.admin.is_recorded", lambda: False)
    assert 'id="audit-not-recorded"' in client.get(url).content.decode()


DEMO_SCRIPT = """
import django
django.setup()
from django.test import Client
from membership.models import User, Worker
from membership.seed import seed_demo
from uploads import pipeline
seed_demo(workers=20, seed=1)
root = User.objects.create_superuser("audit-root", password="Beijing-2026-audit")
client = Client()
client.force_login(root)
worker = Worker.objects.select_related("unit").first()
saved = client.post(f"/admin/membership/worker/{worker.pk}/change/", {
    "name": worker.name, "unit": worker.unit_id, "post": "质检员", "education": "", "phone": "",
    "joined_union_on": "", "transfers-TOTAL_FORMS": "0", "transfers-INITIAL_FORMS": "0"})
worker.refresh_from_db()
page = client.get("/admin/audit/workerevent/")
print(saved.status_code, worker.post, page.status_code, 'id="audit-not-recorded"' in page.content.decode())
from core.identity import make_id_number
import datetime as dt
number = make_id_number("110105", dt.date(1990, 1, 2), 17)
roster = f"姓名,身份证号,单位代码,岗位,一线职工,农民工,困难职工,文化程度,手机号码,入会日期\\n李四,{number},{worker.unit.code},电工,是,否,否,,,\\n".encode()
summary = pipeline.run(kind_code="workers", data=roster, user=root, commit=True)
print(summary.written, Worker.objects.filter(name="李四").count())
"""


def test_embedded_sqlite_demo_migrates_saves_and_says_it_records_no_trail(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", DJANGO_SETTINGS_MODULE="portal.settings.base",
               PYTHONPATH=str(root))
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, capture_output=True,
                             text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr
    demo = subprocess.run([sys.executable, "-c", DEMO_SCRIPT], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.split()[-6:] == ["302", "质检员", "200", "True", "1", "1"]


def test_the_audit_list_costs_the_same_queries_for_many_events(client, tree, municipal):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(db) as captured:
            assert client.get(reverse("admin:audit_workerevent_changelist")).status_code == 200
        return len(captured)

    client.force_login(municipal)
    for unit in ("chaoyang_enterprise", "haidian_enterprise"):
        WorkerFactory(unit=tree[unit])
    few = queries()
    for index in range(20):
        worker = WorkerFactory(unit=tree["chaoyang_enterprise" if index % 2 else "haidian_enterprise"])
        worker.unit = tree["chaoyang_enterprise"]
        worker.post = f"岗位{index}"
        worker.save()
    assert queries() == few


def test_a_facts_trail_follows_the_facts_owners_after_a_transfer(client, tree, chaoyang_officer, haidian_officer):
    """MEM-2: like the fact itself, its trail stays visible to the unit it happened in (and the
    class's organiser); the worker's new unit sees it too."""
    from courses import services as course_services
    from courses.models import Enrolment
    from tests.factories import class_create, course_create, worker_transfer

    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    enrolment = course_services.enrolment_create(worker=worker, course_class=class_create(course_create(tree["root"])))
    assert enrolment.status == Enrolment.Status.ENROLLED
    worker_transfer(worker, tree["haidian_enterprise"])
    for officer in (chaoyang_officer, haidian_officer):
        client.force_login(officer)
        shown = client.get(reverse("admin:audit_enrolmentevent_changelist")).context["cl"].queryset
        assert shown.filter(pgh_obj=enrolment).exists(), officer.username
