"""Issue 6 item 6: an oversize upload is stopped while it streams in, answered with a form error,
and leaves nothing on disk — no stored file, no temporary file."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import reverse

from courses.models import Courseware
from tests.factories import course_create, courseware_create
from uploads.models import Upload

MB = 1024 * 1024
DATA = Path(__file__).resolve().parent.parent / "data"
RECEIVED: list[int] = []


class RecordingHandler(FileUploadHandler):
    """Stands just before Django's own handlers: what it sees is what they would keep."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        RECEIVED.append(0)

    def receive_data_chunk(self, raw_data, start):
        RECEIVED[-1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def disk(settings, tmp_path):
    """Media and temporary files in directories of their own; files above 64 KB go to disk."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    ours = [name for name in django_settings.FILE_UPLOAD_HANDLERS if not name.startswith("django.")]
    settings.FILE_UPLOAD_HANDLERS = [*ours, f"{__name__}.RecordingHandler",
                                     "django.core.files.uploadhandler.MemoryFileUploadHandler",
                                     "django.core.files.uploadhandler.TemporaryFileUploadHandler"]
    RECEIVED.clear()
    return tmp_path


def files_under(path: Path) -> list[Path]:
    return [item for item in path.rglob("*") if item.is_file()] if path.exists() else []


def test_oversize_spreadsheet_is_stopped_at_the_limit_with_a_form_error(client, tree, chaoyang_officer, settings, disk):
    settings.UPLOAD_MAX_BYTES = 1 * MB
    client.force_login(chaoyang_officer)
    big = SimpleUploadedFile("roster.csv", "姓名,身份证号\n".encode() + b"x" * (3 * MB))
    response = client.post(reverse("admin:uploads_upload_new"), {"kind": "workers", "file": big})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1 and "1 MB" in errors[0]
    # The handlers that keep a file saw no more than the limit and one chunk of 64 KB.
    assert RECEIVED and max(RECEIVED) <= 1 * MB + 64 * 1024
    assert Upload.objects.count() == 0
    assert files_under(disk / "media") == [] and files_under(disk / "tmp") == []


def test_spreadsheet_within_the_limit_still_goes_through(client, tree, chaoyang_officer, settings, disk):
    settings.UPLOAD_MAX_BYTES = 1 * MB
    client.force_login(chaoyang_officer)
    with open(DATA / "workers_gb18030.csv", "rb") as handle:
        response = client.post(reverse("admin:uploads_upload_new"), {"kind": "workers", "file": handle})
    assert response.status_code == 302
    assert Upload.objects.get().status == Upload.Status.PREVIEWED
    assert files_under(disk / "tmp") == []


def test_a_file_refused_at_once_is_recorded_but_never_stored(client, tree, chaoyang_officer, disk):
    client.force_login(chaoyang_officer)
    with open(DATA / "not_a_spreadsheet.xlsx", "rb") as handle:
        client.post(reverse("admin:uploads_upload_new"), {"kind": "workers", "file": handle})
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.REFUSED and len(upload.sha256) == 64 and upload.file_size > 0
    assert not upload.file
    assert files_under(disk / "media") == []


def test_a_file_refused_while_it_is_read_is_deleted(client, tree, chaoyang_officer, disk):
    client.force_login(chaoyang_officer)
    with open(DATA / "zip_bomb.xlsx", "rb") as handle:
        client.post(reverse("admin:uploads_upload_new"), {"kind": "workers", "file": handle})
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.REFUSED and "zip" in upload.message
    assert not upload.file
    assert files_under(disk / "media") == []


def test_a_previewed_file_is_still_kept_for_its_commit(client, tree, chaoyang_officer, disk):
    client.force_login(chaoyang_officer)
    with open(DATA / "workers_gb18030.csv", "rb") as handle:
        client.post(reverse("admin:uploads_upload_new"), {"kind": "workers", "file": handle})
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.PREVIEWED and upload.file
    assert len(files_under(disk / "media")) == 1


def _courseware_form(course, upload) -> dict:
    return {"course": course.pk, "kind": "video", "title": "焊接安全视频", "length": 12, "order": 0, "file": upload}


def test_oversize_courseware_change_keeps_the_old_file_and_says_why(client, tree, chaoyang_all_permissions, settings, disk):
    settings.COURSEWARE_MAX_BYTES = 2 * MB
    settings.UPLOAD_MAX_BYTES = 1 * MB  # courseware has its own, larger limit
    course = course_create(tree["chaoyang"])
    item = courseware_create(course)
    before = item.file.name
    client.force_login(chaoyang_all_permissions)
    big = SimpleUploadedFile("lesson.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (5 * MB))
    response = client.post(reverse("admin:courses_courseware_change", args=[item.pk]), _courseware_form(course, big))
    assert response.status_code == 200
    assert "2 MB" in " ".join(response.context["adminform"].form.errors["file"])
    item.refresh_from_db()
    assert item.file.name == before
    assert [path.name for path in files_under(disk / "media")] == [Path(before).name]
    assert files_under(disk / "tmp") == []
    assert max(RECEIVED) <= 2 * MB + 64 * 1024


def test_oversize_courseware_add_says_too_large_not_required(client, tree, chaoyang_all_permissions, settings, disk):
    settings.COURSEWARE_MAX_BYTES = 1 * MB
    course = course_create(tree["chaoyang"])
    client.force_login(chaoyang_all_permissions)
    big = SimpleUploadedFile("lesson.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (3 * MB))
    response = client.post(reverse("admin:courses_courseware_add"), _courseware_form(course, big))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert len(errors) == 1 and "1 MB" in errors[0]
    assert not Courseware.objects.exists()
    assert files_under(disk / "media") == [] and files_under(disk / "tmp") == []


def test_courseware_within_its_limit_is_accepted_above_the_spreadsheet_limit(client, tree, chaoyang_all_permissions,
                                                                            settings, disk):
    settings.COURSEWARE_MAX_BYTES = 4 * MB
    settings.UPLOAD_MAX_BYTES = 1 * MB
    course = course_create(tree["chaoyang"])
    client.force_login(chaoyang_all_permissions)
    video = SimpleUploadedFile("lesson.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (2 * MB), content_type="video/mp4")
    response = client.post(reverse("admin:courses_courseware_add"), _courseware_form(course, video))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Courseware.objects.get().file.size > 2 * MB
    assert files_under(disk / "tmp") == []
