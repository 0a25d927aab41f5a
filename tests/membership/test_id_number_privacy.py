"""MEM-4: without the reveal permission no response, export, log line or history row carries a
full ID number; with it, each reveal is recorded."""
from __future__ import annotations

import logging
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from membership.models import IdNumberReveal, Worker
from tests.factories import WorkerFactory

FULL_ID = re.compile(r"\d{17}[\dXx]")
NUMBER = "11010519491231002X"


@pytest.fixture
def worker(tree):
    return WorkerFactory(unit=tree["chaoyang_enterprise"], id_number=NUMBER, name="王秀兰")


def test_no_full_id_number_in_admin_pages_exports_logs_or_history(client, tree, chaoyang_officer, worker, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(chaoyang_officer)
    bodies = []
    for url in (
        reverse("admin:membership_worker_changelist"),
        reverse("admin:membership_worker_changelist") + f"?q={NUMBER}",
        reverse("admin:membership_worker_change", args=[worker.pk]),
        reverse("admin:membership_worker_history", args=[worker.pk]),
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    # The search by full number finds the worker through the keyed hash.
    assert "王秀兰" in bodies[1]
    # A change through the admin writes a history row.
    client.post(reverse("admin:membership_worker_change", args=[worker.pk]), {
        "name": "王秀兰", "unit": tree["chaoyang_enterprise"].pk, "post": "质检员", "education": "",
        "phone": "", "joined_union_on": "", "transfers-TOTAL_FORMS": "0", "transfers-INITIAL_FORMS": "0",
    })
    assert Worker.objects.get(pk=worker.pk).post == "质检员"
    for file_format in ("0", "1", "2"):  # every format the export offers
        response = client.post(reverse("admin:membership_worker_export"), {
            "format": file_format, "resource": "0",
            **{f"workerresource_{f}": "on" for f in ("name", "id_number", "unit_code", "unit_name", "post")},
        })
        bodies.append(response.content.decode("utf-8", errors="ignore"))
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            import io

            import openpyxl

            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
            bodies.append(" ".join(str(c.value) for row in sheet.iter_rows() for c in row))
    history = " ".join(f"{e.object_repr} {e.change_message}" for e in LogEntry.objects.all())
    assert LogEntry.objects.exists()
    for text in (*bodies, history, caplog.text):
        assert not [m for m in FULL_ID.findall(text) if m.upper() == NUMBER], text[:200]
    assert any("110105********002X" in body for body in bodies)


def test_reveal_needs_the_permission_and_is_recorded(client, tree, chaoyang_officer, municipal, worker):
    client.force_login(chaoyang_officer)
    url = reverse("admin:membership_worker_reveal", args=[worker.pk])
    assert client.post(url).status_code == 403
    assert IdNumberReveal.objects.count() == 0
    client.force_login(municipal)
    confirm = client.get(url)
    assert NUMBER not in confirm.content.decode()  # a confirmation first
    response = client.post(url)
    assert NUMBER in response.content.decode()
    reveal = IdNumberReveal.objects.get()
    assert (reveal.user, reveal.worker) == (municipal, worker)


def test_officer_export_needs_the_export_permission(client, tree, worker):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    viewer = UserFactory(unit=tree["chaoyang"])
    viewer.user_permissions.set(Permission.objects.filter(codename="view_worker"))
    client.force_login(viewer)
    assert client.get(reverse("admin:membership_worker_export")).status_code == 403


def test_exported_cells_that_look_like_formulas_are_neutralised(client, tree, chaoyang_officer):
    WorkerFactory(unit=tree["chaoyang_enterprise"], name="=HYPERLINK(\"http://x\")")
    WorkerFactory(unit=tree["chaoyang_enterprise"], name="@SUM(A1)", post="-2+3")
    client.force_login(chaoyang_officer)
    response = client.post(reverse("admin:membership_worker_export"), {
        "format": "0", "resource": "0", "workerresource_name": "on", "workerresource_post": "on",
    })
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text and "'-2+3" in text
    assert "\n=" not in text and ",=" not in text
