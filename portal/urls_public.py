from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.course_menu, name="menu"),
    path("courses/<str:code>/", views.course_page, name="course"),
    path("classes/<int:class_id>/enrol/", views.enrol, name="enrol"),
    path("courseware/<int:courseware_id>/", views.courseware, name="courseware"),
    path("courseware/<int:courseware_id>/file", views.courseware_file, name="courseware_file"),
    path("activities/", views.activities, name="activities"),
    path("activities/<int:activity_id>/register/", views.activity_register, name="activity_register"),
    path("me/", views.my_learning, name="my_learning"),
    path("me/record.<str:file_format>", views.my_transcript, name="my_transcript"),
    path("me/enrolments/<int:enrolment_id>/cancel/", views.cancel, name="cancel"),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html", redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:menu"), name="logout"),
    path("register/", views.register, name="register"),
    path("register/confirm/", views.register_confirm, name="register_confirm"),
    path("certificates/check/", views.certificate_check, name="certificate_check"),
]
