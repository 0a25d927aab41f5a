"""MEM-2 for every route of /api/v1/, including those later issues register: a 朝阳 district
system's token sees its own rows and never a 海淀 row, opens no 海淀 row and writes to none; a
leadership token reads and every write is refused. Routes come from the router's registry, so a
new route is covered without editing this file (a new write route must add a payload below)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from api.registry import router
from membership import scoping
from tests.factories import IN_UNIT, WorkerFactory, class_create, course_create

ROUTES = sorted(router.registry, key=lambda entry: entry[0])
IDS = [prefix for prefix, _viewset, _basename in ROUTES]


def _model(viewset):
    return viewset.queryset.model


def _creates(viewset) -> bool:
    return hasattr(viewset, "create")


def _list(basename):
    return reverse(f"{basename}-list")


def _detail(basename, pk):
    return reverse(f"{basename}-detail", args=[pk])


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _training_payload(tree, worker):
    return {"worker": worker.pk, "project": "数控车床操作提升班", "kind": "skills", "hours": "16",
            "completed_on": timezone.localdate().isoformat()}


def _certificate_payload(tree, worker):
    from talent.models import Occupation

    return {"worker": worker.pk, "occupation": Occupation.objects.order_by("pk").first().name, "level": 3,
            "number": f"S{worker.pk:012d}", "issuer": "北京市职业技能鉴定中心",
            "issued_on": (timezone.localdate() - dt.timedelta(days=30)).isoformat()}


def _enrolment_payload(tree, worker):
    course = course_create(tree["root"], status="approved")
    return {"worker": worker.pk, "course_class": class_create(course).pk}


# A valid body for each route that accepts POST, about the given worker.
PAYLOADS = {"training-records": _training_payload, "certificates": _certificate_payload,
            "enrolments": _enrolment_payload}
WRITE_ROUTES = [entry for entry in ROUTES if _creates(entry[1])]


def test_every_scoped_route_has_a_factory_and_every_write_route_a_payload():
    missing = [prefix for prefix, viewset, _ in ROUTES
               if scoping.is_scoped(_model(viewset)) and _model(viewset) not in IN_UNIT]
    assert not missing, f"add these to tests.factories.IN_UNIT: {missing}"
    assert WRITE_ROUTES, "the API has write routes"
    assert not [prefix for prefix, _, _ in WRITE_ROUTES if prefix not in PAYLOADS]


@pytest.mark.parametrize("prefix, viewset, basename", ROUTES, ids=IDS)
def test_district_token_lists_its_rows_and_no_other_district_row(tree, chaoyang_api, prefix, viewset, basename):
    model = _model(viewset)
    if not scoping.is_scoped(model):
        other = own = None
    else:
        # The other district's row first: lists of the latest computation (indicator values) then
        # still hold the own row.
        other = IN_UNIT[model](tree["haidian_enterprise"])
        own = IN_UNIT[model](tree["chaoyang_enterprise"])
    response = chaoyang_api.get(_list(basename), {"page_size": 500})
    shown = _ids(response)
    if own is not None:
        assert own.pk in shown
        assert other.pk not in shown
        assert chaoyang_api.get(_detail(basename, own.pk)).status_code == 200
        assert chaoyang_api.get(_detail(basename, other.pk)).status_code == 404
        # Searching or filtering does not bring it back.
        response = chaoyang_api.get(_list(basename), {"search": str(getattr(other, "name", "") or other.pk),
                                                      "page_size": 500})
        assert other.pk not in _ids(response)


@pytest.mark.parametrize("prefix, viewset, basename", ROUTES, ids=IDS)
def test_district_token_changes_and_deletes_no_other_district_row(tree, chaoyang_api, prefix, viewset, basename):
    model = _model(viewset)
    if not scoping.is_scoped(model):
        pytest.skip("city-wide data: no district owns a row")
    other = IN_UNIT[model](tree["haidian_enterprise"])
    before = model.objects.filter(pk=other.pk).values().get()
    for method in ("put", "patch", "delete"):
        response = getattr(chaoyang_api, method)(_detail(basename, other.pk), {}, format="json")
        assert response.status_code in (403, 404, 405), (method, response.status_code)
    assert model.objects.filter(pk=other.pk).values().get() == before


@pytest.mark.parametrize("prefix, viewset, basename", WRITE_ROUTES, ids=[entry[0] for entry in WRITE_ROUTES])
def test_district_token_writes_nothing_about_another_districts_worker(tree, chaoyang_api, prefix, viewset, basename):
    model = _model(viewset)
    haidian_worker = WorkerFactory(unit=tree["haidian_enterprise"])
    count = model.objects.count()
    response = chaoyang_api.post(_list(basename), PAYLOADS[prefix](tree, haidian_worker), format="json")
    assert response.status_code == 400, response.content
    assert [error["field"] for error in response.json()["errors"]] == ["worker"]
    assert model.objects.count() == count
    # The same body about a 朝阳 worker is written, into 朝阳's scope.
    chaoyang_worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    response = chaoyang_api.post(_list(basename), PAYLOADS[prefix](tree, chaoyang_worker), format="json")
    assert response.status_code == 201, response.content
    assert model.objects.count() == count + 1
    assert chaoyang_api.get(_detail(basename, response.json()["id"])).status_code == 200


@pytest.mark.parametrize("prefix, viewset, basename", ROUTES, ids=IDS)
def test_leadership_token_reads_and_every_write_is_refused(tree, leadership_api, prefix, viewset, basename):
    model = _model(viewset)
    row = IN_UNIT[model](tree["chaoyang_enterprise"]) if scoping.is_scoped(model) else None
    if row is None and model.objects.exists():
        row = model.objects.first()
    response = leadership_api.get(_list(basename), {"page_size": 500})
    shown = _ids(response)
    if row is not None:
        assert row.pk in shown
        assert leadership_api.get(_detail(basename, row.pk)).status_code == 200
        for method in ("put", "patch", "delete"):
            assert getattr(leadership_api, method)(_detail(basename, row.pk), {}, format="json").status_code == 403
    count = model.objects.count()
    if prefix in PAYLOADS:
        body = PAYLOADS[prefix](tree, WorkerFactory(unit=tree["chaoyang_enterprise"]))
    else:
        body = {}
    assert leadership_api.post(_list(basename), body, format="json").status_code == 403
    assert model.objects.count() == count


@pytest.mark.parametrize("prefix, viewset, basename", ROUTES, ids=IDS)
def test_anonymous_and_revoked_tokens_are_refused(client, tree, token_client, prefix, viewset, basename):
    from api.models import ApiToken
    from api.services import token_revoke

    assert client.get(_list(basename)).status_code in (401, 403)
    revoked = token_client(tree["chaoyang"])
    token_revoke(ApiToken.objects.get())
    assert revoked.get(_list(basename)).status_code == 401


def test_a_token_of_an_enterprise_sees_nothing_of_its_district_above_it(tree, token_client):
    district_worker = WorkerFactory(unit=tree["chaoyang"])
    own = WorkerFactory(unit=tree["chaoyang_enterprise"])
    enterprise = token_client(tree["chaoyang_enterprise"], "level2")
    assert _ids(enterprise.get(_list("worker"))) == {own.pk}
    assert enterprise.get(_detail("worker", district_worker.pk)).status_code == 404


