"""The admin index lists the programme's sections first; django-axes follows them as 登录安全."""
from __future__ import annotations

from django.urls import reverse

from portal.admin_site import PortalAdminSite


def test_the_admin_site_is_the_portals():
    from django.contrib import admin
    assert isinstance(admin.site, PortalAdminSite)


def test_log_in_security_comes_after_the_programmes_sections(client, municipal):
    municipal.is_superuser = True
    municipal.save(update_fields=["is_superuser"])
    client.force_login(municipal)
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    labels = [app["app_label"] for app in response.context["app_list"]]
    assert "axes" in labels and "membership" in labels and "courses" in labels
    assert labels[-1] == "axes"
    assert labels.index("auth") > max(labels.index(label) for label in ("membership", "courses", "uploads"))
    axes = response.context["app_list"][-1]
    assert str(axes["name"]) != "Axes"
    assert "Axes" not in response.content.decode()


def _sidebar_models(client) -> set[str]:
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return {model["object_name"] for app in response.context["available_apps"] for model in app["models"]}


def test_the_sidebar_is_kept_per_viewer_and_follows_a_change_of_permissions(client, chaoyang_officer, rf):
    """Issue 13: the sidebar's app list is built once per viewer, permissions and language, and
    shows a newly granted permission on the next page."""
    from django.contrib import admin
    from django.contrib.auth.models import Permission

    client.force_login(chaoyang_officer)
    before = _sidebar_models(client)
    assert "CreditPilot" not in before
    request = rf.get("/admin/")
    request.user = chaoyang_officer
    built = admin.site._app_list(request, None)
    kept = admin.site.get_app_list(request)
    assert kept == built
    kept[0]["models"].clear()  # a caller's edit leaves the kept list whole
    assert admin.site.get_app_list(request) == built
    chaoyang_officer.user_permissions.add(Permission.objects.get(codename="view_creditpilot"))
    assert "CreditPilot" in _sidebar_models(client)
    chaoyang_officer.user_permissions.clear()
    assert _sidebar_models(client) == before
