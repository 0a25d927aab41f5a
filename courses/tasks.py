from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import CourseReview


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def review_assigned_notify_task(review_id: int) -> None:
    """EDU-5: a reviewer is told when a course is assigned to them."""
    review = CourseReview.objects.select_related("course", "reviewer").get(pk=review_id)
    if not review.reviewer.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.PORTAL_BASE_URL + reverse("admin:courses_coursereview_score", args=[review.pk])
        send_mail(
            _("A course is waiting for your review: %(title)s") % {"title": review.course.title},
            _("The course %(title)s (%(code)s) of %(unit)s has been assigned to you. Score it here: %(link)s")
            % {"title": review.course.title, "code": review.course.code, "unit": review.course.unit.name, "link": link},
            None, [review.reviewer.email],
        )
