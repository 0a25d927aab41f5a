"""EDU-5 (issue 8): editing an approved course's hours, credits, modules or content makes a
revision that goes back to the review committee; the approved version stays in the menu, with
its credits, until the committee approves it. No path changes an approved course's credits
silently: not the admin, not an upload, not the service called from a shell, not the ORM or SQL."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from courses import review
from courses.models import Course, CourseModule, CourseRevision, ReviewCriterion
from courses.roles import REVIEWER_GROUP
from membership import scoping
from tests.factories import UserFactory, course_create


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The assertions read the msgids: pages in English whatever catalogue is compiled."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"



@pytest.fixture
def reviewer(tree):
    user = UserFactory(username="expert", unit=tree["root"])
    user.groups.add(tree["groups"][REVIEWER_GROUP])
    return user


@pytest.fixture
def enterprise_officer(tree):
    user = UserFactory(username="ent", unit=tree["chaoyang_enterprise"])
    user.groups.add(tree["groups"][scoping.LEVEL2_GROUP])
    return user


@pytest.fixture
def course(tree):
    course = course_create(tree["chaoyang_enterprise"], title="智能制造产线运维", credits=Decimal(2))
    CourseModule.objects.create(course=course, order=1, title="产线认知", hours=Decimal(8))
    CourseModule.objects.create(course=course, order=2, title="故障诊断", hours=Decimal(8))
    return course


def _change_form(course, **changes):
    data = {"code": course.code, "title": course.title, "description": course.description, "category": course.category,
            "delivery": course.delivery, "hours": str(course.hours), "credits": str(course.credits),
            "provider_kind": course.provider_kind, "provider_name": course.provider_name, "unit": course.unit_id,
            "min_attendance_percent": str(course.min_attendance_percent), "discipline": course.discipline}
    modules = list(course.modules.order_by("order"))
    data.update({"modules-TOTAL_FORMS": str(len(modules)), "modules-INITIAL_FORMS": str(len(modules)),
                 "modules-MIN_NUM_FORMS": "0", "modules-MAX_NUM_FORMS": "1000",
                 "revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0",
                 "reviews-TOTAL_FORMS": "0", "reviews-INITIAL_FORMS": "0"})
    for index, module in enumerate(modules):
        data.update({f"modules-{index}-id": module.pk, f"modules-{index}-course": course.pk,
                     f"modules-{index}-order": module.order, f"modules-{index}-title": module.title,
                     f"modules-{index}-hours": str(module.hours)})
    data.update(changes)
    return data


def _menu_credits(client, course):
    # Read from the page as served: a second request is answered from the menu's cache, which
    # renders no card templates (courses/menu_cache.py).
    html = client.get(reverse("courses:menu")).content.decode()
    (card,) = [card for card in html.split('<li class="card">')[1:] if f">{course.title}</a>" in card]
    return card


def test_editing_an_approved_courses_credits_in_the_admin_makes_a_revision(client, course, enterprise_officer):
    client.force_login(enterprise_officer)
    url = reverse("admin:courses_course_change", args=[course.pk])
    response = client.post(url, _change_form(course, credits="6.0", title="智能制造产线运维（新版）"))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    course.refresh_from_db()
    # The approved values stay; the title, which the committee does not review, changes at once.
    assert (course.status, course.credits, course.hours, course.title) == (
        "approved", Decimal(2), Decimal(16), "智能制造产线运维（新版）")
    revision = CourseRevision.objects.get()
    assert (revision.status, revision.credits, revision.previous_credits, revision.hours, revision.proposed_by) == (
        "submitted", Decimal(6), Decimal(2), Decimal(16), enterprise_officer)
    assert "· 2.0 credits ·" in _menu_credits(client, course) and "6.0 credits" not in _menu_credits(client, course)


def test_editing_modules_in_the_admin_makes_a_revision_and_keeps_the_modules(client, course, enterprise_officer):
    client.force_login(enterprise_officer)
    client.post(reverse("admin:courses_course_change", args=[course.pk]),
                _change_form(course, **{"modules-1-title": "故障诊断与排除", "modules-1-hours": "12.0"}))
    assert list(course.modules.order_by("order").values_list("title", "hours")) == [
        ("产线认知", Decimal(8)), ("故障诊断", Decimal(8))]
    revision = CourseRevision.objects.get()
    assert revision.modules == [{"order": 1, "title": "产线认知", "hours": "8.0"},
                                {"order": 2, "title": "故障诊断与排除", "hours": "12.0"}]
    assert revision.previous_modules == [{"order": 1, "title": "产线认知", "hours": "8.0"},
                                         {"order": 2, "title": "故障诊断", "hours": "8.0"}]


def test_approving_the_revision_replaces_the_values_and_keeps_the_history(client, course, enterprise_officer, reviewer,
                                                                          municipal):
    review.course_update(course=course, by=enterprise_officer, fields={"credits": Decimal(3), "description": "新版内容"},
                         modules=[{"order": 1, "title": "产线认知", "hours": Decimal(10)}])
    # The assigned reviewer scores the revision and sees both versions side by side.
    (assigned,) = review.course_reviewers_assign(course=course, reviewers=[reviewer], by=municipal)
    assert assigned.revision == CourseRevision.objects.get()
    client.force_login(reviewer)
    page = client.get(reverse("admin:courses_coursereview_score", args=[assigned.pk]))
    assert page.context["can_score"] is True and 'id="revision-under-review"' in page.content.decode()
    review.course_review_submit(review=assigned, scores={c.pk: Decimal(8) for c in ReviewCriterion.objects.all()},
                                comment="可以", by=reviewer)
    review.course_decide(course=course, approve=True, by=municipal)
    course.refresh_from_db()
    assert (course.status, course.credits, course.description) == ("approved", Decimal(3), "新版内容")
    assert list(course.modules.values_list("title", "hours")) == [("产线认知", Decimal(10))]
    revision = CourseRevision.objects.get()
    assert (revision.status, revision.previous_credits, revision.credits) == ("approved", Decimal(2), Decimal(3))
    assert revision.decided_at is not None
    assert "· 3.0 credits ·" in _menu_credits(client, course)


def test_a_returned_revision_leaves_the_approved_course_as_it_was(course, enterprise_officer, municipal):
    review.course_update(course=course, by=enterprise_officer, fields={"credits": Decimal(9)})
    review.course_decide(course=course, approve=False, reason="学分过高", by=municipal)
    course.refresh_from_db()
    assert (course.status, course.credits) == ("approved", Decimal(2))
    assert CourseRevision.objects.values_list("status", "rejection_reason").get() == ("rejected", "学分过高")


def test_a_revision_needs_a_submitted_review_before_approval(course, enterprise_officer, municipal):
    review.course_update(course=course, by=enterprise_officer, fields={"credits": Decimal(9)})
    with pytest.raises(ValidationError):
        review.course_decide(course=course, approve=True, by=municipal)
    course.refresh_from_db()
    assert course.credits == Decimal(2) and CourseRevision.objects.get().status == "submitted"


def test_a_second_change_waits_for_the_first_revisions_decision(client, course, enterprise_officer):
    review.course_update(course=course, by=enterprise_officer, fields={"credits": Decimal(3)})
    with pytest.raises(ValidationError):
        review.course_update(course=course, by=enterprise_officer, fields={"hours": Decimal(20)})
    assert CourseRevision.objects.count() == 1
    # The admin shows the reviewed fields read-only meanwhile.
    client.force_login(enterprise_officer)
    form = client.get(reverse("admin:courses_course_change", args=[course.pk])).context["adminform"].form
    assert "credits" not in form.fields and "hours" not in form.fields


def test_the_shell_service_makes_a_revision_too(course):
    _course, revision = review.course_update(course=course, by=None, fields={"credits": Decimal(8)})
    course.refresh_from_db()
    assert course.credits == Decimal(2) and revision.credits == Decimal(8)


def test_a_draft_course_changes_at_once(tree, enterprise_officer):
    draft = course_create(tree["chaoyang_enterprise"], status="draft")
    review.course_update(course=draft, by=enterprise_officer, fields={"credits": Decimal(5)},
                         modules=[{"order": 1, "title": "理论", "hours": "16"}])
    draft.refresh_from_db()
    assert draft.credits == Decimal(5) and list(draft.modules.values_list("title", flat=True)) == ["理论"]
    assert not CourseRevision.objects.exists()


@pytest.mark.parametrize("write", [
    lambda course: Course.objects.filter(pk=course.pk).update(credits=Decimal(9)),
    lambda course: Course.objects.filter(pk=course.pk).update(hours=Decimal(99)),
    lambda course: Course.objects.filter(pk=course.pk).update(description="改"),
    lambda course: (setattr(course, "credits", Decimal(9)), course.save()),
], ids=["orm-update-credits", "orm-update-hours", "orm-update-description", "model-save"])
def test_the_database_refuses_a_silent_change_of_an_approved_course(course, write):
    with pytest.raises(DatabaseError), transaction.atomic():
        write(course)
    assert Course.objects.get(pk=course.pk).credits == Decimal(2)


def test_the_database_refuses_raw_sql_too(course):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE courses_course SET credits = 9 WHERE id = %s", [course.pk])
    assert Course.objects.get(pk=course.pk).credits == Decimal(2)


def test_a_draft_course_is_not_guarded(tree):
    draft = course_create(tree["chaoyang_enterprise"], status="draft")
    Course.objects.filter(pk=draft.pk).update(credits=Decimal(9))
    assert Course.objects.get(pk=draft.pk).credits == Decimal(9)


def test_a_training_upload_naming_the_course_leaves_its_credits(tree, course, chaoyang_all_permissions):
    """UPL-6: the only upload kind that names courses reads them (their credits feed the ledger)
    and never writes one."""
    from core.crypto import decrypt_id_number
    from tests.factories import WorkerFactory
    from uploads import pipeline

    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    data = ("身份证号,姓名,课程编码,培训项目名称,培训类型,学时,完成日期,成绩,培训机构\n"
            f"{decrypt_id_number(worker.id_number_encrypted)},{worker.name},{course.code},,技能培训,40,2025-06-30,合格,"
            "北京市职工大学").encode()
    assert pipeline.run(kind_code="training", data=data, user=chaoyang_all_permissions, commit=True).written == 1
    course.refresh_from_db()
    assert (course.credits, course.hours, course.status) == (Decimal(2), Decimal(16), "approved")
    assert not CourseRevision.objects.exists()


def test_the_committee_finds_courses_with_a_revision_under_review(client, tree, course, enterprise_officer, municipal):
    untouched = course_create(tree["chaoyang_enterprise"], title="职场沟通")
    review.course_update(course=course, by=enterprise_officer, fields={"credits": Decimal(3)})
    client.force_login(municipal)
    listing = client.get(reverse("admin:courses_course_changelist"), {"revision": "submitted"})
    shown = set(listing.context["cl"].queryset.values_list("pk", flat=True))
    assert course.pk in shown and untouched.pk not in shown
