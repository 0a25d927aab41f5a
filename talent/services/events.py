"""TAL-7: registering for forums and observation events (论坛、观摩)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import TalentEvent, TalentEventRegistration


@transaction.atomic
def talent_event_save(*, event: TalentEvent) -> TalentEvent:
    if event.starts_on and event.ends_on and event.ends_on < event.starts_on:
        raise ValidationError({"ends_on": _("An event cannot end before it starts.")})
    event.full_clean()
    event.save()
    return event


def talent_event_register(*, worker, event: TalentEvent) -> TalentEventRegistration:
    """TAL-7: a logged-in worker registers; capacity holds under a row lock on the event (two
    workers taking the last seat at once cannot both get it)."""
    with transaction.atomic():
        locked = TalentEvent.objects.select_for_update().get(pk=event.pk)
        if not locked.public or not locked.registration_open or locked.ends_on < timezone.localdate():
            raise ValidationError(_("Registration for this event is closed."))
        existing = TalentEventRegistration.objects.select_for_update().filter(event=locked, worker=worker).first()
        if existing is not None and existing.status != TalentEventRegistration.Status.CANCELLED:
            raise ValidationError(_("You have already registered for this event."))
        taken = TalentEventRegistration.objects.filter(event=locked).exclude(
            status=TalentEventRegistration.Status.CANCELLED).count()
        if locked.capacity is not None and taken >= locked.capacity:
            raise ValidationError(_("This event is full."))
        if existing is not None:
            # Registering again is a new fact of the worker's present unit.
            existing.status, existing.unit_id = TalentEventRegistration.Status.REGISTERED, worker.unit_id
            existing.save(update_fields=["status", "unit"])
            return existing
        return TalentEventRegistration.objects.create(event=locked, worker=worker, unit_id=worker.unit_id)


def talent_event_cancel(*, worker, event: TalentEvent) -> TalentEventRegistration:
    """A worker cancels their own registration before the event starts; the row stays, cancelled."""
    with transaction.atomic():
        registration = TalentEventRegistration.objects.select_for_update().filter(
            event=event, worker=worker, status=TalentEventRegistration.Status.REGISTERED).first()
        if registration is None:
            raise ValidationError(_("You are not registered for this event."))
        if event.starts_on <= timezone.localdate():
            raise ValidationError(_("The event has started: the registration can no longer be cancelled."))
        registration.status = TalentEventRegistration.Status.CANCELLED
        registration.save(update_fields=["status"])
        return registration


@transaction.atomic
def talent_event_registration_update(*, registration: TalentEventRegistration, **fields) -> TalentEventRegistration:
    """Staff record who took part."""
    unknown = set(fields) - {"status"}
    if unknown:
        raise TypeError(f"not a registration field staff change: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.full_clean()
    if fields:
        registration.save(update_fields=list(fields))
    return registration
