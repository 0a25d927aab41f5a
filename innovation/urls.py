"""The innovation app's public pages, included by portal.urls_public under the namespace innovation."""
from django.urls import path  # noqa: F401

from .proposals.urls import urlpatterns as proposal_urls

app_name = "innovation"

urlpatterns = [
    # INN-2 合理化建议: submit, my proposals, the disclosure board.
    *proposal_urls,
]
