"""The talent app's public pages, included by portal.urls_public under the namespace talent."""
from django.urls import path

from .views import competitions, network

app_name = "talent"

urlpatterns = [
    # TAL-7 技术英才网: the home and its sections (studios, chief employees, bases, 职工技协, events).
    path("", network.home, name="home"),
    path("studios/", network.studios, name="studios"),
    path("studios/<int:studio_id>/", network.studio, name="studio"),
    path("chief-employees/", network.chief_employees, name="chief_employees"),
    path("chief-employees/<int:designation_id>/", network.chief_employee, name="chief_employee"),
    path("bases/", network.bases, name="bases"),
    path("bases/<int:base_id>/", network.base, name="base"),
    path("associations/", network.associations, name="associations"),
    path("associations/<int:association_id>/", network.association, name="association"),
    path("events/", network.events, name="events"),
    path("events/<int:event_id>/", network.event, name="event"),
    path("events/<int:event_id>/register/", network.event_register, name="event_register"),
    path("events/<int:event_id>/cancel/", network.event_cancel, name="event_cancel"),
    # TAL-6, TAL-7: skills competitions and their results.
    path("competitions/", competitions.competitions, name="competitions"),
    path("competitions/<int:competition_id>/", competitions.competition, name="competition"),
]
