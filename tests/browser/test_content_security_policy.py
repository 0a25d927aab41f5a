"""Item 5 of issue 6 in a real browser: the main pages of both sites run under the
Content-Security-Policy without a single violation, and the behaviours moved out of inline
script (filter on change, confirm before cancelling, upload progress) still work."""
from __future__ import annotations

import pytest

from courses.models import Enrolment
from courses.services import enrolment_create
from membership.models import Unit, User
from tests.factories import WorkerFactory, activity_create, class_create, course_create, courseware_create
from uploads.models import Upload

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile + ":" + event.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation it meets recorded (events and console errors)."""
    page.add_init_script(WATCH)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and "Content Security Policy" in message.text
            and page.console_errors.append(message.text))
    return page


def _violations(page) -> list[str]:
    return page.evaluate("window.__violations") + page.console_errors


def _visit(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert _violations(page) == [], (url, _violations(page))


def _log_in(page, live_server, path, username, password):
    page.goto(live_server.url + path)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form input[type=submit], form button.primary").last.click()


def test_worker_site_runs_under_the_policy(live_server, watched, tree):
    page = watched
    page.set_viewport_size({"width": 1280, "height": 900})  # the cancel column is hidden on phones
    Unit.objects.filter(pk=tree["chaoyang_enterprise"].pk).update(membership_status="active")
    course = course_create(tree["root"], title="焊接技术基础")
    course_class = class_create(course, capacity=20)
    item = courseware_create(course)
    activity_create(tree["chaoyang"], title="公益大讲堂", kind="lecture")
    activity_create(tree["chaoyang"], title="职工运动会", kind="sports")
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    User.objects.create_user("wangxl", password="Gongren-2026!", worker=worker, is_staff=False)
    enrolment = enrolment_create(worker=worker, course_class=course_class, by=None)

    for path in ["/", f"/courses/{course.code}/", "/register/", "/certificates/training/check/?code=X", "/login/"]:
        _visit(page, live_server.url + path)
    page.goto(live_server.url + "/activities/")
    with page.expect_navigation():
        page.select_option("select[name=kind]", "sports")  # applies on change, from site.js
    assert "kind=sports" in page.url and page.locator("#activity-list h2").all_inner_texts() == ["职工运动会"]
    assert _violations(page) == []

    _log_in(page, live_server, "/login/", "wangxl", "Gongren-2026!")
    _visit(page, live_server.url + "/me/")
    _visit(page, live_server.url + f"/courseware/{item.pk}/")
    page.goto(live_server.url + "/me/")
    page.once("dialog", lambda dialog: dialog.dismiss())  # "cancel this enrolment?" answered no
    page.click("#my-enrolments button.secondary")
    page.wait_for_timeout(300)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#my-enrolments button.secondary")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED
    assert _violations(page) == []


def test_admin_runs_under_the_policy(live_server, watched, tree, municipal):
    page = watched
    page.set_viewport_size({"width": 1280, "height": 900})
    municipal.is_superuser = True
    municipal.set_password("pw-123456")
    municipal.save()
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    upload = Upload.objects.create(kind="workers", user=municipal, unit=tree["root"], file_name="花名册.xlsx",
                                   sha256="0" * 64, status=Upload.Status.PREVIEWING)
    _log_in(page, live_server, "/admin/login/", "city", "pw-123456")
    assert _violations(page) == []
    for path in ["/admin/", "/admin/membership/worker/", f"/admin/membership/worker/{worker.pk}/change/",
                 "/admin/uploads/upload/new/", "/admin/uploads/upload/", "/admin/courses/course/add/",
                 "/admin/courses/courseware/add/", "/admin/membership/unit/", "/admin/membership/worker/export/"]:
        _visit(page, live_server.url + path)

    # The export page's "select all" (django-import-export's inline handler, allowed by its hash).
    page.goto(live_server.url + "/admin/membership/worker/export/")
    page.uncheck("input.select-toggle")
    assert page.locator(".selectable-field-export-row input[type=checkbox]:checked").count() == 0
    assert _violations(page) == []

    # The upload page follows a running upload (progress.js) and shows the preview when done.
    page.goto(live_server.url + f"/admin/uploads/upload/{upload.pk}/preview/")
    assert page.locator("#upload-progress").is_visible()
    Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.PREVIEWED, rows=3, new=3)
    page.wait_for_selector("#count-rows", timeout=10000)
    assert page.locator("#count-new").inner_text() == "3"
    assert _violations(page) == []


def test_courseware_video_plays_inline_and_on_its_own_under_the_sandbox(live_server, watched, tree):
    """The file response's sandbox must not stop the player: inline on the courseware page, and
    opened on its own (Chromium's media document fetches the file again from its origin).
    tests/data/courseware.webm is 1.5 s of canvas recorded by Chromium's MediaRecorder."""
    from pathlib import Path

    from django.core.files.base import ContentFile

    from courses.models import Courseware

    page = watched
    Unit.objects.filter(pk=tree["chaoyang_enterprise"].pk).update(membership_status="active")
    item = Courseware(course=course_create(tree["root"]), kind="video", title="焊接安全视频", length=1)
    item.file.save("safety.webm", ContentFile((Path(__file__).parent.parent / "data" / "courseware.webm").read_bytes()),
                   save=False)
    item.save()
    User.objects.create_user("wangxl", password="Gongren-2026!", worker=WorkerFactory(unit=tree["chaoyang_enterprise"]),
                             is_staff=False)
    _log_in(page, live_server, "/login/", "wangxl", "Gongren-2026!")
    page.goto(live_server.url + f"/courseware/{item.pk}/")
    page.wait_for_function("document.querySelector('video.courseware-video').readyState >= 2", timeout=10000)
    assert page.evaluate("document.querySelector('video').videoWidth") == 160
    page.goto(live_server.url + f"/courseware/{item.pk}/file")
    page.wait_for_function("document.querySelector('video') && document.querySelector('video').readyState >= 2",
                           timeout=10000)
    assert _violations(page) == []


def test_courseware_pdf_opens_in_the_browsers_viewer_under_the_sandbox(live_server, watched, tree):
    import io

    from django.core.files.base import ContentFile
    from reportlab.pdfgen import canvas

    from courses.models import Courseware

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 760, "Welding safety")
    pdf.save()
    page = watched
    Unit.objects.filter(pk=tree["chaoyang_enterprise"].pk).update(membership_status="active")
    item = Courseware(course=course_create(tree["root"]), kind="ebook", title="学习读本", length=1)
    item.file.save("reader.pdf", ContentFile(buffer.getvalue()), save=False)
    item.save()
    User.objects.create_user("wangxl", password="Gongren-2026!", worker=WorkerFactory(unit=tree["chaoyang_enterprise"]),
                             is_staff=False)
    _log_in(page, live_server, "/login/", "wangxl", "Gongren-2026!")
    page.goto(live_server.url + f"/courseware/{item.pk}/file")  # served with "sandbox; default-src 'none'"
    # Chromium's PDF viewer is an extension frame inside the document; it is absent when the
    # browser refuses to show the PDF (and offers only a download).
    for _ in range(50):
        if any(frame.url.startswith("chrome-extension://") for frame in page.frames):
            break
        page.wait_for_timeout(200)
    assert any(frame.url.startswith("chrome-extension://") for frame in page.frames), [f.url for f in page.frames]
    assert _violations(page) == []
