"""Issue 8, "no English": every admin page and every site page, as each demo role, in zh-hans, shows
no run of Latin words outside an allow-list (codes, IDs, units, file formats). Only visible text is
read: tags, scripts, styles and attribute values are stripped first."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from courses.models import Course, Courseware, TargetGroup
from membership.models import User

ALLOWED_WORDS = {
    # File formats, standards and units of measure a Chinese page names in Latin letters.
    "xlsx", "xls", "csv", "tsv", "html", "pdf", "sha", "epub", "mp4", "webm", "id", "ip", "url", "json", "gb", "mb", "kb",
    # The language switch offers English in English, by design.
    "english",
    # The demo's password, shown on pages that explain the demo.
    "beijing",
    # Keys named on the keyboard (Django's "按住 Control 键或 Mac 上的 Command 键").
    "control", "command", "mac",
    # A request header's name, shown as it travels (axes' log of a log-in).
    "http", "accept",
    # django-axes stores "<unknown>" for a missing header, and titles an access log with a
    # hard-coded English "Access Log for <user> @ <time>" (axes.models.AccessLog.__str__).
    "unknown", "access", "log", "for",
    # The demo's log-in names, which are data (history lists filter by who made a change).
    "admin", "chaoyang", "haidian", "leader", "reviewer", "worker",
}
# Codes in capitals (unit codes such as BJKFQ, encodings such as GBK) are data, not prose.
CODE = re.compile(r"[A-Z]{2,8}")
# A run of letters (a word) not touching digits: codes such as C-2026-001 or 110105 are data.
WORD = re.compile(r"(?<![\w.@/-])[A-Za-z][A-Za-z'’]+(?![\w.@/-])")
ROLES = ["admin", "chaoyang", "leader", "reviewer", "worker"]


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        # <bdi> isolates data in Django's read-only password summary (random salt and hash letters).
        if tag in ("script", "style", "template", "textarea", "bdi"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "textarea", "bdi") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def english_words(html: str, *, also_allowed: set[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    return sorted({word for word in WORD.findall(text) if not CODE.fullmatch(word)
                   and word.lower() not in ALLOWED_WORDS and word.lower() not in also_allowed})


def test_the_scan_reads_visible_text_only():
    html = ('<p title="Choose all">选择 <b>Choose all</b> xlsx C-2026-001 GBK</p><script>var Foo = 1;</script>'
            '<style>.a{color:red}</style><input value="Search">')
    assert english_words(html, also_allowed=set()) == ["Choose", "all"]


def admin_urls(user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not model_admin.has_view_or_change_permission(request):
            continue
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        # django-import-export's export page ("Select all", the resource's field names).
        if hasattr(model_admin, "has_export_permission") and model_admin.has_export_permission(request):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_export"))
        row = model_admin.get_queryset(request).order_by("pk").first()
        if row is not None:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
    for name in ("uploads_upload_new", "uploads_upload_add"):
        try:
            urls.append(reverse(f"admin:{name}"))
        except NoReverseMatch:
            pass
    return urls


def site_urls() -> list[str]:
    urls = [reverse("courses:menu"), reverse("courses:activities"), reverse("courses:my_learning"),
            reverse("courses:training_certificate_check"), reverse("portal:register")]
    course = Course.objects.order_by("pk").first()
    if course is not None:
        urls.append(reverse("courses:course", args=[course.code]))
    courseware = Courseware.objects.order_by("pk").first()
    if courseware is not None:
        urls.append(reverse("courses:courseware", args=[courseware.pk]))
    urls += talent_network_urls()
    return urls


def talent_network_urls() -> list[str]:
    """技术英才网 (TAL-7): the home, each list and the first public record's page of each kind."""
    from django.utils import timezone

    from talent.selectors import bases, chief, events, studios

    today = timezone.localdate()
    urls = [reverse(f"talent:{name}") for name in ("home", "studios", "chief_employees", "bases", "associations", "events")]
    for rows, name in ((studios.public_studios(day=today), "studio"), (chief.public_chief_employees(day=today), "chief_employee"),
                       (bases.public_bases(day=today), "base"), (bases.public_associations(), "association"),
                       (events.public_events(today=today), "event")):
        row = rows.first()
        if row is not None:
            urls.append(reverse(f"talent:{name}", args=[row.pk]))
    return urls


@pytest.mark.django_db
def test_no_page_shows_english_to_any_demo_role():
    call_command("seed_demo", workers=12, verbosity=0)
    # Target groups' codes (frontline, migrant…) are identifiers that uploads use, shown as codes.
    codes = {word.lower() for code in TargetGroup.objects.values_list("code", flat=True) for word in WORD.findall(code)}
    found: dict[str, list[str]] = {}
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    for url in [*site_urls(), reverse("portal:login")]:
        response = anonymous.get(url)
        if response.status_code == 200:
            words = english_words(response.content.decode(), also_allowed=set())
            if words:
                found[f"anonymous {url}"] = words
    for username in ROLES:
        user = User.objects.get(username=username)
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(user)
        pages = site_urls() + (admin_urls(user) if user.is_staff else [])
        for url in pages:
            response = client.get(url)
            assert response.status_code < 500, f"{username} {url}: {response.status_code}"
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            words = english_words(response.content.decode(), also_allowed=codes)
            if words:
                found[f"{username} {url}"] = words
    assert not found, "\n".join(f"{page}: {' '.join(words)}" for page, words in sorted(found.items()))
