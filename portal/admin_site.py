"""The admin site: the programme's sections first, then the framework's (accounts, log-in security).
Django sorts every app by its name, which put django-axes ("Axes", in English) at the top of a
Chinese index; it is named 登录安全 in portal.apps and placed here after the programme's sections."""
from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property

# App labels that are not the programme's own, in the order they follow it.
FRAMEWORK_APPS = ["django_celery_beat", "auth", "axes"]


class PortalAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        """REP-3: leadership lands on the indicators dashboard after logging in (unless the log-in
        page was asked for another page)."""
        from membership.scoping import LEADERSHIP_GROUP  # the admin site loads before the apps

        response = super().login(request, extra_context)
        asked = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME)
        if (request.method == "POST" and response.status_code == 302 and request.user.is_authenticated
                and asked in (None, "", reverse("admin:index"))
                and request.user.groups.filter(name=LEADERSHIP_GROUP).exists()):
            return HttpResponseRedirect(reverse("reporting:dashboard"))
        return response

    def frame_context(self, request) -> dict:
        """each_context without the app list, for pages that bring their sidebar's HTML along (the
        dashboards keep it in the cache: the list checks permissions and reverses an address for
        every registered model, and was most of the leadership page's time)."""
        request._app_list_not_needed = True
        try:
            return self.each_context(request)
        finally:
            del request._app_list_not_needed

    def get_app_list(self, request, app_label=None):
        if app_label is None and getattr(request, "_app_list_not_needed", False):
            return []
        if app_label is not None:
            return self._app_list(request, app_label)
        # Every admin page's sidebar (issue 13): 88 models' permissions asked and 170 addresses
        # reversed, ~40 ms of each list page on the loaded bench machine. It depends only on who
        # asks — the account, its permissions and subtree — and the language, as the dashboards'
        # sidebar (reporting.views._render); a change of any of these is a new key.
        from membership import scoping  # the admin site loads before the apps
        from portal import frame

        key = frame.sidebar_viewer(request.user, scoping.user_root_path(request.user))
        app_list = self._app_lists.get(key)
        if app_list is None:
            app_list = self._app_list(request, None)
            if len(self._app_lists) >= APP_LISTS_KEPT:
                self._app_lists.pop(next(iter(self._app_lists)))
            self._app_lists[key] = app_list
        # Copies of the dicts and lists: a caller that sorts or edits its list leaves the kept one.
        return [{**app, "models": [dict(model) for model in app["models"]]} for app in app_list]

    @cached_property
    def _app_lists(self) -> dict:
        return {}

    def _app_list(self, request, app_label):
        app_list = super().get_app_list(request, app_label)
        framework_rank = {label: rank for rank, label in enumerate(FRAMEWORK_APPS)}
        # sorted() is stable: the programme's sections keep Django's order among themselves.
        return sorted(app_list, key=lambda app: framework_rank.get(app["app_label"], -1))


# The viewers whose sidebar a process keeps (the oldest goes first).
APP_LISTS_KEPT = 256


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"

