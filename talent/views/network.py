"""TAL-7 技术英才网: the public pages for studios, chief employees, demonstration bases, 职工技协,
forums and observation events. Only what a unit marked public appears, and no page shows an ID
number, a phone number or a birth date: the templates name people by name only."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from membership.decorators import PUBLIC_LOGIN_URL
from membership.selectors import current_worker
from portal.forms import QueryForm, search_text

from ..models import ChiefEmployee, DemonstrationBase, RecognitionLevel, Studio, TalentEvent, TechAssociation
from ..selectors import bases as base_selectors
from ..selectors import chief as chief_selectors
from ..selectors import events as event_selectors
from ..selectors import studios as studio_selectors
from ..selectors.network import network_home
from ..services import events as event_services

PAGE_SIZE = 20


class NetworkQueryForm(QueryForm):
    """The search, level and type of a list on the talent pages."""

    q = forms.CharField(required=False, strip=True)
    level = forms.TypedChoiceField(required=False, choices=RecognitionLevel.choices, coerce=int, empty_value=None)
    kind = forms.ChoiceField(required=False, choices=TalentEvent.Kind.choices)
    page = forms.IntegerField(required=False, min_value=1, max_value=10**9)

    def clean_q(self):
        return search_text(self.cleaned_data["q"])


def _options(choices, selected) -> list[tuple[str, str, bool]]:
    return [(str(value), str(label), str(value) == str(selected)) for value, label in choices]


def _list_page(request, queryset, template: str, section: str, **context):
    params = NetworkQueryForm(request.GET).values()
    page = Paginator(queryset(params), PAGE_SIZE).get_page(params["page"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {
        "page": page, "q": params["q"], "query": query.urlencode(), "section": section,
        "levels": _options(RecognitionLevel.choices, params["level"]), "kinds": _options(TalentEvent.Kind.choices, params["kind"]),
        **context,
    })


def home(request):
    return render(request, "talent/home.html", {"section": "home", **network_home(day=timezone.localdate())})


def studios(request):
    today = timezone.localdate()
    return _list_page(request, lambda p: studio_selectors.public_studios(day=today, level=p["level"], q=p["q"]),
                      "talent/studio_list.html", "studios")


def studio(request, studio_id):
    try:
        found = studio_selectors.public_studio(studio_id=studio_id, day=timezone.localdate())
    except Studio.DoesNotExist:
        raise Http404 from None
    return render(request, "talent/studio.html", {"studio": found, "section": "studios"})


def chief_employees(request):
    today = timezone.localdate()
    return _list_page(request, lambda p: chief_selectors.public_chief_employees(day=today, q=p["q"]),
                      "talent/chief_list.html", "chiefs")


def chief_employee(request, designation_id):
    try:
        found = chief_selectors.public_chief_employee(designation_id=designation_id, day=timezone.localdate())
    except ChiefEmployee.DoesNotExist:
        raise Http404 from None
    return render(request, "talent/chief.html", {"chief": found, "section": "chiefs"})


def bases(request):
    today = timezone.localdate()
    return _list_page(request, lambda p: base_selectors.public_bases(day=today, level=p["level"], q=p["q"]),
                      "talent/base_list.html", "bases")


def base(request, base_id):
    try:
        found = base_selectors.public_base(base_id=base_id, day=timezone.localdate())
    except DemonstrationBase.DoesNotExist:
        raise Http404 from None
    return render(request, "talent/demonstration_base.html", {"base": found, "section": "bases"})


def associations(request):
    return _list_page(request, lambda p: base_selectors.public_associations(q=p["q"]),
                      "talent/association_list.html", "associations")


def association(request, association_id):
    try:
        found = base_selectors.public_association(association_id=association_id)
    except TechAssociation.DoesNotExist:
        raise Http404 from None
    return render(request, "talent/association.html", {"association": found, "section": "associations"})


def events(request):
    today = timezone.localdate()
    worker = current_worker(request)
    params = NetworkQueryForm(request.GET).values()
    page = Paginator(event_selectors.public_events(today=today, kind=params["kind"], q=params["q"]), PAGE_SIZE).get_page(
        params["page"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "talent/event_list.html", {
        "page": page, "q": params["q"], "query": query.urlencode(), "section": "events",
        "kinds": _options(TalentEvent.Kind.choices, params["kind"]),
        "mine": event_selectors.worker_registered_event_ids(worker=worker, events=page.object_list),
        "past": event_selectors.past_public_events(today=today)[:PAGE_SIZE],
    })


def event(request, event_id):
    try:
        found = event_selectors.public_event(event_id=event_id)
    except TalentEvent.DoesNotExist:
        raise Http404 from None
    worker = current_worker(request)
    return render(request, "talent/event.html", {
        "event": found, "section": "events", "today": timezone.localdate(),
        "registered": found.pk in event_selectors.worker_registered_event_ids(worker=worker, events=[found]),
        "full": found.capacity is not None and found.taken >= found.capacity,
    })


def _event_action(request, event_id, action, done_message: str):
    try:
        found = event_selectors.public_event(event_id=event_id)
    except TalentEvent.DoesNotExist:
        raise Http404 from None
    worker = current_worker(request)
    if worker is None:
        messages.error(request, _("Only worker accounts can register. Register with your ID number first."))
    else:
        try:
            action(worker=worker, event=found)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, done_message % {"title": found.title})
    return redirect("talent:event", found.pk)


@login_required(login_url=PUBLIC_LOGIN_URL)
@require_POST
def event_register(request, event_id):
    return _event_action(request, event_id, event_services.talent_event_register, _("You are registered for %(title)s."))


@login_required(login_url=PUBLIC_LOGIN_URL)
@require_POST
def event_cancel(request, event_id):
    return _event_action(request, event_id, event_services.talent_event_cancel,
                         _("Your registration for %(title)s was cancelled."))
