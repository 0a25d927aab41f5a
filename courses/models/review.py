"""EDU-5: the course review committee — criteria, reviews and scores."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from membership.scoping import Assigned, Owner, Scope

from .catalogue import Course


class ReviewCriterion(models.Model):
    """EDU-5: the course review committee's scoring criteria (岗位自主培训课程评审委员会)."""

    name = models.CharField(_("criterion"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")

    def __str__(self) -> str:
        return f"{self.name}（{self.max_score}）"


class CourseReview(models.Model):
    """One committee member's review of one submitted course."""

    # EDU-5: the course's unit, and the committee member the review is assigned to, wherever the
    # course comes from (the member writes the review).
    SCOPE = Scope(owners=(Owner("course__unit"),), assigned=(Assigned("reviewer", change=True),))

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("course"))
    # Empty for the review of the course as first submitted; else the revision under review.
    revision = models.ForeignKey("CourseRevision", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="reviews", verbose_name=_("revision"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="course_reviews",
                                 verbose_name=_("reviewer"))
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=1, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = _("course review")
        verbose_name_plural = _("course reviews")
        constraints = [
            models.UniqueConstraint(fields=["course", "reviewer"], condition=models.Q(revision__isnull=True),
                                    name="one_review_per_reviewer_and_course"),
            models.UniqueConstraint(fields=["revision", "reviewer"], condition=models.Q(revision__isnull=False),
                                    name="one_review_per_reviewer_and_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.reviewer}"


class CourseRevision(models.Model):
    """EDU-5: a change to an approved course's hours, credits, modules or content, back with the
    review committee. The approved version stays in the menu, unchanged, until the committee
    approves the revision; then its values replace the course's. Every revision keeps the values
    it proposed and those it replaced, so the course's history reads from these rows."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("With the review committee")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Returned")

    SCOPE_FIELD = "course__unit"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("course"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    credits = models.DecimalField(_("credits"), max_digits=5, decimal_places=1)
    description = models.TextField(_("description"), blank=True)
    # [{"order": 1, "title": "…", "hours": "4.0"}, …]: the modules as proposed and as replaced.
    modules = models.JSONField(_("modules"), default=list, blank=True)
    previous_hours = models.DecimalField(_("hours before"), max_digits=6, decimal_places=1)
    previous_credits = models.DecimalField(_("credits before"), max_digits=5, decimal_places=1)
    previous_description = models.TextField(_("description before"), blank=True)
    previous_modules = models.JSONField(_("modules before"), default=list, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("proposed by"))
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for returning"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("course revision")
        verbose_name_plural = _("course revisions")
        constraints = [
            # One revision at a time is with the committee: a second edit waits for its decision.
            models.UniqueConstraint(fields=["course"], condition=models.Q(status="submitted"),
                                    name="one_revision_under_review_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.get_status_display()} · {self.created_at:%Y-%m-%d}"


class ReviewScore(models.Model):
    SCOPE = Scope(owners=(Owner("review__course__unit"),), assigned=(Assigned("review__reviewer", change=True),))

    review = models.ForeignKey(CourseReview, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review"))
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")]
