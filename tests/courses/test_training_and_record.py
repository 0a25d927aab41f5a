"""UPL-6 training completions reach the worker's lifelong learning record (EDU-8) with credits by
the rule in force on the day (EDU-9)."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from courses.credits import CreditRules, credit_account
from courses.models import CreditConversion, CreditRule, TrainingRecord
from courses.selectors import learning_record
from membership.models import User
from uploads import pipeline

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def roster(tree, chaoyang_officer):
    from django.contrib.auth.models import Permission

    pipeline.run(kind_code="workers", data=(DATA / "workers_gb18030.csv").read_bytes(), user=chaoyang_officer, commit=True)
    chaoyang_officer.user_permissions.add(Permission.objects.get(codename="add_trainingrecord"))
    return chaoyang_officer


def test_training_upload_previews_rejects_and_writes(tree, roster):
    data = (DATA / "training_gb18030.csv").read_bytes()
    preview = pipeline.run(kind_code="training", data=data, user=roster, commit=False)
    assert (preview.rows, preview.new, preview.rejected_count) == (7, 3, 4)
    problems = {e["row"]: (e["column"], e["reason"]) for e in pipeline.flatten_errors(preview.rejected)}
    assert problems[6][0] == "姓名"          # 李四 under 李秀英's number
    assert problems[7][0] == "身份证号"      # 海淀's worker (not in this registry at all)
    assert problems[8][0] == "完成日期"      # in the future
    assert {problems[9][0]} <= {"培训类型", "学时"}
    assert TrainingRecord.objects.count() == 0
    commit = pipeline.run(kind_code="training", data=data, user=roster, commit=True)
    assert commit.written == 3
    record = TrainingRecord.objects.get(project="护理技能")
    assert record.hours == Decimal(8) and record.kind == "skills"  # full-width ８ read as 8
    again = pipeline.run(kind_code="training", data=data, user=roster, commit=True)
    assert (again.new, again.unchanged, again.written) == (0, 3, 0)


def test_uploaded_training_appears_in_the_record_with_credits(client, tree, roster):
    pipeline.run(kind_code="training", data=(DATA / "training_gb18030.csv").read_bytes(), user=roster, commit=True)
    worker = TrainingRecord.objects.get(project="数控车床操作提升班").worker
    entries = learning_record(worker=worker)
    assert [e.title for e in entries] == ["数控车床操作提升班", "安全生产法规更新"]  # newest first
    assert [e.credits for e in entries] == [Decimal("2.0"), Decimal("0.6")]  # 16 h and 4.5 h at 1/8 credit an hour
    user = User.objects.create_user("wjg", password="pw-123456", worker=worker, is_staff=False)
    client.force_login(user)
    page = client.get(reverse("portal:my_learning")).content.decode()
    assert "数控车床操作提升班" in page and 'id="credits-total">2.6<' in page


def test_credits_follow_the_rule_in_force_on_the_day_and_the_yearly_cap(tree, roster):
    from tests.factories import WorkerFactory

    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    CreditRule.objects.create(source="training", credits_per_hour=Decimal("0.5"), valid_from=dt.date(2025, 1, 1),
                              cap_per_year=Decimal(10))
    for day, hours in ((dt.date(2024, 6, 1), 16), (dt.date(2025, 6, 1), 16), (dt.date(2025, 7, 1), 16)):
        TrainingRecord.objects.create(worker=worker, unit=worker.unit, project=f"培训{day}", kind="skills", hours=Decimal(hours), completed_on=day)
    rules = CreditRules()
    entries = learning_record(worker=worker, rules=rules)
    assert sorted(e.credits for e in entries) == [Decimal("2.0"), Decimal("8.0"), Decimal("8.0")]
    CreditConversion.objects.create(worker=worker, unit=worker.unit, institution="北京开放大学", programme="机械制造", credits=Decimal(3),
                                    converted_on=dt.date(2025, 9, 1))
    account = credit_account(worker=worker, entries=entries, rules=rules)
    assert account.by_year == {2024: Decimal("2.0"), 2025: Decimal("10.0")}  # 16 capped at 10 in 2025
    assert (account.earned, account.converted, account.balance) == (Decimal(12), Decimal(3), Decimal(9))


def test_transcripts_download_as_pdf_and_xlsx(client, tree, roster):
    pipeline.run(kind_code="training", data=(DATA / "training_gb18030.csv").read_bytes(), user=roster, commit=True)
    worker = TrainingRecord.objects.get(project="数控车床操作提升班").worker
    client.force_login(User.objects.create_user("wjg", password="pw-123456", worker=worker, is_staff=False))
    pdf = client.get(reverse("portal:my_transcript", args=["pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("portal:my_transcript", args=["xlsx"])).content)).active
    assert "数控车床操作提升班" in [cell.value for cell in sheet["C"]]
    assert client.get(reverse("portal:my_transcript", args=["exe"])).status_code == 404
