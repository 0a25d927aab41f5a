"""MEM-2 for every model registered in the admin, including those later issues add: a 朝阳 officer
holding every permission still never sees, opens, deletes or picks a 海淀 row."""
from __future__ import annotations

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from membership import scoping
from tests.factories import IN_UNIT

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
SCOPED = [(model, model_admin) for model, model_admin in REGISTERED if scoping.is_scoped(model)]
UNSCOPED = [(model, model_admin) for model, model_admin in REGISTERED if not scoping.is_scoped(model)]


def _ids(items):
    return [model._meta.label for model, _ in items]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_scoped_admin_model_has_a_factory():
    missing = [model._meta.label for model, _ in SCOPED if model not in IN_UNIT]
    assert not missing, f"add these to tests.factories.IN_UNIT: {missing}"


@pytest.mark.parametrize("model, model_admin", SCOPED, ids=_ids(SCOPED))
def test_officer_sees_own_rows_and_no_other_district_rows(client, tree, chaoyang_all_permissions, model, model_admin):
    own = IN_UNIT[model](tree["chaoyang_enterprise"])
    other = IN_UNIT[model](tree["haidian_enterprise"])
    client.force_login(chaoyang_all_permissions)
    response = client.get(_url(model, "changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert own.pk in shown
    assert other.pk not in shown
    if model_admin.search_fields:
        response = client.get(_url(model, "changelist"), {"q": str(getattr(other, "name", "") or other.pk)})
        assert other.pk not in set(response.context["cl"].queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("model, model_admin", SCOPED, ids=_ids(SCOPED))
def test_officer_cannot_open_or_delete_other_district_rows(client, tree, chaoyang_all_permissions, model, model_admin):
    other = IN_UNIT[model](tree["haidian_enterprise"])
    client.force_login(chaoyang_all_permissions)
    for view in ("change", "delete", "history"):
        assert client.get(_url(model, view, other.pk)).status_code in (403, 404), view
    assert client.post(_url(model, "delete", other.pk), {"post": "yes"}).status_code in (403, 404)
    assert model.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("model, model_admin", SCOPED, ids=_ids(SCOPED))
def test_bulk_actions_ignore_other_district_rows(client, tree, chaoyang_all_permissions, model, model_admin):
    other = IN_UNIT[model](tree["haidian_enterprise"])
    client.force_login(chaoyang_all_permissions)
    client.post(_url(model, "changelist"), {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"})
    assert model.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("model, model_admin", REGISTERED, ids=_ids(REGISTERED))
def test_foreign_key_choices_exclude_other_district_objects(tree, chaoyang_all_permissions, model, model_admin):
    request = RequestFactory().get("/")
    request.user = chaoyang_all_permissions
    form_class = model_admin.get_form(request, None)
    for name, field in form_class.base_fields.items():
        if not isinstance(field, (forms.ModelChoiceField, forms.ModelMultipleChoiceField)):
            continue
        related = field.queryset.model
        if not scoping.is_scoped(related):
            continue
        foreign = IN_UNIT[related](tree["haidian_enterprise"])
        assert not field.queryset.filter(pk=foreign.pk).exists(), f"{model._meta.label}.{name}"
        with pytest.raises(forms.ValidationError):  # typing the id by hand fails too
            field.clean(foreign.pk if isinstance(field, forms.ModelChoiceField) else [foreign.pk])


@pytest.mark.parametrize("field_path", ["membership.worker.unit", "membership.user.unit"])
def test_autocomplete_offers_no_other_district_unit(client, tree, chaoyang_all_permissions, field_path):
    app_label, model_name, field_name = field_path.split(".")
    client.force_login(chaoyang_all_permissions)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": app_label, "model_name": model_name, "field_name": field_name, "term": "工会",
    })
    assert response.status_code == 200
    names = [item["text"] for item in response.json()["results"]]
    assert any("朝阳" in name for name in names)
    assert not any("海淀" in name for name in names)


@pytest.mark.parametrize("model, model_admin", UNSCOPED, ids=_ids(UNSCOPED))
def test_unit_staff_cannot_change_global_reference_data(rf, chaoyang_officer, model, model_admin):
    request = rf.get("/")
    request.user = chaoyang_officer
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_staff_user_without_unit_sees_nothing(client, tree):
    from django.contrib.auth.models import Permission

    from membership.models import Worker
    from tests.factories import UserFactory, WorkerFactory

    WorkerFactory(unit=tree["chaoyang_enterprise"])
    orphan = UserFactory(unit=None)
    orphan.user_permissions.set(Permission.objects.filter(codename="view_worker"))
    client.force_login(orphan)
    response = client.get(reverse("admin:membership_worker_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    assert Worker.objects.count() == 1


def test_municipal_staff_see_every_district(client, tree, municipal):
    from tests.factories import WorkerFactory

    a = WorkerFactory(unit=tree["chaoyang_enterprise"])
    b = WorkerFactory(unit=tree["haidian_enterprise"])
    client.force_login(municipal)
    response = client.get(reverse("admin:membership_worker_changelist"))
    assert {a.pk, b.pk} <= set(response.context["cl"].queryset.values_list("pk", flat=True))
