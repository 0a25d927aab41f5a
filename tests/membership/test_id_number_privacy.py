"""MEM-4: without the reveal permission no response, export, log line or history row carries a
full ID number; with it, each reveal is recorded."""
from __future__ import annotations

import logging
import re
from urllib.parse import unquote

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from membership.models import IdNumberLookup, IdNumberReveal, Worker
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
        reverse("admin:membership_worker_change", args=[worker.pk]),
        reverse("admin:membership_worker_history", args=[worker.pk]),
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    response = client.post(reverse("admin:membership_worker_id_search"), {"id_number": NUMBER}, follow=True)
    bodies.insert(1, response.content.decode())
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


def test_search_by_full_id_number_is_a_post_and_the_number_is_in_no_address(client, tree, chaoyang_officer, worker):
    other = WorkerFactory(unit=tree["chaoyang_enterprise"], name="李明")
    client.force_login(chaoyang_officer)
    page = client.get(reverse("admin:membership_worker_changelist")).content.decode()
    assert f'action="{reverse("admin:membership_worker_id_search")}"' in page and 'method="post"' in page
    assert client.get(reverse("admin:membership_worker_id_search")).status_code == 405
    response = client.post(reverse("admin:membership_worker_id_search"), {"id_number": NUMBER})
    assert response.status_code == 302 and NUMBER not in response["Location"]
    assert "110105********002X" in unquote(response["Location"])
    found = client.get(response["Location"])
    assert list(found.context["cl"].result_list) == [worker] and other.name not in found.content.decode()
    lookup = IdNumberLookup.objects.get()
    assert (lookup.user, lookup.source, lookup.worker, lookup.id_number_masked, lookup.answered) == (
        chaoyang_officer, "search", worker, "110105********002X", True)


def test_a_full_id_number_in_the_address_is_not_answered(client, tree, chaoyang_officer, worker):
    WorkerFactory(unit=tree["chaoyang_enterprise"], name="李明")
    client.force_login(chaoyang_officer)
    url = reverse("admin:membership_worker_changelist")
    response = client.get(f"{url}?q={NUMBER}&is_frontline__exact=0")
    # Not answered through the keyed hash: back to the list, the number dropped from the address.
    assert response.status_code == 302 and NUMBER not in response["Location"] and "q=" not in response["Location"]
    page = client.get(response["Location"])
    assert NUMBER not in page.content.decode() and len(page.context["cl"].result_list) == 2
    assert [str(m) for m in page.context["messages"]]  # a message points to the search form
    # The masked form finds nobody unless a POSTed search put its hash in the session.
    masked = client.get(url, {"q": "110105********002X"})
    assert list(masked.context["cl"].result_list) == []
    assert not IdNumberLookup.objects.exists()


def test_searches_by_full_id_number_count_against_the_daily_allowance(client, tree, chaoyang_officer, worker, settings):
    settings.ID_NUMBER_LOOKUPS_PER_DAY = 1
    second = WorkerFactory(unit=tree["chaoyang_enterprise"], name="李明")
    client.force_login(chaoyang_officer)
    search = reverse("admin:membership_worker_id_search")
    assert "q=" in client.post(search, {"id_number": NUMBER})["Location"]
    assert "q=" in client.post(search, {"id_number": NUMBER})["Location"]  # the same number again is free
    from core.crypto import decrypt_id_number

    refused = client.post(search, {"id_number": decrypt_id_number(second.id_number_encrypted)})
    assert "q=" not in refused["Location"]
    assert list(IdNumberLookup.objects.order_by("pk").values_list("worker", "answered")) == [
        (worker.pk, True), (worker.pk, True), (second.pk, False)]
