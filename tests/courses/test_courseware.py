"""EDU-4 and MEM-5: courseware for workers of member units only, with progress."""
from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import CoursewareProgress
from membership.models import Unit, User
from tests.factories import WorkerFactory, course_create, courseware_create


@pytest.fixture
def item(tree):
    return courseware_create(course_create(tree["root"], title="焊接技术基础"))


def _worker_client(client, unit):
    worker = WorkerFactory(unit=unit)
    client.force_login(User.objects.create_user(f"w{worker.pk}", password="pw-123456", worker=worker, is_staff=False))
    return worker


def test_member_unit_worker_opens_courseware_and_cannot_type_progress(client, tree, item):
    unit = tree["chaoyang_enterprise"]
    Unit.objects.filter(pk=unit.pk).update(membership_status="active")
    worker = _worker_client(client, unit)
    page = client.get(reverse("courses:courseware", args=[item.pk]))
    assert page.status_code == 200 and 'name="percent"' not in page.content.decode()
    file = client.get(reverse("courses:courseware_file", args=[item.pk]))
    assert file.status_code == 200 and b"ftypmp42" in b"".join(file.streaming_content)
    # Issue 8: the old form's typed percent is no longer taken.
    assert client.post(reverse("courses:courseware", args=[item.pk]), {"percent": "100"}).status_code == 405
    assert CoursewareProgress.objects.get(worker=worker, courseware=item).percent == 0


def test_worker_of_a_non_member_unit_is_refused(client, tree, item):
    _worker_client(client, tree["haidian_enterprise"])  # membership_status stays "none"
    assert client.get(reverse("courses:courseware", args=[item.pk])).status_code == 403
    assert client.get(reverse("courses:courseware_file", args=[item.pk])).status_code == 403
    assert client.post(reverse("courses:courseware_progress", args=[item.pk]), {"seconds": "50"}).status_code == 403
    assert not CoursewareProgress.objects.exists()


def test_course_page_lists_courseware_and_says_who_may_open_it(client, tree, item):
    page = client.get(reverse("courses:course", args=[item.course.code])).content.decode()
    assert "焊接安全视频" in page and reverse("courses:courseware", args=[item.pk]) not in page


# Item 5 of issue 6: only the formats courseware needs, recognised by their bytes, served so
# that nothing in them can run in the portal's origin.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _epub() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", "<container/>", compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>fetch('/me/')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def _add(client, course, name, content, kind):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("admin:courses_courseware_add"), {
        "course": course.pk, "kind": kind, "title": "课件", "length": "1", "order": "0",
        "file": SimpleUploadedFile(name, content, content_type="application/octet-stream")})


@pytest.mark.parametrize("name, content, kind", [
    ("book.html", HTML, "ebook"), ("book.svg", SVG, "ebook"), ("video.mp4", HTML, "video"),
    ("book.pdf", b"PK\x03\x04 not an epub", "ebook"), ("empty.pdf", b"", "ebook"),
    ("video.mp4", PDF, "video"), ("book.pdf", MP4, "ebook"),
], ids=["html", "svg", "html-named-mp4", "zip-not-epub", "empty", "pdf-as-video", "mp4-as-ebook"])
def test_courseware_that_is_not_a_video_or_e_book_is_refused(client, tree, municipal, name, content, kind):
    from courses.models import Courseware

    municipal.is_superuser = True
    municipal.save(update_fields=["is_superuser"])
    client.force_login(municipal)
    response = _add(client, course_create(tree["root"]), name, content, kind)
    assert response.status_code == 200 and response.context["adminform"].form.errors["file"]
    assert not Courseware.objects.exists()


@pytest.mark.parametrize("name, content, kind", [
    ("welding.mp4", MP4, "video"), ("welding.webm", WEBM, "video"), ("reader.pdf", PDF, "ebook"),
    ("reader.epub", _epub(), "ebook"),
], ids=["mp4", "webm", "pdf", "epub"])
def test_videos_pdfs_and_epubs_are_accepted(client, tree, municipal, name, content, kind):
    from courses.models import Courseware

    municipal.is_superuser = True
    municipal.save(update_fields=["is_superuser"])
    client.force_login(municipal)
    assert _add(client, course_create(tree["root"]), name, content, kind).status_code == 302
    assert Courseware.objects.get().file.read() == content


def _stored(course, name, content, kind="ebook"):
    from django.core.files.base import ContentFile

    from courses.models import Courseware

    item = Courseware(course=course, kind=kind, title="课件", length=1)
    item.file.save(name, ContentFile(content), save=False)
    item.save()
    return item


@pytest.mark.parametrize("name, content, content_type, disposition, sandbox", [
    # The type comes from the bytes, not from the name the file was stored under.
    ("lesson.html", MP4, "video/mp4", "inline", "sandbox allow-same-origin; default-src 'none'"),
    ("lesson.webm", WEBM, "video/webm", "inline", "sandbox allow-same-origin; default-src 'none'"),
    ("reader.txt", PDF, "application/pdf", "inline", "sandbox; default-src 'none'"),
    ("reader.epub", _epub(), "application/epub+zip", "attachment", "sandbox; default-src 'none'"),
    # Files stored before formats were checked are only ever downloaded.
    ("book.html", HTML, "application/octet-stream", "attachment", "sandbox; default-src 'none'"),
    ("book.svg", SVG, "application/octet-stream", "attachment", "sandbox; default-src 'none'"),
], ids=["mp4-named-html", "webm", "pdf-named-txt", "epub", "stored-html", "stored-svg"])
def test_courseware_files_are_served_with_their_true_type_in_a_sandbox(client, tree, name, content, content_type,
                                                                        disposition, sandbox):
    Unit.objects.filter(pk=tree["chaoyang_enterprise"].pk).update(membership_status="active")
    _worker_client(client, tree["chaoyang_enterprise"])
    item = _stored(course_create(tree["root"]), name, content)
    response = client.get(reverse("courses:courseware_file", args=[item.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith(sandbox)
    assert "allow-scripts" not in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith(disposition)
