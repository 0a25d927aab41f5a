"""The data migration that masks ID numbers in reasons stored before they were masked."""
from __future__ import annotations

import importlib

from django.apps import apps

from tests.factories import UserFactory
from uploads.models import Upload

migration = importlib.import_module("uploads.migrations.0003_mask_id_numbers_in_stored_reasons")


def test_stored_reasons_quoting_id_numbers_are_masked(tree):
    user = UserFactory(unit=tree["chaoyang"])
    old = Upload.objects.create(kind="workers", user=user, unit=tree["chaoyang"], file_name="a.csv", sha256="0" * 64,
                                errors=[{"row": 2, "errors": [["单位代码", "没有代码为 11010519491231002X 的单位"]],
                                         "values": "x"}],
                                message="身份证号被 Excel 改成了科学计数法（1.1010519491231E+17）")
    clean = Upload.objects.create(kind="workers", user=user, unit=tree["chaoyang"], file_name="b.csv", sha256="1" * 64,
                                  errors=[{"row": 3, "errors": [["姓名", "不能为空"]], "values": "y"}])
    migration.mask_stored_reasons(apps, None)
    old.refresh_from_db()
    clean.refresh_from_db()
    assert old.errors == [{"row": 2, "errors": [["单位代码", "没有代码为 110105********002X 的单位"]], "values": "x"}]
    assert "1.10105********E+17" in old.message and "19491231" not in old.message
    assert clean.errors == [{"row": 3, "errors": [["姓名", "不能为空"]], "values": "y"}]
