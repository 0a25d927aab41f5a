"""MEM-3 with TAL-1, INN-2, INN-4: the worker page's record gains the worker's skill certificates
(expired ones kept as history), proposals and innovation achievements — only the rows the officer
may see, one query per section whatever the length of the record."""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import WorkerFactory, achievement_create, proposal_create, skill_certificate_make


def _page(client, worker):
    response = client.get(reverse("admin:membership_worker_change", args=[worker.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _section(page, key):
    start = page.index(f'id="record-{key}"')
    return page[start:page.index("</section>", start)] if "</section>" in page[start:] else page[start:start + 4000]


def test_the_worker_page_shows_skill_certificates_with_expired_ones_as_history(client, tree, chaoyang_officer):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    current = skill_certificate_make(worker, level=3, issued_on=dt.date(2011, 6, 1))
    expired = skill_certificate_make(worker, level=4, issued_on=dt.date(2005, 6, 1), occupation="电工",
                                     valid_until=dt.date(2010, 6, 1))
    client.force_login(chaoyang_officer)
    section = _section(_page(client, worker), "skill_certificates")
    assert current.number in section and expired.number in section
    assert section.count('class="skill-certificate"') == 1
    assert section.count('class="skill-certificate skill-certificate-expired"') == 1
    assert section.index(current.number) < section.index(expired.number)


def test_the_worker_page_shows_proposals_and_achievements(client, tree, chaoyang_officer):
    unit = tree["chaoyang_enterprise"]
    worker = WorkerFactory(unit=unit)
    proposal = proposal_create(unit, state="adopted", worker=worker, title="降低焊材损耗")
    achievement = achievement_create(unit, [worker], title="主轴热变形补偿装置", year=2012)
    client.force_login(chaoyang_officer)
    page = _page(client, worker)
    assert proposal.code in _section(page, "proposals") and "降低焊材损耗" in _section(page, "proposals")
    assert achievement.code in _section(page, "achievements") and "主轴热变形补偿装置" in _section(page, "achievements")


def test_the_sections_show_only_what_the_officer_may_see(client, tree, chaoyang_officer):
    """The worker now in 朝阳 made a proposal and an achievement while in 海淀: 海淀 owns them, and
    朝阳's officer sees neither; the certificate follows the worker's unit and is shown."""
    from membership import services as membership_services

    worker = WorkerFactory(unit=tree["haidian_enterprise"])
    certificate = skill_certificate_make(worker, level=4, issued_on=dt.date(2011, 1, 1))
    proposal = proposal_create(tree["haidian_enterprise"], state="adopted", worker=worker, title="海淀的建议")
    achievement = achievement_create(tree["haidian_enterprise"], [worker], title="海淀的成果")
    membership_services.worker_update(worker=worker, unit=tree["chaoyang_enterprise"])
    client.force_login(chaoyang_officer)
    page = _page(client, worker)
    assert certificate.number in _section(page, "skill_certificates")
    assert proposal.code not in page and "海淀的建议" not in page
    assert achievement.code not in page and "海淀的成果" not in page
    assert 'class="record-proposal"' not in page and 'class="record-achievement"' not in page


def test_the_sections_cost_the_same_queries_for_one_or_many_rows(client, tree, chaoyang_officer):
    unit = tree["chaoyang_enterprise"]
    short, long = WorkerFactory(unit=unit), WorkerFactory(unit=unit)
    for worker, items in ((short, 1), (long, 5)):
        for number in range(items):
            skill_certificate_make(worker, level=4, issued_on=dt.date(2010, 1, number + 1))
            proposal_create(unit, state="submitted", worker=worker)
            achievement_create(unit, [worker], year=2010 + number)
    client.force_login(chaoyang_officer)
    _page(client, short)
    with CaptureQueriesContext(connection) as one:
        _page(client, short)
    with CaptureQueriesContext(connection) as five:
        page = _page(client, long)
    assert page.count('class="record-proposal"') == 5 and page.count('class="record-achievement"') == 5
    assert page.count('class="skill-certificate"') == 5
    assert len(five) == len(one)
