"""EDU-4: online courseware for member units and each worker's progress."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from membership.scoping import Owner, Scope

from .catalogue import Course


class Courseware(models.Model):
    """EDU-4 首都职工素质教育工程网: video and e-book resources of a course, for workers of member
    units only (MEM-5). Files are served through a view that checks membership, never as media."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        EBOOK = "ebook", _("E-book")

    SCOPE_FIELD = "course__unit"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="courseware", verbose_name=_("course"))
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="courseware/%Y/")
    length = models.PositiveIntegerField(_("minutes or pages"), default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["course", "order", "id"]
        verbose_name = _("courseware")
        verbose_name_plural = _("courseware")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from ..courseware import courseware_file_check

        if self.file and self.kind:
            courseware_file_check(field_file=self.file, kind=self.kind)


class CoursewareProgress(models.Model):
    """EDU-4: how far a worker got in one item, as the player reported it (courses.player): the
    seconds of a video played, the pages of an e-book opened. Never typed by the worker."""

    SCOPE = Scope(owners=(Owner("unit"), Owner("worker__unit", change=False)))

    worker = models.ForeignKey("membership.Worker", on_delete=models.CASCADE, related_name="courseware_progress",
                               verbose_name=_("worker"))
    # The worker's unit when the fact happened: it keeps seeing and changing the fact after the
    # worker moves on (MEM-2). Indicators do not use it: they count by the unit at a year's end.
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit at the time"))
    courseware = models.ForeignKey(Courseware, on_delete=models.CASCADE, related_name="progress", verbose_name=_("courseware"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    seconds_watched = models.PositiveIntegerField(_("seconds watched"), default=0)
    # A JSON list of page numbers, not an ArrayField: the embedded demo runs on SQLite.
    pages_opened = models.JSONField(_("pages opened"), default=list, blank=True)
    # The clock of the rate rule: when the player last opened the item or had a report accepted.
    reported_at = models.DateTimeField(_("last report"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("courseware progress")
        verbose_name_plural = _("courseware progress")
        constraints = [
            models.UniqueConstraint(fields=["worker", "courseware"], name="one_progress_per_worker_and_courseware"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_at_most_100"),
        ]


class CoursewareCompletion(models.Model):
    """EDU-4/EDU-8: a worker finished every courseware item of a course — one line of the
    lifelong learning record, and the source of the courseware credits (EDU-9), once."""

    SCOPE = Scope(owners=(Owner("unit"), Owner("worker__unit", change=False)))

    worker = models.ForeignKey("membership.Worker", on_delete=models.PROTECT, related_name="courseware_completions",
                               verbose_name=_("worker"), db_index=False)
    # The worker's unit when the fact happened (MEM-2).
    unit = models.ForeignKey("membership.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit at the time"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="courseware_completions",
                               verbose_name=_("course"))
    completed_on = models.DateField(_("completed on"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = _("courseware completion")
        verbose_name_plural = _("courseware completions")
        constraints = [models.UniqueConstraint(fields=["worker", "course"], name="one_courseware_completion_per_course")]
        # A worker's courseware completions of a year, from the index alone: the indicators' drill-down asks it of
        # each worker of a district (IND-TRAINED-SHARE, ~208,000 probes at city scale). It stands in
        # for the worker column's own index, so writes keep the same number of indexes.
        indexes = [models.Index(fields=["worker", "completed_on"], name="courseware_worker_day")]

    def __str__(self) -> str:
        return f"{self.worker.name} · {self.course.title}"
