"""EDU-8/EDU-9 学分银行: one ledger of dated credit entries, written by courses.ledger from every
source, once per source, by the rule in force on the date earned, never below a zero balance."""
from __future__ import annotations

import datetime as dt
import io
import threading
from decimal import Decimal
from pathlib import Path

import openpyxl
import pgtrigger
import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import ledger, services
from courses.models import (
    ActivityRegistration,
    CoursewareProgress,
    CreditAccount,
    CreditConversion,
    CreditEntry,
    CreditPilot,
    CreditRule,
    TrainingRecord,
)
from courses.selectors import credit_account
from membership.models import User
from tests.factories import WorkerFactory, activity_create, class_create, course_create, courseware_create
from uploads import pipeline

DATA = Path(__file__).resolve().parent.parent / "data"
Source = CreditEntry.Source


def _completed(worker, course, on=None):
    enrolment = services.enrolment_create(worker=worker, course_class=class_create(course))
    return services.enrolment_complete(enrolment=enrolment, passed=True, on=on)


def _earn(worker, credits: Decimal, on=dt.date(2025, 3, 1)):
    """``credits`` in the bank through a class completion (the course rule uses the course's credits)."""
    return _completed(worker, course_create(worker.unit, credits=credits), on=on)


@pytest.fixture
def worker(tree):
    return WorkerFactory(unit=tree["chaoyang_enterprise"])


def test_a_class_completion_writes_one_entry_with_the_unit_of_the_day(tree, worker):
    enrolment = _completed(worker, course_create(tree["root"], title="焊接技术基础", credits=Decimal(3)),
                           on=dt.date(2025, 5, 6))
    (entry,) = CreditEntry.objects.all()
    assert (entry.worker, entry.unit, entry.source_kind, entry.source_id) == (
        worker, tree["chaoyang_enterprise"], Source.COURSE, enrolment.pk)
    assert (entry.earned_on, entry.credits, entry.rule.source) == (dt.date(2025, 5, 6), Decimal(3), "course")
    assert entry.cause.startswith("焊接技术基础")
    assert CreditAccount.objects.get(worker=worker).balance == Decimal(3)


def test_recording_a_source_again_does_not_count_twice(tree, worker):
    enrolment = _earn(worker, Decimal(3))
    with pytest.raises(ValidationError):
        services.enrolment_complete(enrolment=enrolment, passed=True)
    again = ledger.credit_entry_record(worker=worker, source_kind=Source.COURSE, source=enrolment,
                                       earned_on=dt.date(2025, 3, 1), course_credits=Decimal(3), cause="again")
    assert again == CreditEntry.objects.get()
    assert CreditAccount.objects.get(worker=worker).balance == Decimal(3)


def test_the_training_upload_writes_one_entry_per_new_record_and_a_reupload_none(tree, chaoyang_officer):
    pipeline.run(kind_code="workers", data=(DATA / "workers_gb18030.csv").read_bytes(), user=chaoyang_officer, commit=True)
    chaoyang_officer.user_permissions.add(Permission.objects.get(codename="add_trainingrecord"))
    data = (DATA / "training_gb18030.csv").read_bytes()
    pipeline.run(kind_code="training", data=data, user=chaoyang_officer, commit=True)
    records = TrainingRecord.objects.all()
    assert records.count() == 3
    assert sorted(CreditEntry.objects.values_list("source_id", flat=True)) == sorted(r.pk for r in records)
    assert {e.source_kind for e in CreditEntry.objects.all()} == {Source.TRAINING}
    total = sum(CreditEntry.objects.values_list("credits", flat=True))
    pipeline.run(kind_code="training", data=data, user=chaoyang_officer, commit=True)
    assert CreditEntry.objects.count() == 3
    assert sum(CreditAccount.objects.values_list("balance", flat=True)) == total


def test_the_bulk_form_costs_the_same_queries_for_a_batch_of_any_size(tree):
    def queries_for(n):
        workers = [WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(n)]
        records = [TrainingRecord.objects.create(worker=w, unit_id=w.unit_id, project=f"培训{w.pk}", kind="skills", hours=Decimal(8),
                                                 completed_on=dt.date(2025, 4, 1)) for w in workers]
        earnings = [ledger.Earning(worker_id=r.worker_id, source=r, earned_on=r.completed_on, hours=r.hours,
                                   cause=r.project) for r in records]
        with CaptureQueriesContext(connection) as captured:
            written = ledger.credit_entries_record_bulk(source_kind=Source.TRAINING, earnings=earnings)
        assert len(written) == n
        return len(captured)

    assert queries_for(2) == queries_for(25)


