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
        public = getattr(model_admin, "public_choices", {}).get(name)
        if public:
            # A field that declares shared choices (the city's approved courses) offers exactly the
            # user's rows and the shared ones: a 海淀 row only when it is shared.
            shared = set(getattr(related._default_manager.all(), public)().values_list("pk", flat=True))
            offered = set(field.queryset.values_list("pk", flat=True))
            assert offered == set(scoping.visible_to(related._default_manager.all(), chaoyang_all_permissions)
                                  .values_list("pk", flat=True)) | shared, f"{model._meta.label}.{name}"
            if foreign.pk in shared:
                continue
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


# Shared owners (issue 7): a row two units own is seen by both, changed by those whose owner rule
# allows it, and refused to a third district, whichever district is on which side.

def _officer(unit, name):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(username=name, unit=unit)
    user.user_permissions.set(Permission.objects.all())
    return user


@pytest.fixture
def dongcheng(tree):
    from membership.models import Unit

    return Unit.objects.get(code="110101")


def test_every_model_with_several_owners_has_a_shared_case():
    from django.apps import apps

    from tests.factories import SHARED

    shared = [model for model in apps.get_models() if scoping.is_scoped(model)
              and (len(scoping.model_scope(model).owners) > 1 or scoping.model_scope(model).assigned)]
    missing = [model._meta.label for model in shared if model not in {case.model for case in SHARED}]
    assert shared and not missing, f"add these to tests.factories.SHARED: {missing}"


def _shared_params():
    from tests.factories import SHARED

    return [pytest.param(case, sides, id=f"{case.model._meta.label}: {case.name} ({sides})")
            for case in SHARED for sides in ("海淀|朝阳", "朝阳|海淀")]


@pytest.mark.parametrize("case, sides", _shared_params())
def test_both_owners_see_a_shared_row_and_a_third_district_is_refused(client, tree, dongcheng, case, sides):
    enterprise = {"海淀": tree["haidian_enterprise"], "朝阳": tree["chaoyang_enterprise"]}
    district = {"海淀": tree["haidian"], "朝阳": tree["chaoyang"]}
    first_name, second_name = sides.split("|")
    row = case.make(enterprise[first_name], enterprise[second_name])
    first = _officer(district[first_name], "first")
    if case.second_user is not None:
        second = case.second_user(row)
        second.user_permissions.set(_officer(None, "perms").user_permissions.all())
    else:
        second = _officer(district[second_name], "second")
    third = _officer(dongcheng, "third")
    rows = case.model.objects.filter(pk=row.pk)

    assert scoping.visible_to(rows, first).count() == 1
    assert scoping.changeable_by(rows, first).count() == (1 if case.first_changes else 0)
    assert scoping.visible_to(rows, second).count() == 1
    assert scoping.changeable_by(rows, second).count() == (1 if case.second_changes else 0)
    assert not scoping.visible_to(rows, third).exists()
    assert not scoping.changeable_by(rows, third).exists()

    if case.model not in admin.site._registry:
        return
    for user, changes in ((first, case.first_changes), (second, case.second_changes)):
        client.force_login(user)
        response = client.get(_url(case.model, "changelist"))
        assert row.pk in set(response.context["cl"].queryset.values_list("pk", flat=True))
        response = client.get(_url(case.model, "change", row.pk))
        assert response.status_code == 200
        # Some admins are read-only for everyone (courseware progress): only the row's own answer is tested.
        model_level = admin.site._registry[case.model].has_change_permission(response.wsgi_request)
        assert response.context["has_change_permission"] is (changes and model_level)
        if not changes:  # a read-only owner cannot delete it either
            assert client.post(_url(case.model, "delete", row.pk), {"post": "yes"}).status_code == 403
            client.post(_url(case.model, "changelist"),
                        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
            assert rows.exists()
    client.force_login(third)
    response = client.get(_url(case.model, "changelist"))
    assert row.pk not in set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert client.get(_url(case.model, "change", row.pk)).status_code == 404
    # An admin that deletes nothing for anyone (ledger conversions) refuses before looking the row up.
    deletes = admin.site._registry[case.model].has_delete_permission(response.wsgi_request)
    assert client.post(_url(case.model, "delete", row.pk), {"post": "yes"}).status_code == (404 if deletes else 403)
    assert rows.exists()


def test_after_a_transfer_the_old_unit_keeps_its_facts_and_the_new_unit_sees_the_whole_record(client, tree):
    from courses import services as course_services
    from courses.models import Enrolment
    from tests.factories import WorkerFactory, class_create, course_create, worker_transfer

    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    city_course = course_create(tree["root"])
    before = course_services.enrolment_create(worker=worker, course_class=class_create(city_course))
    worker_transfer(worker, tree["haidian_enterprise"])
    worker.refresh_from_db()
    after = course_services.enrolment_create(worker=worker, course_class=class_create(city_course))
    assert (before.unit, after.unit) == (tree["chaoyang_enterprise"], tree["haidian_enterprise"])

    chaoyang, haidian = _officer(tree["chaoyang"], "cy-t"), _officer(tree["haidian"], "hd-t")
    enrolments = Enrolment.objects.filter(worker=worker)
    assert set(scoping.visible_to(enrolments, chaoyang)) == {before}
    assert set(scoping.changeable_by(enrolments, chaoyang)) == {before}
    assert set(scoping.visible_to(enrolments, haidian)) == {before, after}
    assert set(scoping.changeable_by(enrolments, haidian)) == {after}

    # 海淀 sees the earlier enrolment but neither list edits nor bulk actions change it.
    client.force_login(haidian)
    client.post(_url(Enrolment, "changelist"), {
        "form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000",
        "form-0-id": before.pk, "form-0-attended_hours": "99", "form-0-score": "1",
        "form-1-id": after.pk, "form-1-attended_hours": "3", "form-1-score": "",
        "_save": "Save",
    })
    client.post(_url(Enrolment, "changelist"), {"action": "mark_completed", "_selected_action": [before.pk, after.pk]})
    before.refresh_from_db()
    after.refresh_from_db()
    assert (before.attended_hours, before.score, before.status) == (0, None, Enrolment.Status.ENROLLED)
    assert after.status == Enrolment.Status.COMPLETED
    # 朝阳 still closes the seat taken in its time.
    client.force_login(chaoyang)
    client.post(_url(Enrolment, "changelist"), {"action": "mark_completed", "_selected_action": [before.pk]})
    before.refresh_from_db()
    assert before.status == Enrolment.Status.COMPLETED


def _scoped_inlines():
    from membership.admin_scoped import ScopedInline

    return [pytest.param(model_admin, inline_class, id=f"{model._meta.label}.{inline_class.__name__}")
            for model, model_admin in REGISTERED for inline_class in model_admin.inlines
            if issubclass(inline_class, ScopedInline) and scoping.is_scoped(inline_class.model)]


@pytest.mark.parametrize("model_admin, inline_class", _scoped_inlines())
def test_inlines_show_only_rows_the_user_may_see(tree, chaoyang_all_permissions, model_admin, inline_class):
    own = IN_UNIT[inline_class.model](tree["chaoyang_enterprise"])
    other = IN_UNIT[inline_class.model](tree["haidian_enterprise"])
    request = RequestFactory().get("/")
    request.user = chaoyang_all_permissions
    shown = set(inline_class(model_admin.model, admin.site).get_queryset(request).values_list("pk", flat=True))
    assert own.pk in shown
    assert other.pk not in shown


def test_class_page_lists_the_enrolments_of_other_districts_workers_to_its_organiser(client, tree):
    """A 海淀 class with a 朝阳 worker's enrolment: 海淀 sees it in the class's inline."""
    from tests.factories import WorkerFactory, class_create, course_create, enrolment_make

    haidian_class = class_create(course_create(tree["haidian"]))
    chaoyang_worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="朝阳学员")
    enrolment_make(haidian_class, chaoyang_worker)
    client.force_login(_officer(tree["haidian"], "hd-class"))
    response = client.get(_url(haidian_class._meta.model, "change", haidian_class.pk))
    assert response.status_code == 200
    assert "朝阳学员" in response.content.decode()


