"""Issue 7 item 3: each app serves its own public pages, and they stay thin. A new app's views.py
is checked here as soon as it exists; its urls.py must be included by portal.urls_public."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLResolver, get_resolver

from portal import urls_public

PROJECT_APPS = [config for config in apps.get_app_configs() if Path(config.path).parent == Path(settings.BASE_DIR)]
VIEW_FILES = sorted(path for config in PROJECT_APPS for path in
                    [Path(config.path) / "views.py", *(Path(config.path) / "views").glob("*.py")] if path.exists())
# A query in a view: Model.objects…, or a manager reached through a row (course.courseware.all()).
ORM_IN_VIEW = re.compile(r"\.objects\b|\.(all|filter|exclude|values_list|aggregate|annotate)\(")
WORKER_OF_USER = re.compile(r"""request\.user\.worker\b|getattr\(\s*request\.user\s*,\s*["']worker["']""")


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_views_call_selectors_and_services_not_the_orm(path):
    found = [line.strip() for line in path.read_text().splitlines() if ORM_IN_VIEW.search(line)]
    assert not found, f"move these reads into the app's selectors.py: {found}"


def test_the_worker_behind_a_request_is_asked_in_one_place():
    sources = [path for config in PROJECT_APPS for path in Path(config.path).rglob("*.py")]
    found = [str(path.relative_to(settings.BASE_DIR)) for path in sources if WORKER_OF_USER.search(path.read_text())]
    assert found == [], "call membership.selectors.current_worker(request), the one place that asks"


def test_the_scans_catch_what_they_look_for():
    assert ORM_IN_VIEW.search("Enrolment.objects.filter(worker=worker)")
    assert ORM_IN_VIEW.search('"courseware": list(course.courseware.all()),')
    assert not ORM_IN_VIEW.search("selectors.course_courseware(course=course)")
    assert not ORM_IN_VIEW.search("params = MenuFilterForm(request.GET).values()")
    assert WORKER_OF_USER.search('worker = getattr(request.user, "worker", None)')
    assert WORKER_OF_USER.search("if request.user.worker is None:")


def test_every_apps_public_urls_are_included_under_the_apps_namespace():
    included = {entry.namespace: entry.urlconf_name for entry in get_resolver(urls_public).url_patterns
                if isinstance(entry, URLResolver)}
    for config in PROJECT_APPS:
        # The api app serves /api/ for systems (included by portal/urls.py, below), not public pages.
        if config.name not in ("portal", "api") and (Path(config.path) / "urls.py").exists():
            assert included.get(config.label) is not None, f"include('{config.name}.urls') in portal/urls_public.py"
            assert getattr(included[config.label], "__name__", included[config.label]) == f"{config.name}.urls"
    assert "portal" in included  # the frame: log-in, log-out, registering
    from portal import urls as project_urls

    assert "api.urls" in [getattr(entry.urlconf_name, "__name__", None)
                          for entry in project_urls.urlpatterns if isinstance(entry, URLResolver)]