def test_a_training_record_saved_in_the_admin_earns_its_entry(client, tree, chaoyang_all_permissions, worker):
    client.force_login(chaoyang_all_permissions)
    response = client.post(reverse("admin:courses_trainingrecord_add"), {
        "worker": worker.pk, "project": "数控车床操作提升班", "kind": "skills", "hours": "16",
        "completed_on": "2025-06-30", "result": "合格", "institution": "北京市职工大学"})
    assert response.status_code == 302
    record = TrainingRecord.objects.get()
    entry = CreditEntry.objects.get()
    assert (entry.source_id, entry.source_kind, entry.credits) == (record.pk, Source.TRAINING, Decimal("2.0"))


def test_finishing_courseware_earns_once_by_the_courseware_rule(tree, worker):
    from courses import courseware_progress

    CreditRule.objects.create(source="courseware", credits_each=Decimal("0.2"), valid_from=dt.date(2020, 1, 1))
    from membership.models import Unit

    Unit.objects.filter(pk=worker.unit_id).update(membership_status="active")
    worker.refresh_from_db()
    item = courseware_create(course_create(tree["root"]), kind="ebook")
    item.length = 2
    item.save(update_fields=["length"])
    courseware_progress.courseware_progress_report(worker=worker, courseware=item, page=1)
    assert not CreditEntry.objects.exists()
    CoursewareProgress.objects.update(reported_at=timezone.now() - dt.timedelta(seconds=10))
    courseware_progress.courseware_progress_report(worker=worker, courseware=item, page=2)
    CoursewareProgress.objects.update(reported_at=timezone.now() - dt.timedelta(seconds=10))
    courseware_progress.courseware_progress_report(worker=worker, courseware=item, page=2)
    (entry,) = CreditEntry.objects.all()
    assert (entry.source_kind, entry.credits) == (Source.COURSEWARE, Decimal("0.2"))
    assert "焊接技术基础" in entry.cause  # the course named, in the portal's language


def test_taking_part_in_an_activity_earns_once(tree, worker):
    activity = activity_create(tree["root"], title="安全生产知识竞赛", kind="knowledge")
    registration = services.activity_register(worker=worker, activity=activity)
    assert not CreditEntry.objects.exists()
    registration.status, registration.result = ActivityRegistration.Status.ATTENDED, "一等奖"
    services.activity_participation_record(registration=registration)
    services.activity_participation_record(registration=registration)
    (entry,) = CreditEntry.objects.all()
    assert (entry.source_kind, entry.credits, entry.earned_on) == (Source.ACTIVITY, Decimal("0.5"), activity.ends_on)


def test_a_conversion_is_a_negative_entry(tree, worker):
    _earn(worker, Decimal(4))
    conversion = ledger.credit_conversion_create(worker=worker, institution="北京开放大学", programme="机械制造",
                                                 credits=Decimal(3), converted_on=dt.date(2025, 9, 1))
    entry = CreditEntry.objects.get(source_kind=Source.CONVERSION)
    assert (entry.source_id, entry.credits, entry.rule) == (conversion.pk, Decimal(-3), None)
    account = credit_account(worker=worker)
    assert (account.earned, account.converted, account.balance) == (Decimal(4), Decimal(3), Decimal(1))


def test_a_conversion_beyond_the_balance_is_refused_and_writes_nothing(tree, worker):
    _earn(worker, Decimal(2))
    with pytest.raises(ValidationError) as refused:
        ledger.credit_conversion_create(worker=worker, institution="北京开放大学", programme="机械制造",
                                        credits=Decimal(3), converted_on=dt.date(2025, 9, 1))
    assert "balance" in str(refused.value) or "余额" in str(refused.value)
    assert not CreditConversion.objects.exists()
    assert not CreditEntry.objects.filter(source_kind=Source.CONVERSION).exists()
    assert CreditAccount.objects.get(worker=worker).balance == Decimal(2)


