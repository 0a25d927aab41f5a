"""Issue 13 (UPL-2): a training commit's queries do not grow with its rows. The credit ledger read
each new record's unit back from the database one record at a time (a deferred field), which made
a 20,000-row commit run 20,000 extra queries."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.crypto import decrypt_id_number
from courses.models import TrainingRecord
from tests.factories import WorkerFactory
from uploads import pipeline

HEADER = "身份证号,姓名,课程编码,培训项目名称,培训类型,学时,完成日期,成绩,培训机构"


@pytest.fixture
def uploader(chaoyang_officer):
    chaoyang_officer.user_permissions.add(Permission.objects.get(codename="add_trainingrecord"))
    return chaoyang_officer


def commit_queries(workers, uploader, project: str) -> int:
    rows = [f"{decrypt_id_number(worker.id_number_encrypted)},{worker.name},,{project},技能培训,8,2024-06-10,合格,"
            for worker in workers]
    with CaptureQueriesContext(connection) as queries:
        summary = pipeline.run(kind_code="training", data="\n".join([HEADER, *rows]).encode(), user=uploader,
                               commit=True)
    assert summary.written == len(workers)
    return len(queries)


def test_a_training_commit_runs_as_many_queries_for_six_rows_as_for_two(tree, uploader):
    workers = [WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(8)]
    commit_queries(workers[:2], uploader, "入职培训")  # fills the per-process caches (content types, rules)
    two = commit_queries(workers[:2], uploader, "安全生产培训")
    six = commit_queries(workers[2:], uploader, "安全生产培训")
    assert six == two
    assert TrainingRecord.objects.count() == 10
