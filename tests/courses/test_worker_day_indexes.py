"""The indicators' drill-down asks, of each worker of a subtree, whether they completed a training
record, a class or a course's courseware in a year (reporting/formulas.py, IND-TRAINED-SHARE):
each of the three tables answers it from one (worker, completed_on) index, which stands in for
the worker column's own index (as many indexes on every write as before)."""
from __future__ import annotations

import pytest
from django.db import connection

from courses.models import CoursewareCompletion, Enrolment, TrainingRecord


def _indexes(model) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: info["columns"] for name, info in found.items() if info["index"] and not info["unique"]
            and not info["primary_key"]}


@pytest.mark.django_db
@pytest.mark.parametrize("model", [TrainingRecord, Enrolment, CoursewareCompletion])
def test_a_workers_completions_of_a_year_are_one_index_and_the_worker_column_has_no_other(model):
    indexes = _indexes(model)
    leading = [columns for columns in indexes.values() if columns and columns[0] == "worker_id"]
    # (an index's included columns follow its keys in what introspection lists)
    assert [columns[:2] for columns in leading] == [["worker_id", "completed_on"]]