def test_the_database_refuses_a_negative_balance(tree, worker):
    _earn(worker, Decimal(2))
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditAccount.objects.filter(worker=worker).update(balance=Decimal(-1))


def test_the_database_refuses_a_negative_earning(tree, worker):
    from django.contrib.contenttypes.models import ContentType

    record = TrainingRecord.objects.create(worker=worker, unit_id=worker.unit_id, project="培训", kind="skills", hours=Decimal(8),
                                           completed_on=dt.date(2025, 4, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditEntry.objects.create(worker=worker, unit=worker.unit, earned_on=record.completed_on, cause="培训",
                                   source_kind=Source.TRAINING, source_type=ContentType.objects.get_for_model(record),
                                   source_id=record.pk, credits=Decimal(-1))


def test_the_database_refuses_to_change_or_delete_an_entry(tree, worker):
    _earn(worker, Decimal(2))
    for change in (lambda entries: entries.update(credits=Decimal(5)), lambda entries: entries.delete()):
        with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
            change(CreditEntry.objects.all())
    assert CreditEntry.objects.get().credits == Decimal(2)


@pytest.mark.django_db(transaction=True)
def test_two_conversions_racing_for_one_balance_spend_it_once(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    _earn(worker, Decimal(4))
    barrier = threading.Barrier(2)
    done, refused, errors = [], [], []

    def convert(programme):
        try:
            barrier.wait()
            done.append(ledger.credit_conversion_create(worker=worker, institution="北京开放大学", programme=programme,
                                                        credits=Decimal(3), converted_on=dt.date(2025, 9, 1)))
        except ValidationError as error:
            refused.append(error)
        except Exception as error:  # the assertion below reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=convert, args=(name,)) for name in ("机械制造", "电气自动化")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert (len(done), len(refused)) == (1, 1)
    assert CreditAccount.objects.get(worker=worker).balance == Decimal(1)
    assert CreditEntry.objects.filter(source_kind=Source.CONVERSION).count() == 1


def test_credits_follow_the_rule_in_force_on_the_date_earned(tree, worker):
    CreditRule.objects.filter(source="course").update(valid_to=dt.date(2024, 12, 31))
    CreditRule.objects.create(source="course", credits_per_hour=Decimal("0.25"), valid_from=dt.date(2025, 1, 1))
    course = course_create(tree["root"], credits=Decimal(2))  # 16 hours
    before = _completed(worker, course, on=dt.date(2024, 12, 31))
    after = _completed(worker, course, on=dt.date(2025, 1, 1))
    credits = dict(CreditEntry.objects.values_list("source_id", "credits"))
    assert credits == {before.pk: Decimal(2), after.pk: Decimal(4)}


def test_a_yearly_cap_holds_across_entries_and_the_next_year_starts_afresh(tree, worker):
    CreditRule.objects.filter(source="course").update(cap_per_year=Decimal(5))
    first, second = _earn(worker, Decimal(4)), _earn(worker, Decimal(4))
    following = _earn(worker, Decimal(4), on=dt.date(2026, 1, 2))
    credits = dict(CreditEntry.objects.values_list("source_id", "credits"))
    assert credits == {first.pk: Decimal(4), second.pk: Decimal(1), following.pk: Decimal(4)}
    assert credit_account(worker=worker).by_year == {2025: Decimal(5), 2026: Decimal(4)}


def _revision_approved(course, **fields):
    from courses import review
    from courses.models import CourseReview
    from tests.factories import UserFactory

    review.course_update(course=course, by=None, fields=fields)
    decider = UserFactory(is_superuser=True)
    CourseReview.objects.create(course=course, revision=review.course_pending_revision(course), reviewer=decider,
                                submitted_at=timezone.now(), total=Decimal(80))
    review.course_decide(course=course, approve=True, by=decider)


def test_editing_a_course_afterwards_does_not_rewrite_the_credits_earned(client, tree, worker):
    course = course_create(tree["root"], title="焊接技术基础", credits=Decimal(2))
    _completed(worker, course, on=dt.date(2025, 5, 6))
    # Issue 8: an approved course's credits change only through a revision the committee approves.
    _revision_approved(course, credits=Decimal(4))
    course.refresh_from_db()
    assert course.credits == Decimal(4)
    client.force_login(User.objects.create_user("w", password="pw-123456", worker=worker, is_staff=False))
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert 'id="credits-total">2.0<' in page and 'id="credits-balance">2.0<' in page
    assert CreditEntry.objects.get().credits == Decimal(2)


def test_a_transfer_leaves_the_entry_with_the_unit_of_its_time(tree, worker):
    _earn(worker, Decimal(2))
    worker.unit = tree["haidian_enterprise"]
    worker.save(update_fields=["unit"])
    assert CreditEntry.objects.get().unit == tree["chaoyang_enterprise"]


def test_my_learning_and_the_transcripts_show_the_ledger(client, tree, worker):
    enrolment = _earn(worker, Decimal(3))
    ledger.credit_conversion_create(worker=worker, institution="北京开放大学", programme="机械制造", credits=Decimal(1),
                                    converted_on=dt.date(2025, 9, 1))
    # The page reads the entry, not the course: a ledger line that differs from the course shows.
    with pgtrigger.ignore("courses.CreditEntry:append_only"):
        CreditEntry.objects.filter(source_id=enrolment.pk, source_kind=Source.COURSE).update(credits=Decimal("2.5"))
    CreditAccount.objects.filter(worker=worker).update(balance=Decimal("1.5"))
    client.force_login(User.objects.create_user("w", password="pw-123456", worker=worker, is_staff=False))
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert 'id="credits-total">2.5<' in page and 'id="credits-balance">1.5<' in page
    assert "北京开放大学 · 机械制造" in page and "-1.0" in page
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("courses:my_transcript", args=["xlsx"])).content))
    summary = [row for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert [row[1] for row in summary[1:]] == [2.5, 1, 1.5]
    record = [row for row in workbook.worksheets[0].iter_rows(values_only=True)]
    assert 2.5 in [row[5] for row in record]
    assert len(list(workbook.worksheets[2].iter_rows(values_only=True))) == 3  # header and two entries
    pdf = client.get(reverse("courses:my_transcript", args=["pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_conversion_admin_refuses_an_overspend_with_a_form_error(client, tree, chaoyang_all_permissions, worker):
    _earn(worker, Decimal(2))
    client.force_login(chaoyang_all_permissions)
    form = {"worker": worker.pk, "institution": "北京开放大学", "programme": "机械制造", "converted_on": "2025-09-01"}
    refused = client.post(reverse("admin:courses_creditconversion_add"), {**form, "credits": "3"})
    assert refused.status_code == 200 and refused.context["adminform"].form.errors
    assert not CreditConversion.objects.exists()
    accepted = client.post(reverse("admin:courses_creditconversion_add"), {**form, "credits": "2"})
    assert accepted.status_code == 302
    assert CreditEntry.objects.get(source_kind=Source.CONVERSION).credits == Decimal(-2)
    assert CreditAccount.objects.get(worker=worker).balance == 0
    conversion = CreditConversion.objects.get()
    # Neither edited nor deleted afterwards: the ledger keeps what was spent.
    assert client.post(reverse("admin:courses_creditconversion_delete", args=[conversion.pk]),
                       {"post": "yes"}).status_code == 403
    client.post(reverse("admin:courses_creditconversion_change", args=[conversion.pk]), {**form, "credits": "1"})
    conversion.refresh_from_db()
    assert conversion.credits == Decimal(2) and CreditConversion.objects.count() == 1


def test_the_migration_backfills_existing_facts_by_the_same_rules(tree, worker):
    """Rows written before the ledger (plain ORM, no service) earn their entries in the migration."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("courses.migrations.0012_credit_ledger").backfill
    from courses.models import Enrolment

    CreditRule.objects.filter(source="training").update(cap_per_year=Decimal(3))
    course = course_create(tree["root"], credits=Decimal(2))
    enrolment = Enrolment.objects.create(course_class=class_create(course), worker=worker, unit_id=worker.unit_id, status="completed",
                                         completed_on=dt.date(2025, 5, 6))
    for day in (dt.date(2025, 6, 1), dt.date(2025, 7, 1)):
        TrainingRecord.objects.create(worker=worker, unit_id=worker.unit_id, project=f"培训{day}", kind="skills", hours=Decimal(16), completed_on=day)
    activity = activity_create(tree["root"])
    ActivityRegistration.objects.create(activity=activity, worker=worker, unit_id=worker.unit_id, status="attended")
    CreditConversion.objects.create(worker=worker, unit_id=worker.unit_id, institution="北京开放大学", programme="机械制造", credits=Decimal(1),
                                    converted_on=dt.date(2025, 9, 1))
    backfill(apps, None)
    by_kind = {}
    for entry in CreditEntry.objects.all():
        by_kind.setdefault(entry.source_kind, []).append(entry.credits)
    assert sorted(by_kind["training"]) == [Decimal(1), Decimal(2)]  # 2 + 2 capped at 3 a year
    assert (by_kind["course"], by_kind["activity"], by_kind["conversion"]) == (
        [Decimal(2)], [Decimal("0.5")], [Decimal(-1)])
    assert CreditEntry.objects.get(source_kind="course").source_id == enrolment.pk
    assert CreditAccount.objects.get(worker=worker).balance == Decimal("4.5")


def test_the_demo_seed_writes_ledger_entries_once(db):
    from django.core.management import call_command

    call_command("seed_demo", "--workers", "300", "--seed", "7")
    kinds = set(CreditEntry.objects.values_list("source_kind", flat=True))
    assert {Source.COURSE, Source.TRAINING, Source.ACTIVITY} <= kinds
    demo = User.objects.get(username="worker").worker
    assert credit_account(worker=demo).earned > 0
    # EDU-9: only pilots earn; the demo worker's enterprise is one.
    assert CreditPilot.objects.filter(unit=demo.unit).exists()
    pilot_paths = list(CreditPilot.objects.values_list("unit__path", flat=True))
    assert all(any(path.startswith(p) for p in pilot_paths)
               for path in CreditEntry.objects.values_list("unit__path", flat=True).distinct())
    count = CreditEntry.objects.count()
    call_command("seed_demo", "--workers", "300", "--seed", "7")
    assert CreditEntry.objects.count() == count
    for account in CreditAccount.objects.all()[:50]:
        assert account.balance == sum(account.worker.credit_entries.values_list("credits", flat=True))


def test_participation_recorded_on_the_admin_list_earns_its_entry(client, tree, chaoyang_all_permissions, worker):
    registration = services.activity_register(worker=worker, activity=activity_create(tree["root"]))
    client.force_login(chaoyang_all_permissions)
    response = client.post(reverse("admin:courses_activityregistration_changelist"), {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000",
        "form-0-id": registration.pk, "form-0-status": "attended", "form-0-result": "优秀奖", "_save": "1"})
    assert response.status_code == 302
    entry = CreditEntry.objects.get()
    assert (entry.source_id, entry.source_kind, entry.credits) == (registration.pk, Source.ACTIVITY, Decimal("0.5"))


def test_an_overspend_is_refused_in_chinese_on_every_path(client, tree, chaoyang_all_permissions, worker):
    """EDU-9 学分当量替换: a balance never goes below zero (it once reached −992), and the worker's
    officer reads why in Chinese — from the service, and from the admin's form."""
    from django.utils import translation

    never_earned = WorkerFactory(unit=tree["chaoyang_enterprise"])
    _earn(worker, Decimal(2))
    with translation.override("zh-hans"):
        for who, credits in ((worker, Decimal(3)), (never_earned, Decimal("0.5"))):
            with pytest.raises(ValidationError) as refused:
                ledger.credit_conversion_create(worker=who, institution="北京开放大学", programme="机械制造",
                                                credits=credits, converted_on=dt.date(2025, 9, 1))
            assert refused.value.messages == ["学分余额不足，不能办理此次转换。"]
    client.force_login(chaoyang_all_permissions)
    refused = client.post(reverse("admin:courses_creditconversion_add"), {
        "worker": never_earned.pk, "institution": "北京开放大学", "programme": "机械制造", "converted_on": "2025-09-01",
        "credits": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 200
    assert "学分余额不足，不能办理此次转换。" in refused.content.decode()
    assert not CreditConversion.objects.exists()
    assert list(CreditAccount.objects.filter(balance__lt=0)) == []
    assert CreditAccount.objects.get(worker=worker).balance == Decimal(2)
