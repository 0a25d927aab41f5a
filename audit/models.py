"""Item 16 of issue 6: who changed which field of a worker, unit, course, class, enrolment or credit
entry, when, and from which upload or page.

The trail is written by PostgreSQL triggers (django-pghistory over django-pgtrigger), so every path
records it: the admin, the services, the upload pipeline's COPY writes, a shell. Each tracked model
has one event table here holding a snapshot of its tracked fields after an insert or update (only
when one of them changed) and before a delete, plus the context of the change (`pgh_context`: the
user, the page's URL or the upload) denormalised into the row, so a 100,000-row upload writes no
shared context row per worker.

"Credit entries" here are the rows that earn or spend credits: uploaded training records and credit
conversions (and enrolments). The ledger's own rows (courses.CreditEntry) are append-only, refused
UPDATE and DELETE by a trigger, so they need no trail; the credit rules are global reference data
edited by municipal staff and are not tracked.

Each event model names its unit in SCOPE_FIELD, or its facts' owners in SCOPE (MEM-2), so the audit pages go through
membership.scoping like every other list. The embedded SQLite demo creates these tables but no
triggers: it records no trail (core.audit_context.is_recorded).
"""
from __future__ import annotations

import pghistory
import pgtrigger
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Course, CourseClass, CreditConversion, Enrolment, TrainingRecord
from membership.models import Unit, Worker
from membership.scoping import Owner, Scope


# In each event model's Meta: the database refuses UPDATE and DELETE on the trail's rows, whatever
# the path (the admin offers neither; a shell or a raw query cannot either).
def _append_only() -> list[pgtrigger.Trigger]:
    return [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]


def _event_base(model: type[models.Model], fields: list[str]) -> type[models.Model]:
    # UpdateEvent's default condition fires only when one of `fields` changed: a save that
    # touches nothing but `updated_at` (every re-upload of an unchanged row) records nothing.
    # Trackers are made per model: pghistory fills their condition with the model's fields.
    return pghistory.create_event_model(
        model,
        pghistory.InsertEvent(trigger_name="audit_insert"),
        pghistory.UpdateEvent(trigger_name="audit_update"),
        pghistory.DeleteEvent(trigger_name="audit_delete"),
        # Recorded once per statement from its transition tables: a roster commit COPYs
        # thousands of rows per statement, and row-level triggers made its inserts 5 times slower
        # (bench/import_roster.py --audit).
        level=pgtrigger.Statement,
        fields=fields,
        obj_field=pghistory.ObjForeignKey(related_name="audit_events"),
        context_field=pghistory.ContextJSONField(),
        model_name=f"{model.__name__}EventBase", app_label="audit",
    )


# MEM-4: the encrypted number, its keyed hash and the birth date never enter the trail (the mask
# hides exactly the birth-date digits, so the birth date beside it would rebuild the number);
# `sex` is derived from the number and never changes.
class _TrailEntry:
    """An event's title on its page and in breadcrumbs: what changed, and which entry of the trail
    (pghistory's default, "WorkerEvent object (1)", is English)."""

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


WORKER_FIELDS = ["name", "id_number_masked", "unit", "post", "is_frontline", "is_migrant", "is_needy",
                 "education", "phone", "joined_union_on", "left_on", "leaving_reason"]


class WorkerEvent(_TrailEntry, _event_base(Worker, WORKER_FIELDS)):
    # The worker's unit at the time of the event: a move shows in the new unit's trail.
    SCOPE_FIELD = "unit"
    # The fields the audit page compares with the previous event to show "before → after".
    tracked_fields = tuple(WORKER_FIELDS)

    class Meta:
        verbose_name = _("worker change")
        verbose_name_plural = _("worker changes")
        ordering = ["-pgh_id"]
        triggers = _append_only()


# `numchild` changes whenever a child unit is added and `depth` follows `path`: neither is an edit
# of this unit. `path` is kept so that a move shows and the event is scoped where the unit was.
UNIT_FIELDS = ["path", "code", "name", "kind", "member_level", "membership_status", "membership_since",
               "industry", "district", "worker_count"]


