"""The dashboards (REP-2), under /reporting/ with the namespace reporting; staff only."""
from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("<str:code>/<int:unit_id>/<int:year>/", views.indicator_detail, name="indicator"),
    path("<str:code>/<int:unit_id>/<int:year>/records/", views.indicator_records, name="records"),
    path("funds/<int:pk>/disclosure.<str:file_format>", views.funds_disclosure, name="funds_disclosure"),
]
