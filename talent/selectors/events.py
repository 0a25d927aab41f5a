"""TAL-7 reads: the public forums and observation events, and a worker's registrations."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from ..models import TalentEvent, TalentEventRegistration


def public_events(*, today: dt.date, kind: str = "", q: str = "") -> QuerySet:
    """Public events still to come or running, soonest first."""
    taken = Count("registrations", filter=~Q(registrations__status=TalentEventRegistration.Status.CANCELLED))
    events = TalentEvent.objects.filter(public=True).select_related("unit").annotate(taken=taken)
    if kind:
        events = events.filter(kind=kind)
    if q:
        events = events.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(place__icontains=q))
    return events.filter(ends_on__gte=today).order_by("starts_on", "id")


def past_public_events(*, today: dt.date) -> QuerySet:
    return TalentEvent.objects.filter(public=True, ends_on__lt=today).select_related("unit").order_by("-starts_on", "id")


def public_event(*, event_id: int) -> TalentEvent:
    taken = Count("registrations", filter=~Q(registrations__status=TalentEventRegistration.Status.CANCELLED))
    return TalentEvent.objects.filter(public=True).select_related("unit").annotate(taken=taken).get(pk=event_id)


def worker_registered_event_ids(*, worker, events) -> set[int]:
    if worker is None:
        return set()
    return set(TalentEventRegistration.objects.filter(
        worker=worker, event__in=[event.pk for event in events],
        status__in=[TalentEventRegistration.Status.REGISTERED, TalentEventRegistration.Status.ATTENDED],
    ).values_list("event_id", flat=True))
