from django.urls import path

from ..views import proposals as views

urlpatterns = [
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/mine/", views.my_proposals, name="my_proposals"),
    path("proposals/coworkers/", views.coworker_search, name="coworker_search"),
    path("proposals/board/", views.board, name="proposal_board"),
]
