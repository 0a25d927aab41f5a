"""Issue 12: what each endpoint answers — MEM-4's masking and logged reveals on workers, writes
through the admin's services with errors naming the field in Chinese, cursor paging, a page of
workers or training records in a fixed number of queries, and indicator values of complete runs."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import CreditEntry, TrainingRecord
from membership.models import IdNumberReveal
from talent.models import SkillCertificate
from tests.conftest import CHAOYANG_ENTERPRISE
from tests.factories import WorkerFactory, class_create, course_create

FULL_ID = re.compile(r"\d{17}[\dXx]")
NUMBER = "11010519491231002X"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(msgid))


@pytest.fixture
def worker(tree):
    return WorkerFactory(unit=tree["chaoyang_enterprise"], id_number=NUMBER, name="王秀兰")


@pytest.fixture
def municipal_api(tree, token_client):
    return token_client(tree["root"], "municipal", name="市总数据平台")


def _record(worker, day=None, project="数控车床操作提升班"):
    from courses import services

    return services.training_record_create(worker=worker, project=project, kind="skills", hours=Decimal(8),
                                           completed_on=day or timezone.localdate())


# Workers (MEM-3, MEM-4)

def test_workers_show_the_mask_and_birth_band_never_the_number_or_birth_date(chaoyang_api, worker):
    response = chaoyang_api.get(reverse("worker-list"))
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id_number_masked"] == worker.id_number_masked
    assert row["id_number"] is None
    assert row["birth_years"] == "1945–1949"
    assert row["unit"] == CHAOYANG_ENTERPRISE
    assert "birth_date" not in row
    body = response.content.decode()
    assert NUMBER not in body and not FULL_ID.search(body)
    assert "1949-12-31" not in body and "19491231" not in body
    detail = chaoyang_api.get(reverse("worker-detail", args=[worker.pk])).content.decode()
    assert NUMBER not in detail and "1949-12-31" not in detail


def test_reveal_without_the_permission_is_refused_and_logs_nothing(chaoyang_api, worker):
    for url in (reverse("worker-list"), reverse("worker-detail", args=[worker.pk])):
        response = chaoyang_api.get(url, {"reveal": 1})
        assert response.status_code == 403
        assert NUMBER not in response.content.decode()
    assert not IdNumberReveal.objects.exists()


def test_reveal_with_the_permission_answers_the_number_and_logs_each_worker_shown(tree, municipal_api, worker):
    other = WorkerFactory(unit=tree["chaoyang_enterprise"])
    WorkerFactory(unit=tree["haidian_enterprise"])  # filtered out: not revealed, not logged
    response = municipal_api.get(reverse("worker-list"), {"reveal": 1, "unit": CHAOYANG_ENTERPRISE},
                                 REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    numbers = {row["id"]: row["id_number"] for row in response.json()["results"]}
    assert numbers[worker.pk] == NUMBER and FULL_ID.fullmatch(numbers[other.pk])
    reveals = IdNumberReveal.objects.order_by("worker_id")
    assert [reveal.worker_id for reveal in reveals] == sorted([worker.pk, other.pk])
    assert {reveal.user.api_token.name for reveal in reveals} == {"市总数据平台"}
    # The detail is one more reveal; without ?reveal it is masked and logs nothing.
    assert municipal_api.get(reverse("worker-detail", args=[worker.pk]), {"reveal": 1}).json()["id_number"] == NUMBER
    assert municipal_api.get(reverse("worker-detail", args=[worker.pk])).json()["id_number"] is None
    assert IdNumberReveal.objects.count() == 3


def test_a_search_by_full_id_number_is_not_answered(chaoyang_api, worker):
    response = chaoyang_api.get(reverse("worker-list"), {"search": NUMBER})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "search"
    assert "王秀兰" not in response.content.decode()
    assert chaoyang_api.get(reverse("worker-list"), {"search": "王秀兰"}).json()["results"][0]["id"] == worker.pk


def test_workers_birth_dates_are_neither_filter_nor_order(chaoyang_api, tree):
    from core.identity import make_id_number

    early = WorkerFactory(unit=tree["chaoyang_enterprise"], id_number=make_id_number("110105", dt.date(1949, 12, 31), 1))
    late = WorkerFactory(unit=tree["chaoyang_enterprise"], id_number=make_id_number("110105", dt.date(1990, 1, 1), 1))
    for query in ({"birth_date": "1949-12-31"}, {"birth_date__year": 1990}, {"ordering": "birth_date"},
                  {"ordering": "-birth_date"}):
        rows = chaoyang_api.get(reverse("worker-list"), query).json()["results"]
        assert [row["id"] for row in rows] == [late.pk, early.pk], query  # unfiltered, the cursor's order


def test_leavers_are_listed_only_when_asked(chaoyang_api, tree):
    from membership import services

    staying = WorkerFactory(unit=tree["chaoyang_enterprise"])
    leaving = WorkerFactory(unit=tree["chaoyang_enterprise"])
    services.worker_update(worker=leaving, left_on=timezone.localdate() - dt.timedelta(days=1), leaving_reason="retired")

    def ids(**query):
        return {row["id"] for row in chaoyang_api.get(reverse("worker-list"), query).json()["results"]}

    assert ids() == {staying.pk}
    assert ids(roll="left") == {leaving.pk}
    assert ids(roll="all") == {staying.pk, leaving.pk}


def test_workers_of_a_subtree_by_unit_code(chaoyang_api, tree):
    from tests.factories import unit_create

    workshop = unit_create(tree["chaoyang_enterprise"], "精密机械一车间工会", "91110105MA01CY0W1B")
    below = WorkerFactory(unit=workshop)
    at = WorkerFactory(unit=tree["chaoyang_enterprise"])
    WorkerFactory(unit=tree["chaoyang"])
    rows = chaoyang_api.get(reverse("worker-list"), {"under": CHAOYANG_ENTERPRISE}).json()["results"]
    assert {row["id"] for row in rows} == {below.pk, at.pk}
    rows = chaoyang_api.get(reverse("worker-list"), {"unit": CHAOYANG_ENTERPRISE}).json()["results"]
    assert {row["id"] for row in rows} == {at.pk}


# A page costs the same number of queries however many rows it holds.

def _queries(django_assert_max_num_queries, client, url, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url, {"page_size": 1000})
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.json()["results"])


@pytest.mark.parametrize("route", ["worker-list", "training-record-list", "certificates-list"])
def test_a_page_is_a_fixed_number_of_queries(tree, chaoyang_api, django_assert_max_num_queries, route):
    from tests.factories import skill_certificate_make

    def add(count):
        for _ in range(count):
            worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
            _record(worker)
            skill_certificate_make(worker)

    route = route.replace("certificates-list", "certificate-list")
    # The token's last-used time is written once a minute, and a worker page of a new shape (scope,
    # filters, size) is prepared in the database session the first time it is asked for.
    chaoyang_api.get(reverse(route), {"page_size": 1000})
    add(2)
    few, rows = _queries(django_assert_max_num_queries, chaoyang_api, reverse(route), 8)
    assert rows == 2
    add(30)
    many, rows = _queries(django_assert_max_num_queries, chaoyang_api, reverse(route), 8)
    assert rows == 32
    assert many == few


# Cursor paging (workers, enrolments, training records, ledger entries, certificates).

def _walk(client, url, **query):
    seen, pages = [], 0
    response = client.get(url, query)
    while True:
        assert response.status_code == 200
        body = response.json()
        assert "count" not in body  # a cursor page does not count the whole list
        seen += [row["id"] for row in body["results"]]
        pages += 1
        if not body["next"]:
            return seen, pages
        response = client.get(body["next"])


def test_cursor_pages_through_training_records_and_workers(tree, chaoyang_api):
    workers = [WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(7)]
    records = [_record(worker, timezone.localdate() - dt.timedelta(days=index)) for index, worker in enumerate(workers)]
    seen, pages = _walk(chaoyang_api, reverse("training-record-list"), page_size=3)
    assert pages == 3
    assert seen == sorted((record.pk for record in records), reverse=True)
    seen, pages = _walk(chaoyang_api, reverse("worker-list"), page_size=2, ordering="name")
    assert pages == 4
    assert sorted(seen) == sorted(worker.pk for worker in workers) and len(set(seen)) == 7
    # A record added while a system pages through does not shift the pages it has yet to read.
    first = chaoyang_api.get(reverse("training-record-list"), {"page_size": 3}).json()
    _record(WorkerFactory(unit=tree["chaoyang_enterprise"]))
    rest, _pages = _walk(chaoyang_api, first["next"])
    assert [row["id"] for row in first["results"]] + rest == seen_records(records)


def seen_records(records):
    return sorted((record.pk for record in records), reverse=True)


# Writes: the admin's services, errors naming the field in Chinese.

def test_a_completion_pushed_by_an_enterprise_is_recorded_and_earns_credits(tree, token_client):
    enterprise = token_client(tree["chaoyang_enterprise"], "level2", name="精密机械人力资源系统")
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    course = course_create(tree["root"])  # an approved course of the city's menu
    response = enterprise.post(reverse("training-record-list"), {
        "worker": worker.pk, "course": course.code, "project": "数控车床操作提升班", "kind": "skills", "hours": "16",
        "completed_on": timezone.localdate().isoformat(), "institution": "北京市职工大学"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    record = TrainingRecord.objects.get(pk=body["id"])
    assert (record.worker, record.unit, record.course) == (worker, tree["chaoyang_enterprise"], course)
    assert body["unit"] == CHAOYANG_ENTERPRISE and body["kind_display"] == _zh("Skills training")
    assert CreditEntry.objects.filter(source_kind=CreditEntry.Source.TRAINING, source_id=record.pk).exists()


def test_a_bad_value_answers_the_field_by_name_and_in_chinese(chaoyang_api, worker):
    count = TrainingRecord.objects.count()
    response = chaoyang_api.post(reverse("training-record-list"), {
        "worker": worker.pk, "project": "数控车床操作提升班", "kind": "cooking", "hours": "十六",
        "completed_on": timezone.localdate().isoformat()}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == _zh("Some values are not valid.")
    errors = {error["field"]: error for error in body["errors"]}
    assert set(errors) == {"kind", "hours"}
    assert errors["kind"]["label"] == _zh("training type") != "training type"
    assert errors["hours"]["label"] == _zh("hours") != "hours"
    assert all(CJK.search(error["message"]) for error in body["errors"])
    assert TrainingRecord.objects.count() == count


def test_a_refusal_of_the_service_answers_in_the_same_shape(tree, chaoyang_api, worker):
    # A closed class of the caller's own subtree: the service says why (another district's closed class answers like an unknown id).
    closed = class_create(course_create(tree["chaoyang_enterprise"]), is_open=False)
    response = chaoyang_api.post(reverse("enrolment-list"), {"worker": worker.pk, "course_class": closed.pk},
                                 format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "non_field_errors", "label": "",
                                          "message": _zh("This class is not open for enrolment.")}]


def test_a_model_rule_checked_by_the_service_names_its_field(chaoyang_api, worker):
    # full_clean in the service: a certificate valid until before it was issued.
    from talent.models import Occupation

    response = chaoyang_api.post(reverse("certificate-list"), {
        "worker": worker.pk, "occupation": Occupation.objects.order_by("pk").first().name, "level": 9,
        "number": "S0001", "issuer": "北京市职业技能鉴定中心", "issued_on": "2026-01-01"}, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["label"]) == ("level", _zh("skill level"))
    assert not SkillCertificate.objects.exists()


def test_an_enrolment_takes_a_seat_through_the_service(tree, chaoyang_api, worker):
    course_class = class_create(course_create(tree["root"]), capacity=1)
    response = chaoyang_api.post(reverse("enrolment-list"), {"worker": worker.pk, "course_class": course_class.pk},
                                 format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "enrolled"
    course_class.refresh_from_db()
    assert course_class.enrolled_count == 1
    second = chaoyang_api.post(reverse("enrolment-list"), {
        "worker": WorkerFactory(unit=tree["chaoyang_enterprise"]).pk, "course_class": course_class.pk}, format="json")
    assert second.json()["status"] == "waitlisted"


# Indicator values: complete runs only, the serving run unless one is named.

def test_indicator_values_are_those_of_the_latest_complete_run_unless_a_run_is_named(tree, chaoyang_api):
    from reporting.models import IndicatorValue, Run
    from tests.factories import IN_UNIT

    older = IN_UNIT[IndicatorValue](tree["chaoyang"])
    newer = IN_UNIT[IndicatorValue](tree["chaoyang"])
    running = Run.objects.create(trigger=Run.Trigger.COMMAND, status=Run.Status.RUNNING, first_year=2012, last_year=2012)
    unfinished = IndicatorValue.objects.create(run=running, indicator=newer.indicator, unit=tree["chaoyang"], year=2012,
                                               numerator=5, denominator=6)
    rows = chaoyang_api.get(reverse("indicator-value-list")).json()["results"]
    assert [row["id"] for row in rows] == [newer.pk]
    assert rows[0]["indicator"] == "IND-FUND-FRONTLINE" and rows[0]["unit"] == "110105"
    rows = chaoyang_api.get(reverse("indicator-value-list"), {"run": older.run_id}).json()["results"]
    assert [row["id"] for row in rows] == [older.pk]
    assert chaoyang_api.get(reverse("indicator-value-list"), {"run": running.pk}).json()["results"] == []
    assert chaoyang_api.get(reverse("indicator-value-detail", args=[unfinished.pk])).status_code == 404


def test_a_filter_by_another_districts_worker_answers_like_an_unknown_worker(tree, chaoyang_api):
    haidian_worker = WorkerFactory(unit=tree["haidian_enterprise"])
    _record(haidian_worker)
    for route in ("training-record-list", "credit-entry-list", "enrolment-list", "certificate-list",
                  "competition-result-list"):
        foreign = chaoyang_api.get(reverse(route), {"worker": haidian_worker.pk})
        unknown = chaoyang_api.get(reverse(route), {"worker": 10**9})
        assert (foreign.status_code, foreign.json()["results"]) == (unknown.status_code, unknown.json()["results"]) \
            == (200, []), route


BAD_QUERIES = [{"year": "abc"}, {"year": "99999999999999999999"}, {"unit": "不存在"}, {"under": "不存在"},
               {"cursor": "bad"}, {"page": "999"}, {"page": "x"}, {"page_size": "0"}, {"page_size": "-5"},
               {"ordering": "-no_such_field"}, {"ordering": "birth_date,id"}, {"search": "%_\\"}, {"run": "abc"},
               {"worker": "abc"}, {"current": "maybe"}, {"roll": "bogus"}, {"status": "bogus"},
               {"completed_from": "2026-13-45"}, {"reveal": "2"}, {"level": "x"}, {"is_public": "maybe"}]


def _routes():
    from api.registry import router

    return [pytest.param(basename, id=prefix) for prefix, _viewset, basename in sorted(router.registry)]


@pytest.mark.parametrize("basename", _routes())
def test_odd_query_values_answer_without_a_server_error(tree, chaoyang_api, basename):
    WorkerFactory(unit=tree["chaoyang_enterprise"])
    for query in BAD_QUERIES:
        response = chaoyang_api.get(reverse(f"{basename}-list"), query)
        assert response.status_code in (200, 400, 404), (query, response.status_code)
        if response.status_code != 200:
            assert set(response.json()) == {"detail", "errors"}, query
    for pk in ("0", "abc", "99999999999999999999"):
        response = chaoyang_api.get(f"{reverse(f'{basename}-list')}{pk}/")
        assert response.status_code == 404, (pk, response.status_code)


ODD_BODIES = [{}, {"worker": "abc"}, {"worker": None}, {"hours": "1e100"}, {"hours": "-1"}, {"hours": "NaN"},
              {"completed_on": "0001-01-01"}, {"completed_on": "9999-12-31"}, {"project": ""}, {"project": "长" * 500},
              {"kind": None}, {"course": ""}, {"course": "不存在"}, {"level": 0}, {"level": "x"},
              {"issued_on": "2026-02-30"}, {"valid_until": "1900-01-01"}, {"number": ""}, {"occupation": "不存在"},
              {"course_class": 10**30}, {"course_class": "abc"}, {"id": 1, "unit": "110108"}]


@pytest.mark.parametrize("route", ["training-record-list", "certificate-list", "enrolment-list"])
def test_odd_bodies_are_refused_as_bad_values_and_write_nothing(tree, chaoyang_api, route):
    from tests.api.test_api_permission_matrix import PAYLOADS

    prefix = {"training-record-list": "training-records", "certificate-list": "certificates",
              "enrolment-list": "enrolments"}[route]
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    valid = PAYLOADS[prefix](tree, worker)
    for change in ODD_BODIES:
        body = {**valid, **change} if change else {}
        before = (TrainingRecord.objects.count(), SkillCertificate.objects.count())
        response = chaoyang_api.post(reverse(route), body, format="json")
        assert response.status_code in (201, 400), (change, response.status_code, response.content)
        if response.status_code == 400:
            assert response.json()["errors"], change
            assert (TrainingRecord.objects.count(), SkillCertificate.objects.count()) == before
        else:  # accepted values (a unit in the body is ignored: the fact's unit is the worker's)
            assert response.json()["unit"] == CHAOYANG_ENTERPRISE, change
            if "number" in valid:
                SkillCertificate.objects.filter(pk=response.json()["id"]).delete()


def test_display_fields_follow_the_users_language(tree, chaoyang_api, settings):
    record = _record(WorkerFactory(unit=tree["chaoyang_enterprise"]))
    url = reverse("training-record-detail", args=[record.pk])
    assert chaoyang_api.get(url).json()["kind_display"] == _zh("Skills training") != "Skills training"
    chaoyang_api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = chaoyang_api.get(url).json()
    assert (body["kind"], body["kind_display"]) == ("skills", "Skills training")
