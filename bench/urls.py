from django.contrib import admin
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


def admin_bare(request):
    """The admin's frame with nothing in it (log-in check, session, middleware, base template): what
    bench/admin_lists.py compares each list against."""
    return TemplateResponse(request, "admin/base_site.html", {**admin.site.each_context(request), "title": "bench"})


urlpatterns = [path("bench/bare", bare), path("bench/admin-bare/", admin.site.admin_view(admin_bare)),
               path("", include("portal.urls"))]
