"""TAL-2 the skilled-talent database in the admin; TAL-7 public competition pages; TAL-1 a worker's
certificates in 我的学习."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from core.crypto import decrypt_id_number
from membership.models import User
from tests.factories import (
    UserFactory,
    WorkerFactory,
    competition_make,
    competition_result_make,
    skill_certificate_make,
)

TODAY = timezone.localdate()
LONG_AGO = dt.date(2008, 1, 1)


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def certified(tree):
    """朝阳: two at 4 (one also holds an expired 2), one at 5, one at 1; 海淀: one at 3."""
    enterprise = tree["chaoyang_enterprise"]
    workers = {name: WorkerFactory(unit=enterprise, name=name) for name in ("甲", "乙", "丙", "丁")}
    skill_certificate_make(workers["甲"], 4, LONG_AGO)
    skill_certificate_make(workers["甲"], 2, LONG_AGO, valid_until=dt.date(2010, 1, 1))
    skill_certificate_make(workers["甲"], 5, LONG_AGO, occupation="电工")
    skill_certificate_make(workers["乙"], 4, LONG_AGO, occupation="电工")
    skill_certificate_make(workers["丙"], 5, LONG_AGO)
    skill_certificate_make(workers["丁"], 1, LONG_AGO, occupation="电工")
    WorkerFactory(unit=enterprise, name="戊")  # no certificate: not in the database
    skill_certificate_make(WorkerFactory(unit=tree["haidian_enterprise"], name="己"), 3, LONG_AGO)
    return workers


def _counts(response) -> dict[int, int]:
    return {level: count for level, _label, count in response.context["level_counts"]}


def test_the_talent_database_lists_each_certified_worker_once_at_their_level_with_counts(
        client, tree, certified, chaoyang_officer):
    client.force_login(chaoyang_officer)
    url = reverse("admin:talent_talentrecord_changelist")
    response = client.get(url)
    assert response.status_code == 200
    rows = {record.worker.name: record.level for record in response.context["cl"].result_list}
    assert rows == {"甲": 4, "乙": 4, "丙": 5, "丁": 1}
    assert _counts(response) == {1: 1, 2: 0, 3: 0, 4: 2, 5: 1}
    assert response.context["level_total"] == 4
    page = response.content.decode()
    assert 'id="level-count-4">2<' in page and certified["甲"].id_number_masked in page
    assert decrypt_id_number(certified["甲"].id_number_encrypted) not in page

    filtered = client.get(url, {"occupation__id__exact": certified["甲"].skill_certificates.get(level=4).occupation_id})
    assert {record.worker.name for record in filtered.context["cl"].result_list} == {"甲", "丙"}
    assert _counts(filtered) == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    by_level = client.get(url, {"level__exact": 4})
    assert {record.worker.name for record in by_level.context["cl"].result_list} == {"甲", "乙"}
    born = certified["甲"].birth_date.year
    by_band = client.get(url, {"born": born})
    assert {record.worker.name for record in by_band.context["cl"].result_list} == {
        name for name, worker in certified.items() if worker.birth_date.year // 5 == born // 5}
    by_district = client.get(url, {"district": "海淀"})
    assert list(by_district.context["cl"].result_list) == []  # 海淀 is outside the officer's units
    assert _counts(by_district) == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}


def test_the_talent_database_refuses_birth_date_lookups(client, tree, certified, chaoyang_officer):
    client.force_login(chaoyang_officer)
    response = client.get(reverse("admin:talent_talentrecord_changelist"), {"worker__birth_date__month": 1})
    assert response.status_code in (302, 400)  # Django's answer to a disallowed lookup


def test_the_export_masks_id_numbers_and_needs_the_export_permission(client, tree, certified, chaoyang_officer):
    url = reverse("admin:talent_talentrecord_export")
    plain = UserFactory(unit=tree["chaoyang"])
    plain.user_permissions.add(Permission.objects.get(codename="view_talentrecord"))
    client.force_login(plain)
    assert client.get(url).status_code == 403

    client.force_login(chaoyang_officer)  # level-1 staff hold the export permission
    response = client.post(url, {"format": "2", "resource": "0", **{  # 2: xlsx
        f"talentrecordresource_{field}": "on" for field in ("name", "id_number", "level")}})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["姓名", "身份证号", "等级"]
    assert sorted(row[0] for row in rows[1:]) == ["丁", "丙", "乙", "甲"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["甲"][1] == certified["甲"].id_number_masked
    assert by_name["甲"][2] == str(certified["甲"].skill_certificates.get(level=4).get_level_display())


def test_public_competition_pages_show_public_results_without_personal_data(client, tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="周八", phone="13812345678")
    shown = competition_make(tree["root"], is_public=True)
    hidden = competition_make(tree["root"], is_public=False)
    competition_result_make(shown, worker, rank=1, award="一等奖")
    competition_result_make(hidden, WorkerFactory(unit=tree["chaoyang_enterprise"], name="隐藏的人"))

    listing = client.get(reverse("talent:competitions")).content.decode()
    assert reverse("talent:competition", args=[shown.pk]) in listing
    assert reverse("talent:competition", args=[hidden.pk]) not in listing
    assert client.get(reverse("talent:competition", args=[hidden.pk])).status_code == 404
    page = client.get(reverse("talent:competition", args=[shown.pk])).content.decode()
    assert "周八" in page and "一等奖" in page and tree["chaoyang_enterprise"].name in page
    for secret in (decrypt_id_number(worker.id_number_encrypted), worker.id_number_masked, "13812345678",
                   worker.birth_date.isoformat(), worker.birth_date.strftime("%Y年%m月%d日")):
        assert secret not in page and secret not in listing
    assert list(client.get(reverse("talent:competitions"), {"level": "district"}).context["page"].object_list) == []
    assert client.get(reverse("talent:competitions"), {"year": "nan", "q": "焊工"}).status_code == 200


def test_a_worker_sees_current_and_earlier_certificates_in_my_learning(client, tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="王建国")
    skill_certificate_make(worker, 3, dt.date(2012, 6, 1))
    expired = skill_certificate_make(worker, 4, dt.date(2005, 6, 1), valid_until=dt.date(2010, 5, 31))
    user = User.objects.create_user("wjg", password="pw-123456", worker=worker, is_staff=False)
    client.force_login(user)
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert 'id="skill-certificates"' in page
    assert page.count('class="certificate-valid"') == 1 and page.count('class="certificate-history"') == 1
    assert expired.number in page and "2010-05-31" in page
