"""Item 14 (EDU-5, UPL-6): a training upload names a course by its code and copies its title. Only
published courses, or courses of the uploader's own units, can be named; another unit's draft is
answered as if its code did not exist."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from core.crypto import decrypt_id_number
from courses.models import TrainingRecord
from tests.factories import WorkerFactory, course_create
from uploads import pipeline

HEADER = "身份证号,姓名,课程编码,培训项目名称,培训类型,学时,完成日期,成绩,培训机构"


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def uploader(chaoyang_officer):
    chaoyang_officer.user_permissions.add(Permission.objects.get(codename="add_trainingrecord"))
    return chaoyang_officer


def training(worker, *codes) -> bytes:
    number = decrypt_id_number(worker.id_number_encrypted)
    rows = [f"{number},{worker.name},{code},,技能培训,8,2024-06-{10 + i},合格," for i, code in enumerate(codes)]
    return "\n".join([HEADER, *rows]).encode()


def test_another_districts_draft_course_cannot_be_named_and_its_title_is_not_copied(tree, uploader):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    draft = course_create(tree["haidian"], title="海淀未发布的机密课程", status="draft")
    summary = pipeline.run(kind_code="training", data=training(worker, draft.code, "KC999999"), user=uploader,
                           commit=True)
    reasons = {}
    for error in pipeline.flatten_errors(summary.rejected):
        reasons.setdefault(error["row"], []).append((error["column"], error["reason"].replace(draft.code, "X")
                                                     .replace("KC999999", "X")))
    assert summary.written == 0 and not TrainingRecord.objects.exists()
    # Answered exactly like a code that does not exist: the draft's existence is not told.
    assert reasons[2] == reasons[3] and reasons[2][0][0] == "课程编码"
    assert "海淀未发布的机密课程" not in str(summary.as_json())


def test_published_courses_and_the_uploaders_own_drafts_can_be_named(tree, uploader):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    published = course_create(tree["haidian"], title="海淀已发布课程", status="approved")
    own_draft = course_create(tree["chaoyang_enterprise"], title="朝阳自己的草稿课程", status="draft")
    summary = pipeline.run(kind_code="training", data=training(worker, published.code, own_draft.code), user=uploader,
                           commit=True)
    assert summary.written == 2
    assert set(TrainingRecord.objects.values_list("project", "course")) == {
        ("海淀已发布课程", published.pk), ("朝阳自己的草稿课程", own_draft.pk)}


def test_a_training_file_does_not_tell_whether_a_number_is_registered_elsewhere(tree, uploader):
    from tests.factories import id_number_new

    elsewhere = WorkerFactory(unit=tree["haidian_enterprise"], name="刘洋")
    number = decrypt_id_number(elsewhere.id_number_encrypted)
    data = "\n".join([HEADER, f"{number},刘洋,,焊接,技能培训,8,2024-06-10,合格,",
                      f"{id_number_new()},刘洋,,焊接,技能培训,8,2024-06-10,合格,"]).encode()
    summary = pipeline.run(kind_code="training", data=data, user=uploader, commit=False)
    reasons = {e["row"]: (e["column"], e["reason"]) for e in pipeline.flatten_errors(summary.rejected)}
    assert reasons[2] == reasons[3] and reasons[2][0] == "身份证号"
