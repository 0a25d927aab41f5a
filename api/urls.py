from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from .registry import router
from .views import DocsView, bulk_urls

urlpatterns = [
    *bulk_urls(),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
]
