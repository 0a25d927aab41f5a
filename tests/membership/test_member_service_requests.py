"""MEM-5 (issue 8): member units in good standing ask the federation for training consulting and
teacher coordination; municipal staff answer and close with the outcome; staff of other units
are told why they cannot ask."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from membership import member_resources, scoping
from membership.models import MemberServiceRequest, Unit
from tests.factories import UserFactory

ADD = reverse("admin:membership_memberservicerequest_add")
LIST = reverse("admin:membership_memberservicerequest_changelist")

@pytest.fixture(autouse=True)
def _english(client, settings):
    """The assertions read the msgids: pages in English whatever catalogue is compiled."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"



def _staff(tree, unit, group=scoping.LEVEL2_GROUP, name="ent"):
    user = UserFactory(username=name, unit=unit)
    user.groups.add(tree["groups"][group])
    return user


def _member(unit, level="2", status="active"):
    Unit.objects.filter(pk=unit.pk).update(member_level=level, membership_status=status)
    unit.refresh_from_db()
    return unit


def _form(unit, **fields):
    return {"unit": unit.pk, "kind": "teacher_coordination", "subject": "数控技能师资", "starts_on": "2026-12-01",
            "ends_on": "2026-12-20", "need": "需要两名数控车工高级技师授课", **fields}


def test_member_unit_staff_ask_in_the_admin_for_their_unit(client, tree):
    unit = _member(tree["chaoyang_enterprise"])
    staff = _staff(tree, unit)
    client.force_login(staff)
    page = client.get(ADD)
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["unit"] == unit.pk
    assert list(page.context["adminform"].form.fields["unit"].queryset) == [unit]
    response = client.post(ADD, _form(unit))
    assert response.status_code == 302
    request = MemberServiceRequest.objects.get()
    assert (request.unit, request.kind, request.subject, request.starts_on, request.ends_on, request.requested_by,
            request.status) == (unit, "teacher_coordination", "数控技能师资", dt.date(2026, 12, 1),
                                dt.date(2026, 12, 20), staff, "open")


def test_staff_of_a_non_member_unit_see_why_they_cannot_ask(client, tree):
    unit = tree["haidian_enterprise"]  # member_level "" by default
    client.force_login(_staff(tree, unit))
    listing = client.get(LIST)
    assert listing.status_code == 200
    notice = listing.context["cannot_ask"]
    assert unit.name in notice and "level-1 or level-2 member" in notice
    assert 'id="cannot-ask"' in listing.content.decode()
    response = client.get(ADD, follow=True)
    assert [str(m) for m in response.context["messages"]] == [notice]
    client.post(ADD, _form(unit))
    assert not MemberServiceRequest.objects.exists()


def test_a_suspended_member_is_told_its_membership_is_suspended(client, tree):
    unit = _member(tree["chaoyang_enterprise"], level="1", status="suspended")
    client.force_login(_staff(tree, unit))
    notice = client.get(LIST).context["cannot_ask"]
    assert "good standing" in notice and unit.name in notice
    with pytest.raises(ValidationError):
        member_resources.member_request_create(unit=unit, kind="training_consulting", subject="x",
                                               starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 2), need="y",
                                               by=UserFactory(unit=unit))
    assert not MemberServiceRequest.objects.exists()


def test_a_unit_outside_the_subtree_cannot_be_asked_for(client, tree):
    mine = _member(tree["chaoyang_enterprise"])
    other = _member(tree["haidian_enterprise"])
    client.force_login(_staff(tree, mine))
    response = client.post(ADD, _form(other))
    assert response.status_code == 200 and "unit" in response.context["adminform"].form.errors
    with pytest.raises(PermissionDenied):
        member_resources.member_request_create(unit=other, kind="training_consulting", subject="x",
                                               starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 2), need="y",
                                               by=UserFactory(unit=mine))
    assert not MemberServiceRequest.objects.exists()


def test_end_before_start_is_a_form_error(client, tree):
    unit = _member(tree["chaoyang_enterprise"])
    client.force_login(_staff(tree, unit))
    response = client.post(ADD, _form(unit, starts_on="2026-12-20", ends_on="2026-12-01"))
    assert "ends_on" in response.context["adminform"].form.errors
    assert not MemberServiceRequest.objects.exists()


def _asked(tree):
    unit = _member(tree["chaoyang_enterprise"])
    return member_resources.member_request_create(
        unit=unit, kind="training_consulting", subject="安全培训方案", starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 31), need="设计方案", by=_staff(tree, unit))


def test_municipal_staff_answer_then_close_with_an_outcome(client, tree, municipal):
    request = _asked(tree)
    client.force_login(municipal)
    url = reverse("admin:membership_memberservicerequest_change", args=[request.pk])
    assert client.post(url, {"answer": "市总将安排职工大学专家上门", "outcome": ""}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.answer, request.answered_by, request.outcome) == (
        "answered", "市总将安排职工大学专家上门", municipal, "")
    assert client.post(url, {"answer": "市总将安排职工大学专家上门", "outcome": "12月5日完成方案评审"}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.outcome) == ("closed", "12月5日完成方案评审") and request.closed_at is not None
    # Closed is final: the page is read-only.
    assert client.get(url).context["has_change_permission"] is False


def test_closing_needs_an_answer_and_an_outcome(tree, municipal):
    request = _asked(tree)
    with pytest.raises(ValidationError):
        member_resources.member_request_close(request=request, outcome="完成", by=municipal)
    member_resources.member_request_answer(request=request, answer="安排中", by=municipal)
    with pytest.raises(ValidationError):
        member_resources.member_request_close(request=request, outcome="  ", by=municipal)
    request.refresh_from_db()
    assert request.status == "answered" and request.outcome == ""


def test_the_asking_unit_reads_the_answer_but_cannot_answer(client, tree, municipal):
    request = _asked(tree)
    member_resources.member_request_answer(request=request, answer="安排中", by=municipal)
    asker = request.requested_by
    client.force_login(asker)
    url = reverse("admin:membership_memberservicerequest_change", args=[request.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["has_change_permission"] is False and "安排中" in page.content.decode()
    client.post(url, {"answer": "自己答复", "outcome": "自己关闭"})
    with pytest.raises(PermissionDenied):
        member_resources.member_request_answer(request=request, answer="自己答复", by=asker)
    request.refresh_from_db()
    assert (request.answer, request.status) == ("安排中", "answered")


def test_another_district_does_not_see_the_request(client, tree, haidian_officer):
    request = _asked(tree)
    client.force_login(haidian_officer)
    assert request.pk not in set(client.get(LIST).context["cl"].queryset.values_list("pk", flat=True))
    assert client.get(reverse("admin:membership_memberservicerequest_change", args=[request.pk])).status_code == 404


def test_seed_demo_shows_the_request_path_and_seeds_a_courseware_credit_rule(db):
    from django.core.management import call_command

    from courses.models import CreditRule

    call_command("seed_demo", "--workers", "30", "--seed", "7", verbosity=0)
    assert sorted(MemberServiceRequest.objects.values_list("status", flat=True)) == ["answered", "closed", "open"]
    assert all(member_resources.unit_may_ask(request.unit) for request in MemberServiceRequest.objects.all())
    rule = CreditRule.objects.get(source="courseware")
    assert (rule.credits_per_hour, rule.cap_per_year) == (Decimal("0.05"), Decimal(10))
