"""Error pages (issue 8, "no dead ends"): the site's and the admin's 403, 404 and 500 pages wear
their own look, speak Chinese and always offer a way back. pytest-django runs with DEBUG off."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from portal import urls as root_urls
from portal import views


def test_a_missing_site_page_wears_the_site_look_with_a_way_back(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 404
    assert "portal/site.css" in html and "admin/css/base.css" not in html
    assert f'href="{reverse("courses:menu")}"' in html
    assert "首都职工素质" in html or "lang=\"zh-hans\"" in html
    assert "Not Found" not in html


def test_a_missing_admin_page_wears_the_admin_look_with_a_way_back(client, municipal):
    client.force_login(municipal)
    response = client.get("/admin/no-such-app/nothing/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 404
    assert "admin/css/base.css" in html and "portal/site.css" not in html
    assert f'href="{reverse("admin:index")}"' in html


def test_a_refused_admin_page_is_a_branded_403(client, chaoyang_officer):
    client.force_login(chaoyang_officer)
    response = client.get(reverse("admin:auth_group_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 403
    assert "admin/css/base.css" in html
    assert f'href="{reverse("admin:index")}"' in html
    assert "403 Forbidden" not in html


def test_a_refused_site_page_is_a_branded_403(db):
    request = RequestFactory().get("/my-learning/")
    from django.contrib.auth.models import AnonymousUser
    request.user = AnonymousUser()
    response = views.permission_denied(request, PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403
    assert "portal/site.css" in html
    assert f'href="{reverse("courses:menu")}"' in html and f'href="{reverse("portal:login")}"' in html


def test_the_handlers_are_installed():
    assert root_urls.handler403 == "portal.views.permission_denied"
    assert root_urls.handler404 == "portal.views.page_not_found"
    assert root_urls.handler500 == "portal.views.server_error"


def test_a_server_error_renders_without_a_request_context_in_either_look():
    site = views.server_error(RequestFactory().get("/courses/1/"))
    admin = views.server_error(RequestFactory().get("/admin/membership/worker/"))
    assert site.status_code == admin.status_code == 500
    assert "portal/site.css" in site.content.decode() and 'href="/"' in site.content.decode()
    assert "admin/css/base.css" in admin.content.decode() and 'href="/admin/"' in admin.content.decode()


def test_a_server_error_in_a_view_reaches_the_branded_page(settings, db):
    settings.ROOT_URLCONF = "tests.portal.failing_urls"
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "portal/site.css" in response.content.decode()


def test_the_lock_out_page_uses_the_site_look_and_links_to_the_log_in(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    request = rf.get(reverse("portal:login"))
    request.user = AnonymousUser()
    html = render_to_string("portal/locked_out.html", request=request)
    assert "portal/site.css" in html and "admin/css/base.css" not in html
    assert f'href="{reverse("portal:login")}"' in html
