"""The gate in front of the public site's worker-only pages, for every app's views."""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse

from .selectors import current_worker

# The public site's own log-in page (the project's LOGIN_URL is the admin's).
PUBLIC_LOGIN_URL = "portal:login"


def worker_required(view):
    """A page for a worker's own account (EDU-8). An anonymous visitor is sent to log in; a staff
    account is sent on to the administration (the public log-in lands on 我的学习 for everyone);
    any other account gets a 403 page saying what the page is for. The view is called with the
    worker as the keyword argument `worker`."""

    @wraps(view)
    def gate(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse(PUBLIC_LOGIN_URL))
        worker = current_worker(request)
        if worker is None:
            if request.user.is_staff:
                return redirect("admin:index")
            return render(request, "membership/not_a_worker.html", status=403)
        return view(request, *args, worker=worker, **kwargs)

    return gate
