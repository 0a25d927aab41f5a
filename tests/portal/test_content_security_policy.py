"""Item 5 of issue 6: a Content-Security-Policy on every page of both sites, and no inline script
anywhere in the project's templates (the policy allows none)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from membership.models import User
from tests.factories import WorkerFactory, course_create, courseware_create

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# A <script> element with anything but white space between its tags.
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(?!\s*</script>)", re.IGNORECASE)
# An event-handler attribute (onclick=, onsubmit=, …) or a javascript: URL.
INLINE_HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=|javascript:""", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""<[^>]*\sstyle\s*=""", re.IGNORECASE)


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def _assert_policy(response):
    directives = _directives(response)
    assert directives["script-src"] == ["'self'"], directives
    assert directives["style-src"] == ["'self'"], directives
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_handler_or_style(template):
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it into a static .js file"
    assert not INLINE_HANDLER.search(text), "inline event handler: bind it from a static .js file"
    assert not STYLE_ATTRIBUTE.search(text), "style attribute: use a class in a static .css file"


def test_the_template_scan_catches_what_it_looks_for():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>') and INLINE_SCRIPT.search("<SCRIPT type=module>\nx()")
    assert not INLINE_SCRIPT.search('<script src="/static/portal/site.js" defer></script>')
    assert INLINE_HANDLER.search('<input type="submit" onclick="this.disabled=true">')
    assert INLINE_HANDLER.search("<form\n  onsubmit='return confirm(1)'>") and INLINE_HANDLER.search('<a href="javascript:x()">')
    assert not INLINE_HANDLER.search('<select data-autosubmit name="kind">')


def test_every_worker_site_page_has_the_policy(client, tree):
    course = course_create(tree["root"])
    item = courseware_create(course)
    anonymous = [reverse("courses:menu"), reverse("courses:course", args=[course.code]), reverse("courses:activities"),
                 reverse("portal:login"), reverse("portal:register"), reverse("courses:training_certificate_check"),
                 "/no-such-page/"]
    for url in anonymous:
        _assert_policy(client.get(url))
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    tree["chaoyang_enterprise"].__class__.objects.filter(pk=tree["chaoyang_enterprise"].pk).update(membership_status="active")
    client.force_login(User.objects.create_user("w1", password="pw-123456", worker=worker, is_staff=False))
    for url in [reverse("courses:my_learning"), reverse("courses:courseware", args=[item.pk])]:
        response = client.get(url)
        assert response.status_code == 200
        _assert_policy(response)


def test_every_admin_page_has_the_policy(client, tree, municipal):
    municipal.is_superuser = True
    municipal.save(update_fields=["is_superuser"])
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    _assert_policy(client.get(reverse("admin:login")))
    client.force_login(municipal)
    for url in [reverse("admin:index"), reverse("admin:membership_worker_changelist"),
                reverse("admin:membership_worker_change", args=[worker.pk]), reverse("admin:uploads_upload_new"),
                reverse("admin:jsi18n")]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_policy(response)
