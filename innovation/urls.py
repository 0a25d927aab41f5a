"""The innovation app's public pages, included by portal.urls_public under the namespace innovation."""
from django.urls import path  # noqa: F401

from .proposals.urls import urlpatterns as proposal_urls
from .views import achievements as views_achievements

app_name = "innovation"

urlpatterns = [
    path("achievements/", views_achievements.achievement_list, name="achievements"),
    path("achievements/<str:code>/", views_achievements.achievement_page, name="achievement"),
    # INN-2 合理化建议: submit, my proposals, the disclosure board.
    *proposal_urls,
]
