"""The innovation app's public pages, included by portal.urls_public under the namespace innovation."""
from django.urls import path  # noqa: F401

app_name = "innovation"

urlpatterns = [
]
