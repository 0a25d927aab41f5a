from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from .exceptions import not_found
from .registry import router
from .views import DocsView, bulk_urls

urlpatterns = [
    *bulk_urls(),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: whatever else is asked for under /api/ (ending in a slash, so that a known address
    # asked for without its slash is still redirected to it by APPEND_SLASH).
    re_path(r"^(.*/)?$", not_found),
]
