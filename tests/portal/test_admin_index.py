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
