"""Issue 8, "no dead ends": a button or link is shown only to a user who may use it."""
from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import UserFactory, WorkerFactory


def test_the_reveal_button_shows_only_with_the_reveal_permission(client, tree, chaoyang_officer, municipal):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    change = reverse("admin:membership_worker_change", args=[worker.pk])
    reveal = reverse("admin:membership_worker_reveal", args=[worker.pk])
    assert not chaoyang_officer.has_perm("membership.reveal_id_number")
    client.force_login(chaoyang_officer)
    page = client.get(change)
    assert page.status_code == 200 and reveal not in page.content.decode()
    client.force_login(municipal)
    page = client.get(change)
    assert page.status_code == 200 and reveal in page.content.decode()


def test_the_export_button_shows_only_with_the_export_permission(client, tree):
    WorkerFactory(unit=tree["chaoyang_enterprise"])
    export = reverse("admin:membership_worker_export")
    viewer = UserFactory(unit=tree["chaoyang"])
    viewer.user_permissions.set(Permission.objects.filter(codename="view_worker"))
    client.force_login(viewer)
    page = client.get(reverse("admin:membership_worker_changelist"))
    assert page.status_code == 200 and export not in page.content.decode()
    viewer.user_permissions.add(Permission.objects.get(codename="export_worker"))
    client.force_login(viewer)
    page = client.get(reverse("admin:membership_worker_changelist"))
    assert export in page.content.decode()
