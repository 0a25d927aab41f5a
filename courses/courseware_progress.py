"""EDU-4: courseware progress as the player records it, never as the worker types it.

The courseware page's script (static courses/player.js) reports what the browser saw: for a
video, the seconds played forward since its last report (HTML5 ``timeupdate``; a seek is not
playback); for an e-book (PDF), each page the worker opens. The server decides what counts:

* A video report adds at most ``elapsed × MAX_PLAYBACK_RATE + GRACE_SECONDS`` seconds and never more
  than ``MAX_SECONDS_PER_REPORT``, where ``elapsed`` is the time since the item was opened or the
  last accepted report. Playing at the player's fastest speed (2×) is counted in full; a report of
  "the whole video" a moment after opening it gains a few seconds, and an idle tab gains nothing
  more than one report's worth. A video is done at COMPLETE_SHARE (90 %) of its length in minutes:
  credits rolling at the end and a length rounded up to the minute do not stop completion.
* An e-book page opened for the first time counts when at least MIN_SECONDS_PER_PAGE have passed
  since the previous page counted (the first page counts at once); a page outside the book, or a
  page opened again, changes nothing. A book is done when every page was opened. An EPUB is only
  downloaded, so no player sees its pages: it cannot be completed in the portal.
* Progress only grows (monotonic); the stored percent is computed here, not reported.

When every item of a course is done, the worker's CoursewareCompletion is written once (the
learning record's line, EDU-8) and earns through ``courses.ledger`` by the courseware credit rule
in force that day, where the rules and the credit-bank pilots say so (EDU-9). Finishing twice
earns once: the completion is unique per worker and course, the ledger entry per source.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ledger
from .models import Courseware, CoursewareCompletion, CoursewareProgress, CreditEntry

MAX_PLAYBACK_RATE = 2
GRACE_SECONDS = 5
MAX_SECONDS_PER_REPORT = 60
MIN_SECONDS_PER_PAGE = 3
COMPLETE_SHARE = 0.9


def _member_or_refuse(worker) -> None:
    from .services import worker_is_member

    if not worker_is_member(worker):
        raise ValidationError(_("Courseware is for workers of member units."))


def courseware_open(*, worker, courseware: Courseware) -> CoursewareProgress:
    """The worker opened the item's page: the rate rule's clock starts (or restarts) here, so time
    spent away from the player is never counted."""
    _member_or_refuse(worker)
    now = timezone.now()
    progress, created = CoursewareProgress.objects.get_or_create(
        worker=worker, courseware=courseware, defaults={"unit_id": worker.unit_id, "reported_at": now})
    if not created:
        CoursewareProgress.objects.filter(pk=progress.pk).update(reported_at=now)
        progress.reported_at = now
    return progress


def _video_seconds(courseware: Courseware) -> int:
    return max(courseware.length, 1) * 60


def _percent(progress: CoursewareProgress, courseware: Courseware) -> int:
    if courseware.kind == Courseware.Kind.VIDEO:
        needed = _video_seconds(courseware) * COMPLETE_SHARE
        return min(100, int(progress.seconds_watched * 100 // needed)) if needed else 0
    pages = max(courseware.length, 1)
    return min(100, len(progress.pages_opened) * 100 // pages)


def courseware_progress_report(*, worker, courseware: Courseware, seconds: int | None = None,
                               page: int | None = None) -> CoursewareProgress:
    """One report of the player (see the module's rules). Returns the progress as now stored."""
    _member_or_refuse(worker)
    if courseware.kind == Courseware.Kind.VIDEO:
        if seconds is None or page is not None or not 0 <= seconds <= 24 * 3600:
            raise ValidationError(_("A video reports the seconds played."))
    elif page is None or seconds is not None or not 1 <= page <= max(courseware.length, 1):
        raise ValidationError(_("An e-book reports a page of the book."))
    now = timezone.now()
    with transaction.atomic():
        progress, _created = CoursewareProgress.objects.select_for_update().get_or_create(
            worker=worker, courseware=courseware, defaults={"unit_id": worker.unit_id, "reported_at": now})
        elapsed = (now - progress.reported_at).total_seconds() if progress.reported_at else 0
        changed = False
        if courseware.kind == Courseware.Kind.VIDEO:
            allowed = min(elapsed * MAX_PLAYBACK_RATE + GRACE_SECONDS, MAX_SECONDS_PER_REPORT)
            gained = int(min(seconds, allowed))
            if gained > 0:
                progress.seconds_watched += gained
                changed = True
        elif page not in progress.pages_opened and (not progress.pages_opened or elapsed >= MIN_SECONDS_PER_PAGE):
            progress.pages_opened = sorted([*progress.pages_opened, page])
            changed = True
        if not changed:
            return progress
        progress.percent = max(progress.percent, _percent(progress, courseware))
        progress.reported_at = now
        fields = ["seconds_watched", "pages_opened", "percent", "reported_at", "updated_at"]
        if progress.percent == 100 and progress.completed_on is None:
            progress.completed_on = timezone.localdate()
            fields.append("completed_on")
        progress.save(update_fields=fields)
        if "completed_on" in fields:
            _course_completion_record(worker=worker, courseware=courseware, on=progress.completed_on)
    return progress


def _course_completion_record(*, worker, courseware: Courseware, on) -> CoursewareCompletion | None:
    """When the worker has now finished every item of the course: its record line and credits."""
    course = courseware.course
    items = set(course.courseware.values_list("pk", flat=True))
    done = set(CoursewareProgress.objects.filter(worker=worker, courseware__course=course, completed_on__isnull=False)
               .values_list("courseware_id", flat=True))
    if not items or not items <= done:
        return None
    completion, created = CoursewareCompletion.objects.get_or_create(
        worker=worker, course=course, defaults={"unit_id": worker.unit_id, "completed_on": on})
    if created:
        ledger.credit_entry_record(worker=worker, source_kind=CreditEntry.Source.COURSEWARE, source=completion,
                                   earned_on=on, hours=course.hours, course_credits=course.credits,
                                   cause=_("Courseware of %(title)s") % {"title": course.title})
    return completion
