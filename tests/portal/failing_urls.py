"""A root URLconf with one view that fails, to reach handler500 through the real request path."""
from django.urls import path

from portal.urls import handler403, handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_patterns


def boom(request):
    raise RuntimeError("a failing view")


urlpatterns = [path("boom/", boom), *portal_patterns]
