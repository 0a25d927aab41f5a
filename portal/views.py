"""The frame of the public site: health check, registering a worker's account. Log-in and log-out
are Django's views (portal/urls_public.py); each app's pages are in its own views.py."""
from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _

from .client_address import client_address
from .forms import PasswordResetCodeForm, RegistrationConfirmForm, RegistrationForm
from .services import (
    InvalidClaimCode,
    RegistrationThrottled,
    registration_throttle,
    worker_claim_complete,
    worker_claim_start,
)


def healthz(request):
    """For the load balancer: the process answers and its database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


CLAIM_SESSION_KEY = "worker_claim"


def register(request):
    """EDU-8 step 1. Every valid request gets the same answer, matched or not."""
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration_throttle(address=client_address(request) or "")
        except RegistrationThrottled:
            return _registration_throttled(request, "portal/register.html", {"form": form})
        data = form.cleaned_data
        request.session[CLAIM_SESSION_KEY] = worker_claim_start(name=data["name"], id_number=data["id_number"],
                                                                phone=data["phone"])
        messages.info(request, _("If the details match our records, a code has been sent to the mobile number. "
                                 "It is valid for 10 minutes."))
        return redirect("portal:register_confirm")
    return render(request, "portal/register.html", {"form": form})


def register_confirm(request):
    """EDU-8 step 2: the code and a password make the account; the log-in name is chosen for the worker."""
    token = request.session.get(CLAIM_SESSION_KEY)
    if not token:
        return redirect("portal:register")
    form = RegistrationConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration_throttle(address=client_address(request) or "")
        except RegistrationThrottled:
            return _registration_throttled(request, "portal/register_confirm.html", {"form": form})
        try:
            user = worker_claim_complete(token=token, code=form.cleaned_data["code"],
                                         password=form.cleaned_data["password1"])
        except InvalidClaimCode as error:
            form.add_error("code", error)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            request.session.pop(CLAIM_SESSION_KEY, None)
            login(request, user, backend="membership.backends.ModelBackend")
            messages.success(request, _("Your account is ready. Your log-in name is %(username)s: write it down, "
                                        "you need it with your password.") % {"username": user.username})
            return redirect("courses:my_learning")
    return render(request, "portal/register_confirm.html", {"form": form})


def password_reset_code(request):
    """EDU-8: a worker sets a new password with the one-time code their union issued
    (membership.password_reset). Attempts count against the same per-address limit as registering."""
    from membership.password_reset import InvalidResetCode, password_reset_code_redeem

    form = PasswordResetCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration_throttle(address=client_address(request) or "")
        except RegistrationThrottled:
            return _registration_throttled(request, "portal/password_reset_code.html", {"form": form})
        data = form.cleaned_data
        try:
            password_reset_code_redeem(username=data["username"], code=data["code"], password=data["password1"])
        except InvalidResetCode as error:
            form.add_error("code", error)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            messages.success(request, _("Your new password is set. Log in with it."))
            return redirect("portal:login")
    return render(request, "portal/password_reset_code.html", {"form": form})


def _registration_throttled(request, template, context):
    messages.error(request, _("Too many attempts from your address; try again in 15 minutes."))
    return render(request, template, context, status=429)


# Error pages: the site's look for the site, the admin's for /admin/, each with a way back.
def _is_admin_path(request) -> bool:
    return request.path.startswith(reverse("admin:index"))


def _error_page(request, *, status: int, title: str, text: str):
    context = {"error_title": title, "error_text": text}
    if _is_admin_path(request):
        context.update(admin.site.each_context(request))
        return render(request, f"admin/{status}.html", context, status=status)
    return render(request, f"{status}.html", context, status=status)


def permission_denied(request, exception=None):
    return _error_page(request, status=403, title=_("Access denied"),
                       text=_("Your account may not open this page. If you think it should, ask your union."))


def page_not_found(request, exception=None):
    return _error_page(request, status=404, title=_("Page not found"),
                       text=_("The page you asked for does not exist or has moved."))


def server_error(request):
    """Static-safe: no context processors, no database, since the error may be theirs."""
    template = "admin/500.html" if request.path.startswith("/admin/") else "500.html"
    return HttpResponseServerError(loader.get_template(template).render())
