"""The migration that gives stored facts their unit fills it from the worker's unit of the day the
migration runs (courses 0013): no fact is left without an owner when the column becomes NOT NULL."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("courses", "0013_fact_rows_unit_at_the_time")]
AFTER = [("courses", "0015_fact_rows_unit_required")]


@pytest.mark.django_db(transaction=True)
def test_backfill_gives_existing_facts_their_workers_unit(tree):
    from tests.factories import WorkerFactory, class_create, course_create

    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    course_class = class_create(course_create(tree["root"]))
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        Enrolment = apps.get_model("courses", "Enrolment")
        TrainingRecord = apps.get_model("courses", "TrainingRecord")
        enrolment = Enrolment.objects.create(course_class_id=course_class.pk, worker_id=worker.pk, status="enrolled")
        record = TrainingRecord.objects.create(worker_id=worker.pk, project="焊工复训", kind="skills", hours=8,
                                               completed_on=dt.date(2024, 6, 10))
        assert (enrolment.unit_id, record.unit_id) == (None, None)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        # Then on to the latest migrations, which later models (and later tests) need.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    from courses.models import Enrolment as CurrentEnrolment
    from courses.models import TrainingRecord as CurrentRecord

    assert CurrentEnrolment.objects.get(pk=enrolment.pk).unit_id == tree["chaoyang_enterprise"].pk
    assert CurrentRecord.objects.get(pk=record.pk).unit_id == tree["chaoyang_enterprise"].pk