def test_an_inline_saves_only_the_rows_the_user_may_change(client, tree, monkeypatch):
    """Were an activity's organiser only to see some registrations, saving the activity page
    would leave those as they are."""
    from courses.models import Activity, ActivityRegistration
    from membership.scoping import Owner, Scope
    from tests.factories import WorkerFactory, activity_create

    monkeypatch.setattr(ActivityRegistration, "SCOPE",
                        Scope(owners=(Owner("unit"), Owner("activity__unit", change=False))))
    activity = activity_create(tree["chaoyang"])
    own, seen = (ActivityRegistration.objects.create(activity=activity, worker=worker, unit_id=worker.unit_id)
                 for worker in (WorkerFactory(unit=tree["chaoyang_enterprise"]), WorkerFactory(unit=tree["haidian_enterprise"])))
    client.force_login(_officer(tree["chaoyang"], "cy-inline"))
    page = client.get(_url(Activity, "change", activity.pk))
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()
            if name not in ("target_groups",)}
    data.update({"unit": activity.unit_id, "starts_on": activity.starts_on, "ends_on": activity.ends_on,
                 "registrations-TOTAL_FORMS": "2", "registrations-INITIAL_FORMS": "2",
                 "registrations-MIN_NUM_FORMS": "0", "registrations-MAX_NUM_FORMS": "1000"})
    for index, registration in enumerate((own, seen)):
        data.update({f"registrations-{index}-id": registration.pk, f"registrations-{index}-activity": activity.pk,
                     f"registrations-{index}-status": "attended", f"registrations-{index}-result": "一等奖"})
    response = client.post(_url(Activity, "change", activity.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    own.refresh_from_db()
    seen.refresh_from_db()
    assert (own.status, own.result) == ("attended", "一等奖")
    assert (seen.status, seen.result) == ("registered", "")