class UnitEvent(_TrailEntry, _event_base(Unit, UNIT_FIELDS)):
    SCOPE_FIELD = ""  # the event's own `path`, like Unit itself
    # treebeard's column has no label: the audit page names it in the user's language.
    path = models.CharField(max_length=255, verbose_name=_("position in the unit tree"))
    tracked_fields = tuple(UNIT_FIELDS)

    class Meta:
        verbose_name = _("unit change")
        verbose_name_plural = _("unit changes")
        ordering = ["-pgh_id"]
        triggers = _append_only()


COURSE_FIELDS = ["code", "title", "description", "category", "delivery", "hours", "credits", "provider_kind",
                 "provider_name", "unit", "status", "rejection_reason"]


class CourseEvent(_TrailEntry, _event_base(Course, COURSE_FIELDS)):
    SCOPE_FIELD = "unit"
    tracked_fields = tuple(COURSE_FIELDS)

    class Meta:
        verbose_name = _("course change")
        verbose_name_plural = _("course changes")
        ordering = ["-pgh_id"]
        triggers = _append_only()


# `enrolled_count` is kept by the enrolment services under a row lock; the enrolments themselves
# are tracked.
CLASS_FIELDS = ["course", "name", "unit", "place", "teacher", "starts_on", "ends_on", "enrol_by", "capacity", "is_open"]


class CourseClassEvent(_TrailEntry, _event_base(CourseClass, CLASS_FIELDS)):
    SCOPE_FIELD = "unit"
    tracked_fields = tuple(CLASS_FIELDS)

    class Meta:
        verbose_name = _("class change")
        verbose_name_plural = _("class changes")
        ordering = ["-pgh_id"]
        triggers = _append_only()


# A fact's trail is seen by the fact's owners (MEM-2): the unit it happened in (stored on the fact)
# and the worker's unit now; an enrolment's also by its class's organiser. Read-only for all.
FACT_EVENT_SCOPE = Scope(owners=(Owner("pgh_obj__unit", change=False), Owner("worker__unit", change=False)))


ENROLMENT_FIELDS = ["course_class", "worker", "dependant", "status", "enrolled_by", "attended_hours", "score", "completed_on",
                    "withdrawal_reason"]


class EnrolmentEvent(_TrailEntry, _event_base(Enrolment, ENROLMENT_FIELDS)):
    SCOPE = Scope(owners=(Owner("pgh_obj__unit", change=False), Owner("pgh_obj__course_class__unit", change=False),
                          Owner("worker__unit", change=False)))
    tracked_fields = tuple(ENROLMENT_FIELDS)

    class Meta:
        verbose_name = _("enrolment change")
        verbose_name_plural = _("enrolment changes")
        ordering = ["-pgh_id"]
        triggers = _append_only()


TRAINING_FIELDS = ["worker", "course", "project", "kind", "hours", "completed_on", "result", "institution", "upload"]


class TrainingRecordEvent(_TrailEntry, _event_base(TrainingRecord, TRAINING_FIELDS)):
    SCOPE = FACT_EVENT_SCOPE
    tracked_fields = tuple(TRAINING_FIELDS)

    class Meta:
        verbose_name = _("training record change")
        verbose_name_plural = _("training record changes")
        ordering = ["-pgh_id"]
        triggers = _append_only()


CONVERSION_FIELDS = ["worker", "institution", "programme", "credits", "converted_on"]


class CreditConversionEvent(_TrailEntry, _event_base(CreditConversion, CONVERSION_FIELDS)):
    SCOPE = FACT_EVENT_SCOPE
    tracked_fields = tuple(CONVERSION_FIELDS)

    class Meta:
        verbose_name = _("credit conversion change")
        verbose_name_plural = _("credit conversion changes")
        ordering = ["-pgh_id"]
        triggers = _append_only()


EVENT_MODELS: tuple[type[models.Model], ...] = (
    WorkerEvent, UnitEvent, CourseEvent, CourseClassEvent, EnrolmentEvent, TrainingRecordEvent, CreditConversionEvent,
)
