"""EDU-8: the PDF transcript embeds its CJK font and carries a verification code that the public
check page confirms, naming the worker masked."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import TranscriptIssue
from membership.models import User
from tests.factories import WorkerFactory, class_create, course_create


@pytest.fixture
def worker_client(client, tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"], name="欧阳明辉")
    done = services.enrolment_create(worker=worker, course_class=class_create(course_create(tree["root"], title="焊接技术基础")))
    services.enrolment_complete(enrolment=done, passed=True, on=dt.date(2025, 5, 6))
    client.force_login(User.objects.create_user("w", password="pw-123456", worker=worker, is_staff=False))
    return client, worker


def _pdf(client):
    response = client.get(reverse("courses:my_transcript", args=["pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return response.content


def test_the_pdf_embeds_a_truetype_cjk_font_and_no_unembedded_cid_font(worker_client):
    content = _pdf(worker_client[0])
    assert b"/FontFile2" in content  # an embedded TrueType program
    assert b"STSong-Light" not in content
    assert b"NotoSansSCSubset" in content


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_reports_every_font_embedded(worker_client, tmp_path):
    path = tmp_path / "record.pdf"
    path.write_bytes(_pdf(worker_client[0]))
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", row) for row in rows), rows


def test_each_pdf_is_issued_with_a_code_that_the_check_page_confirms_masked(worker_client):
    client, worker = worker_client
    _pdf(client)
    issue = TranscriptIssue.objects.get(worker=worker)
    assert len(issue.code) == 12 and len(issue.digest) == 64
    client.logout()
    page = client.get(reverse("courses:training_certificate_check"), {"code": issue.code.lower()}).content.decode()
    assert 'id="transcript-valid"' in page
    assert "欧**辉" in page and "欧阳明辉" not in page
    assert timezone.localtime(issue.issued_at).date().isoformat() in page
    wrong = client.get(reverse("courses:training_certificate_check"), {"code": "000000000000"}).content.decode()
    assert 'id="transcript-valid"' not in wrong and "欧**辉" not in wrong


def test_the_same_record_has_the_same_digest_and_a_new_code_each_time(worker_client):
    client, worker = worker_client
    _pdf(client)
    _pdf(client)
    first, second = TranscriptIssue.objects.filter(worker=worker).order_by("id")
    assert first.code != second.code and first.digest == second.digest


def test_the_check_page_is_linked_from_the_site_and_from_my_learning(worker_client):
    client, _ = worker_client
    check = reverse("courses:training_certificate_check")
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert page.count(f'href="{check}"') == 2
    client.logout()
    assert f'href="{check}"' in client.get(reverse("courses:menu")).content.decode()
