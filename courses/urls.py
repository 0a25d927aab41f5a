"""The courses app's public pages, included by portal.urls_public under the namespace courses."""
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.course_menu, name="menu"),
    path("courses/<str:code>/", views.course_page, name="course"),
    path("classes/<int:class_id>/enrol/", views.enrol, name="enrol"),
    path("courseware/<int:courseware_id>/", views.courseware, name="courseware"),
    path("courseware/<int:courseware_id>/progress", views.courseware_progress_report, name="courseware_progress"),
    path("courseware/<int:courseware_id>/file", views.courseware_file, name="courseware_file"),
    path("activities/", views.activities, name="activities"),
    path("activities/<int:activity_id>/register/", views.activity_register, name="activity_register"),
    path("activities/<int:activity_id>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("me/", views.my_learning, name="my_learning"),
    path("me/record.<str:file_format>", views.my_transcript, name="my_transcript"),
    path("me/enrolments/<int:enrolment_id>/cancel/", views.cancel, name="cancel"),
    path("me/children/add/", views.dependant_add, name="dependant_add"),
    path("certificates/training/check/", views.training_certificate_check, name="training_certificate_check"),
    # The check's first address, printed on certificates and transcripts before skill certificates
    # (talent) needed one of their own: it stays, moved permanently, with the code it carries.
    path("certificates/check/", RedirectView.as_view(pattern_name="courses:training_certificate_check",
                                                     permanent=True, query_string=True),
         name="training_certificate_check_old_address"),
]
