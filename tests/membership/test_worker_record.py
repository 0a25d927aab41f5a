"""Issue 8, MEM-3: the worker page shows an officer the worker's whole record — enrolments,
training records, credits (entries and balance), certificates, reveals of the ID number — limited
to the rows the officer may see, read-only, in a fixed number of queries."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services as course_services
from courses.models import CreditAccount, CreditEntry
from membership.models import IdNumberReveal
from membership.record import WorkerSection, register_worker_section, worker_sections
from tests.factories import UserFactory, WorkerFactory, class_create, course_create


def _completed_class(worker, unit, title="焊接技术基础"):
    enrolment = course_services.enrolment_create(worker=worker, course_class=class_create(course_create(unit, title=title)))
    return course_services.enrolment_complete(enrolment=enrolment, passed=True, on=dt.date(2026, 3, 2))


def _record(worker, unit, *, items: int):
    for number in range(items):
        _completed_class(worker, unit, title=f"焊接技术第{number}讲")
        course_services.training_record_create(worker=worker, project=f"数控车床操作提升班{number}", kind="skills",
                                               hours=Decimal(8), completed_on=dt.date(2026, 4, number + 1))
        IdNumberReveal.objects.create(worker=worker, user=UserFactory(unit=unit))


def _page(client, worker):
    response = client.get(reverse("admin:membership_worker_change", args=[worker.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_officer_sees_the_workers_whole_record(client, tree, chaoyang_officer):
    unit = tree["chaoyang_enterprise"]
    worker = WorkerFactory(unit=unit)
    enrolment = _completed_class(worker, unit)
    course_services.training_record_create(worker=worker, project="数控车床操作提升班", kind="skills",
                                           hours=Decimal(16), completed_on=dt.date(2026, 4, 1))
    IdNumberReveal.objects.create(worker=worker, user=UserFactory(username="revealer", unit=unit))
    balance = CreditAccount.objects.get(worker=worker).balance
    assert balance > 0
    client.force_login(chaoyang_officer)
    page = _page(client, worker)
    assert 'id="record-enrolments"' in page and enrolment.course_class.name in page
    assert 'id="record-training_records"' in page and "数控车床操作提升班" in page
    assert f'<strong class="credit-balance">{balance}</strong>' in page
    assert CreditEntry.objects.filter(worker=worker).count() == 2
    assert page.count('class="credit-amount"') == 2
    assert 'id="record-certificates"' in page and enrolment.certificate.code in page
    assert 'id="record-reveals"' in page and "revealer" in page


def test_the_record_shows_only_rows_the_officer_may_see(client, tree, chaoyang_officer):
    """A worker who moved from 海淀 to 朝阳: 朝阳 sees the worker and their training in 朝阳,
    and also 海淀's facts about the worker (the worker's current unit sees the whole record),
    but a 海淀 officer sees only 海淀's facts, not the worker page at all."""
    from membership import services as membership_services
    from tests.conftest import HAIDIAN_ENTERPRISE  # noqa: F401

    worker = WorkerFactory(unit=tree["haidian_enterprise"])
    course_services.training_record_create(worker=worker, project="海淀的培训", kind="skills", hours=Decimal(8),
                                           completed_on=dt.date(2025, 5, 1))
    membership_services.worker_update(worker=worker, unit=tree["chaoyang_enterprise"])
    course_services.training_record_create(worker=worker, project="朝阳的培训", kind="skills", hours=Decimal(8),
                                           completed_on=dt.date(2026, 5, 1))
    client.force_login(chaoyang_officer)
    page = _page(client, worker)
    assert "朝阳的培训" in page and "海淀的培训" in page
    # Credit entries follow their unit at the time: 朝阳 sees its own entry only.
    assert page.count('class="credit-amount"') == 1


def test_an_officer_without_a_facts_permission_does_not_get_its_section(client, tree):
    from django.contrib.auth.models import Permission

    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    viewer = UserFactory(unit=tree["chaoyang"])
    viewer.user_permissions.set(Permission.objects.filter(codename__in=["view_worker", "view_enrolment"]))
    client.force_login(viewer)
    page = _page(client, worker)
    assert 'id="record-enrolments"' in page
    assert 'id="record-training_records"' not in page and 'id="record-credits"' not in page
    assert 'id="record-certificates"' not in page


def test_the_record_costs_the_same_queries_for_one_or_many_rows(client, tree, chaoyang_officer):
    unit = tree["chaoyang_enterprise"]
    short, long = WorkerFactory(unit=unit), WorkerFactory(unit=unit)
    _record(short, unit, items=1)
    _record(long, unit, items=6)
    client.force_login(chaoyang_officer)
    _page(client, short)
    with CaptureQueriesContext(connection) as one:
        _page(client, short)
    with CaptureQueriesContext(connection) as six:
        page = _page(client, long)
    assert page.count('class="credit-amount"') == 12
    assert len(six) == len(one)


def test_the_record_is_read_only(client, tree, chaoyang_officer):
    unit = tree["chaoyang_enterprise"]
    worker = WorkerFactory(unit=unit)
    _completed_class(worker, unit)
    client.force_login(chaoyang_officer)
    page = _page(client, worker)
    record = page[page.index('id="worker-record"'):page.index('class="submit-row"')]
    assert "<input" not in record and "<form" not in record


def test_another_app_can_add_a_section(client, tree, chaoyang_officer):
    """Any app adds a section in its order (the talent app adds skill certificates at 50)."""
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    section = WorkerSection(key="test_skill_certificates", title="技能证书", template="admin/membership/worker/record/reveals.html",
                            rows=lambda request, worker: {"rows": [], "more": False}, order=45)
    register_worker_section(section)
    try:
        client.force_login(chaoyang_officer)
        page = _page(client, worker)
        assert 'id="record-test_skill_certificates"' in page
        keys = [registered.key for registered in worker_sections()]
        assert keys.index("test_skill_certificates") == keys.index("certificates") + 1
    finally:
        from membership import record

        record._SECTIONS.pop("test_skill_certificates")
