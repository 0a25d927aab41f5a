"""The talent app's public pages, included by portal.urls_public under the namespace talent."""
from django.urls import path  # noqa: F401

app_name = "talent"

urlpatterns = [
]
