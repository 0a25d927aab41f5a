"""The public site: the portal's frame (log-in, log-out, registering) and every app's public pages,
each app's under its own namespace (courses:menu, talent:…)."""
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

frame = [
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html", redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="courses:menu"), name="logout"),
    path("register/", views.register, name="register"),
    path("register/confirm/", views.register_confirm, name="register_confirm"),
]

urlpatterns = [
    path("", include((frame, "portal"))),
    # The quality-education system (EDU-1…9): the course menu at the site's root, 我的学习.
    path("", include("courses.urls")),
    # The skilled-talent system's public pages, 技术英才网 (TAL-7).
    path("talent/", include("talent.urls")),
    # The innovation system's public pages: proposals, the disclosure board (INN-2, INN-5).
    path("innovation/", include("innovation.urls")),
    # The indicators' dashboards (REP-2), for staff.
    path("reporting/", include("reporting.urls")),
]
