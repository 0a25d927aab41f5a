"""The public site: the portal's frame (log-in, log-out, registering) and every app's public pages,
each app's under its own namespace (courses:menu, talent:…)."""
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from . import views

frame = [
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html", redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="courses:menu"), name="logout"),
    path("register/", views.register, name="register"),
    path("register/confirm/", views.register_confirm, name="register_confirm"),
    # A forgotten password (EDU-8): with a one-time code from the worker's union, or by e-mail
    # through Django's reset views for an account with an address, in the site's look.
    path("password/code/", views.password_reset_code, name="password_reset_code"),
    path("password/reset/", auth_views.PasswordResetView.as_view(
        template_name="portal/password_reset_form.html", success_url=reverse_lazy("portal:password_reset_done"),
        subject_template_name="portal/password_reset_subject.txt",
        email_template_name="portal/password_reset_email.txt"), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="portal/password_reset_done.html"), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="portal/password_reset_confirm.html", success_url=reverse_lazy("portal:password_reset_complete")),
        name="password_reset_confirm"),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(
        template_name="portal/password_reset_complete.html"), name="password_reset_complete"),
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
