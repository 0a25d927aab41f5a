"""Issue 8, "no English": every admin page and every site page, as each demo role, in zh-hans, shows
no run of Latin words outside an allow-list (codes, IDs, units, file formats). Only visible text is
read: tags, scripts, styles and attribute values are stripped first.

And in English, no untranslated Chinese: the same pages in English show Chinese only where it is
data. The rule: every run of Chinese characters on an English page must occur inside a run of
Chinese stored in the database (unit, worker and course names, group names, choices kept as
rows — everything a user or a seed wrote) or in the Chinese that files carry by design (upload
templates' column headings and examples, export files' column headings). A UI string hard-coded in Chinese, or a msgid missing
from the English catalogue that falls back to Chinese, has no such source and is reported. A
run is matched inside one stored run, never across the punctuation or Latin between two, so a
sentence of UI text is not excused by the characters of the data being scattered around."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from courses.models import Course, CourseClass, Courseware, TargetGroup
from innovation.models import Achievement
from membership.models import User, Worker

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
    "expert",  # the demo's achievement evaluator (innovation.seed_achievements)
}
# Codes in capitals (unit codes such as BJKFQ, encodings such as GBK) are data, not prose.
CODE = re.compile(r"[A-Z]{2,8}")
# A run of letters (a word) not touching digits: codes such as C-2026-001 or 110105 are data.
WORD = re.compile(r"(?<![\w.@/-])[A-Za-z][A-Za-z'’]+(?![\w.@/-])")
ROLES = ["admin", "chaoyang", "leader", "reviewer", "worker", "expert"]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Chinese that the English UI shows by design: the language switch names Chinese in Chinese.
ALLOWED_CHINESE = {"中文", "简体中文"}


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


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def untranslated_chinese(html: str, *, data_runs: str) -> list[str]:
    """The runs of Chinese on a page that no stored run contains (``data_runs``: every stored run,
    one per line, so a page's run must fit inside one of them)."""
    return sorted({run for run in HAN.findall(visible_text(html))
                   if run not in ALLOWED_CHINESE and run not in data_runs})


def chinese_data_runs() -> str:
    """Every run of Chinese that the database stores (any text column of any model) or that the
    upload templates carry by design, one per line."""
    from django.apps import apps
    from django.db import connection, models

    from uploads.kinds import all_kinds

    tables = set(connection.introspection.table_names())
    runs: set[str] = set()
    for model in apps.get_models():
        fields = [field.attname for field in model._meta.concrete_fields
                  if isinstance(field, (models.CharField, models.TextField)) and not field.primary_key]
        # Tables only: a proxy repeats its concrete model, and a database view (pghistory's
        # events) may not exist.
        if not fields or model._meta.proxy or model._meta.db_table not in tables:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in row:
                if value:
                    runs.update(HAN.findall(str(value)))
    for kind in all_kinds():
        for column in kind.columns:
            runs.update(HAN.findall(f"{column.header} {column.example}"))
    # Export files' column headings (the export page lists them as the file will carry them).
    for model_admin in admin.site._registry.values():
        for resource_class in getattr(model_admin, "resource_classes", None) or []:
            for field in resource_class().fields.values():
                runs.update(HAN.findall(field.column_name or ""))
    return "\n".join(sorted(runs))


def test_the_english_scan_excuses_data_only():
    html = "<p>Unit <b>朝阳区总工会</b> · 朝阳 · 未翻译的说明</p><script>var a = '说明';</script>"
    data = "\n".join(["朝阳区总工会", "说明文字"])
    # "朝阳" is inside a stored run; the UI sentence is not, although its last two characters are.
    assert untranslated_chinese(html, data_runs=data) == ["未翻译的说明"]


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
    # A class's attendance sheet (issue 8), for a role that sees classes.
    course_class = admin.site._registry[CourseClass].get_queryset(request).order_by("pk").first() \
        if admin.site._registry[CourseClass].has_view_or_change_permission(request) else None
    if course_class is not None:
        urls.append(reverse("admin:courses_courseclass_attendance", args=[course_class.pk]))
    for name in ("uploads_upload_new", "uploads_upload_add"):
        try:
            urls.append(reverse(f"admin:{name}"))
        except NoReverseMatch:
            pass
    # Issue 8's officer pages: the unit tree, and a worker's reset-code page (its confirmation).
    if user.has_perm("membership.view_unit"):
        urls.append(reverse("admin:membership_unit_tree"))
    worker = admin.site._registry[Worker].get_queryset(request).order_by("pk").first()
    if worker is not None and user.has_perm("membership.change_worker"):
        urls.append(reverse("admin:membership_worker_reset_code", args=[worker.pk]))
    return urls


def site_urls() -> list[str]:
    urls = [reverse("courses:menu"), reverse("courses:activities"), reverse("courses:my_learning"),
            reverse("courses:training_certificate_check"), reverse("portal:register"),
            reverse("portal:password_reset_code"), reverse("portal:password_reset"),
            reverse("portal:password_reset_done"), reverse("portal:password_reset_complete")]
    course = Course.objects.order_by("pk").first()
    if course is not None:
        urls.append(reverse("courses:course", args=[course.code]))
    urls.append(reverse("innovation:achievements"))
    achievement = Achievement.objects.filter(is_public=True).order_by("pk").first()
    if achievement is not None:
        urls.append(reverse("innovation:achievement", args=[achievement.code]))
    # A course whose classes take workers' children (issue 8, key groups).
    for_children = Course.objects.published().filter(target_groups__code="needy").order_by("pk").first()
    if for_children is not None:
        urls.append(reverse("courses:course", args=[for_children.code]))
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


def _english_client() -> Client:
    """A visitor who chose English with the language switch (the portal ignores Accept-Language)."""
    from django.conf import settings

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_no_page_shows_untranslated_chinese_in_english():
    call_command("seed_demo", workers=12, verbosity=0)
    data_runs = chinese_data_runs()
    found: dict[str, list[str]] = {}
    anonymous = _english_client()
    for url in [*site_urls(), reverse("portal:login")]:
        response = anonymous.get(url)
        assert response.status_code < 500, f"anonymous {url}: {response.status_code}"
        if response.status_code == 200:
            runs = untranslated_chinese(response.content.decode(), data_runs=data_runs)
            if runs:
                found[f"anonymous {url}"] = runs
    for username in ROLES:
        user = User.objects.get(username=username)
        client = _english_client()
        client.force_login(user)
        pages = site_urls() + (admin_urls(user) if user.is_staff else [])
        for url in pages:
            response = client.get(url)
            assert response.status_code < 500, f"{username} {url}: {response.status_code}"
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            assert response.get("Content-Language", "en") == "en", f"{username} {url} was not rendered in English"
            runs = untranslated_chinese(response.content.decode(), data_runs=data_runs)
            if runs:
                found[f"{username} {url}"] = runs
    assert not found, "\n".join(f"{page}: {' '.join(runs)}" for page, runs in sorted(found.items()))
