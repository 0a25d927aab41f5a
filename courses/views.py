"""The courses app's public pages (EDU-1…9 for workers): parse the request, call a selector or a
service, render. Worker identity comes from membership (current_worker, worker_required)."""
from __future__ import annotations

import functools
import html
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from membership.decorators import PUBLIC_LOGIN_URL, worker_required
from membership.selectors import current_worker
from portal.frame import render_framed
from uploads.spreadsheets import XLSX_CONTENT_TYPE

from . import courseware_progress, menu_cache, selectors, services
from .courseware import field_file_head, file_format
from .forms import ActivityFilterForm, DependantForm, MenuFilterForm, TrainingCertificateCheckForm
from .models import Activity, Course, Enrolment
from .transcript import transcript_digest, transcript_pdf, transcript_xlsx

MENU_PAGE_SIZE = 20


def course_menu(request):
    filters, page = _menu_query_parsed(request.META.get("QUERY_STRING", ""))
    # Issue 13: the page's shared part (filters, count, cards) comes from the cache; the frame
    # around it (log-in state, CSRF token) is the visitor's own.
    content = menu_cache.cached_content(build=lambda: _menu_content(filters, page),
                                        language=get_language(), filters=filters, page=page)
    return render_framed(request, "courses/menu.html", content)


@functools.lru_cache(maxsize=512)
def _menu_query_parsed(query_string: str) -> tuple[selectors.MenuFilters, int | None]:
    """The menu's filters and page number as a query string asks for them: the same string, the
    same answer, so the busiest ones (the first page, the common searches) are parsed once per
    process (issue 13: a form per request cost a third of a page taken from the cache). Neither
    the filters nor the number are ever changed in place."""
    params = MenuFilterForm(QueryDict(query_string)).values()
    return selectors.MenuFilters(
        q=params["q"], category=params["category"], target_group=params["group"], delivery=params["delivery"],
        district=params["district"], min_credits=params["credits"], free_seats=params["free"], sort=params["sort"],
        discipline=params["discipline"],
    ), params["page"]


def _menu_content(filters, page_number) -> str:
    menu = selectors.menu_page(filters=filters, number=page_number, page_size=MENU_PAGE_SIZE)
    # The pager's figures from the count the page came with (no second count).
    paginator = Paginator((), MENU_PAGE_SIZE)
    paginator.count = menu.count
    page = Page([card.course for card in menu.cards], menu.number, paginator)
    language = get_language()
    return render_to_string("courses/_menu_content.html", {
        # The filters as understood (an invalid value dropped), as the page's context always had them.
        "filters": filters, "page": page, "cards": menu.cards,
        "cards_html": _cards_html(menu.cards, language),
        "form_html": _menu_form(language, filters.values(), tuple(menu.group_choices), tuple(menu.districts)),
        "query": _menu_query(filters),
    })


@functools.lru_cache(maxsize=512)
def _menu_form(language: str, filter_values: tuple, group_choices: tuple, districts: tuple) -> str:
    """The menu's search and filter form for these filters, in this language, with these target
    groups and districts (read with the page): the same in, the same out, so rendered once per
    process for each (issue 13: its template's nodes cost more than the page's statement)."""
    filters = selectors.MenuFilters(*filter_values)
    labels = _menu_labels(language)
    with translation.override(language):
        return mark_safe(render_to_string("courses/_menu_form.html", {
            "filters": filters,
            "choices": {
                "category": _options_html(labels["category"], filters.category),
                "group": _options_html(group_choices, filters.target_group),
                "delivery": _options_html(labels["delivery"], filters.delivery),
                "discipline": _options_html(labels["discipline"], filters.discipline),
                "district": _options_html([(d, d) for d in districts], filters.district),
                "credits": _options_html(labels["credits"], _credits_choice(filters.min_credits)),
                "sort": _options_html(labels["sort"], filters.sort),
            },
        }).removesuffix("\n"))


@functools.lru_cache(maxsize=8)
def _menu_labels(language: str) -> dict[str, list[tuple[str, str]]]:
    """The menu's fixed choices in one language, translated once per process (the catalogues do
    not change while it runs)."""
    with translation.override(language):
        return {
            "category": [(v, str(label)) for v, label in Course.Category.choices],
            "delivery": [(v, str(label)) for v, label in Course.Delivery.choices],
            "discipline": [(v, str(label)) for v, label in Course.Discipline.choices],
            "credits": [(n, f"≥ {n} {_('credits')}") for n in "1234"],
            "sort": [("code", _("Sort: course code")), ("starts", _("Sort: next class first")),
                     ("credits", _("Sort: most credits")), ("hours", _("Sort: fewest hours")),
                     ("title", _("Sort: title"))],
            "words": [("hours", _("hours")), ("credits", _("credits")), ("none", _("No open class at the moment")),
                      ("full", _("Full: waiting list"))],
        }


def _menu_query(filters) -> str:
    """The pager's query string: the filters as understood, never a visitor's other parameters
    (the page is shared through the cache)."""
    values = {"q": filters.q, "category": filters.category, "group": filters.target_group,
              "delivery": filters.delivery, "discipline": filters.discipline, "district": filters.district,
              "credits": _credits_choice(filters.min_credits), "free": "1" if filters.free_seats else "",
              "sort": "" if filters.sort == "code" else filters.sort}
    return urlencode({name: value for name, value in values.items() if value})


def _credits_choice(minimum) -> str:
    return "" if minimum is None else format(minimum.normalize(), "f")


def _options(choices, selected) -> list[tuple[str, str, bool]]:
    return [(str(value), str(label), str(value) == selected) for value, label in choices]


def _options_html(choices, selected) -> str:
    """A select's options as HTML (escaped here, so the template prints them as they are)."""
    return mark_safe(_options_markup(tuple(choices), selected))


@functools.lru_cache(maxsize=1024)
def _options_markup(choices: tuple, selected: str) -> str:
    """The options' HTML for these choices (the fixed labels, or the groups and districts the page
    just read) and this choice: the same in, the same out, so built once per process (issue 13).
    html.escape is what django.utils.html.escape calls, without its check for lazy strings, which
    cost more than the escaping on the busiest page."""
    return "".join(
        f'<option value="{html.escape(str(value))}"{" selected" if str(value) == selected else ""}>'
        f'{html.escape(str(label))}</option>'
        for value, label in choices)


def _cards_html(cards, language: str) -> str:
    """The cards' list items, built here as plain strings: the menu is the busiest page of the
    worker site, and Django template nodes per field cost more than Python does (escaped here, so
    the template prints them as they are; html.escape as in _options_markup)."""
    escape = html.escape
    labels = _menu_labels_by_value(language)
    category_labels, discipline_labels, delivery_labels = labels["category"], labels["discipline"], labels["delivery"]
    hours_word, credits_word = labels["words"]["hours"], labels["words"]["credits"]
    # The course page's address (courses:course) quoted as reverse() quotes it, without a
    # reverse() per card.
    course_url = reverse("courses:course", args=["-"])[:-2]
    items = []
    for card in cards:
        course = card.course
        category = category_labels.get(course.category, course.category) + (
            f"（{discipline_labels.get(course.discipline, course.discipline)}）" if course.discipline else "")
        meta = " · ".join([category, delivery_labels.get(course.delivery, course.delivery),
                           f"{course.hours} {hours_word}", f"{course.credits} {credits_word}", course.provider_name])
        availability, css = _availability(language, card.open_class_count, max(card.seats_left, 0))
        url = f"{course_url}{quote(course.code, safe=RFC3986_SUBDELIMS + '~:@')}/"
        items.append(
            f'<li class="card"><h2><a href="{escape(url)}">{escape(course.title)}</a></h2>'
            f'<div class="meta">{escape(meta)}</div>'
            f'<div>{_tags_html(tuple(card.groups))}</div>'
            f'<div class="meta"><span class="{css}">{availability}</span></div></li>\n')
    return mark_safe("".join(items))


@functools.lru_cache(maxsize=8)
def _menu_labels_by_value(language: str) -> dict[str, dict[str, str]]:
    """_menu_labels as look-ups by value, once per language and process."""
    return {field: dict(choices) for field, choices in _menu_labels(language).items()}


@functools.lru_cache(maxsize=4096)
def _availability(language: str, open_classes: int, seats_left: int) -> tuple[str, str]:
    """A card's line on its open classes and seats, escaped, and its CSS class: the same figures in
    the same language, the same words, so translated once per process (issue 13: two translations
    a card cost more than the rest of the card). Called with ``language`` active."""
    words = _menu_labels_by_value(language)["words"]
    if not open_classes:
        return html.escape(words["none"]), ""
    classes = ngettext("%(counter)s open class", "%(counter)s open classes", open_classes) % {"counter": open_classes}
    if seats_left > 0:
        return html.escape(f"{classes} · " + _("%(n)s seats left") % {"n": seats_left}), "seats"
    return html.escape(f"{classes} · " + words["full"]), "full"


@functools.lru_cache(maxsize=1024)
def _tags_html(groups: tuple[str, ...]) -> str:
    """A card's target groups as tags (the few sets of groups courses have, built once each)."""
    return "".join(f'<span class="tag">{html.escape(name)}</span>' for name in groups)


def course_page(request, code):
    if len(code) > Course._meta.get_field("code").max_length or "\x00" in code:
        raise Http404
    try:
        course = selectors.course_detail(code=code)
    except Course.DoesNotExist:
        raise Http404 from None
    classes = list(selectors.course_open_classes(course=course))
    worker = current_worker(request)
    # EDU-7: a course for 困难职工及其子女 takes a worker's children as well.
    for_dependants = selectors.course_takes_dependants(course=course)
    return render(request, "courses/course.html", {
        "course": course, "classes": classes, "mine": selectors.worker_class_statuses(worker=worker, classes=classes),
        "positions": selectors.worker_waiting_positions(worker=worker, classes=classes),
        "children_places": selectors.worker_children_places(worker=worker, classes=classes) if for_dependants else {},
        "dependants": list(selectors.worker_dependants(worker=worker)) if for_dependants else [],
        "for_dependants": for_dependants, "today": timezone.localdate(),
        "courseware": selectors.course_courseware(course=course), "is_member": services.worker_is_member(worker),
    })


def _worker_or_refuse(request):
    """The worker behind a POSTed action, or None with a message saying why nothing happened:
    the action's page is shown again rather than a page of refusal."""
    worker = current_worker(request)
    if worker is None:
        messages.error(request, _("Only worker accounts can enrol. Register with your ID number first."))
    return worker


@login_required(login_url=PUBLIC_LOGIN_URL)
@require_POST
def enrol(request, class_id):
    course_class = get_object_or_404(selectors.enrolable_classes(), pk=class_id)
    worker = _worker_or_refuse(request)
    if worker is not None:
        dependant = None
        if request.POST.get("dependant"):
            # EDU-7: the worker enrols one of their own children.
            dependant = get_object_or_404(selectors.worker_dependants(worker=worker),
                                          pk=_int_or_404(request.POST["dependant"]))
        try:
            enrolment = services.enrolment_create(worker=worker, course_class=course_class, by=request.user,
                                                  dependant=dependant)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            name = dependant.name if dependant is not None else ""
            if enrolment.status == Enrolment.Status.ENROLLED:
                messages.success(request, (_("%(child)s is enrolled in %(name)s.") if dependant else
                                           _("You are enrolled in %(name)s.")) % {"name": course_class.name, "child": name})
            else:
                messages.info(request, _("The class is full: you are on its waiting list and will get the first free seat."))
    return redirect("courses:course", course_class.course.code)


@login_required(login_url=PUBLIC_LOGIN_URL)
@require_POST
def cancel(request, enrolment_id):
    worker = _worker_or_refuse(request)
    if worker is None:
        return redirect("courses:menu")
    enrolment = get_object_or_404(selectors.worker_enrolments(worker=worker), pk=enrolment_id)
    try:
        services.enrolment_cancel(enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("Your enrolment was cancelled."))
    return redirect("courses:my_learning")


def _int_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@worker_required
def my_learning(request, worker):
    everything = list(selectors.worker_enrolments(worker=worker))
    attendance = selectors.enrolment_attendance_summary(enrolments=everything)
    for enrolment in everything:
        enrolment.attended_sessions, enrolment.session_count = attendance[enrolment.pk]
    entries, account = selectors.learning_record_and_account(worker=worker)
    return render(request, "courses/my_learning.html", {
        "worker": worker, "entries": entries, "account": account,
        # EDU-7: the children's seats are listed apart, as theirs: never the worker's learning.
        "enrolments": [e for e in everything if e.dependant_id is None],
        "children_enrolments": [e for e in everything if e.dependant_id is not None],
        "dependants": selectors.worker_dependants(worker=worker), "dependant_form": DependantForm(),
        "registrations": selectors.worker_activity_registrations(worker=worker), "today": timezone.localdate(),
        "by_year": sorted(account.by_year.items(), reverse=True),
    })


@worker_required
@require_POST
def dependant_add(request, worker):
    """EDU-7 重点群体: a worker names a child to enrol in classes for 困难职工及其子女."""
    form = DependantForm(request.POST)
    if form.is_valid():
        try:
            services.dependant_create(worker=worker, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("%(name)s was added: you can now enrol them in classes for needy workers' children.")
                             % {"name": form.cleaned_data["name"]})
    else:
        messages.error(request, "；".join(message for errors in form.errors.values() for message in errors))
    return redirect(reverse("courses:my_learning") + "#my-children")


@worker_required
def my_transcript(request, file_format, worker):
    """EDU-8: the worker's own record, as PDF or xlsx."""
    if file_format not in ("pdf", "xlsx"):
        raise Http404
    entries, account = selectors.learning_record_and_account(worker=worker)
    if file_format == "pdf":
        issue = services.transcript_issue_create(
            worker=worker, digest=transcript_digest(worker=worker, entries=entries, account=account))
        check_url = request.build_absolute_uri(reverse("courses:training_certificate_check"))
        response = HttpResponse(transcript_pdf(worker=worker, entries=entries, account=account, issue=issue,
                                               check_url=check_url), content_type="application/pdf")
    else:
        response = HttpResponse(transcript_xlsx(worker=worker, entries=entries, account=account), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=learning-record.{file_format}"
    return response


def activities(request):
    """EDU-6/7: upcoming thematic and culture activities, open to all; registering needs a log-in."""
    params = ActivityFilterForm(request.GET).values()
    kind, q = params["kind"], params["q"]
    page = Paginator(selectors.upcoming_activities(kind=kind, q=q), MENU_PAGE_SIZE).get_page(params["page"])
    mine = selectors.worker_registered_activity_ids(worker=current_worker(request), activities=page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "courses/activities.html", {
        "page": page, "kinds": _options(Activity.Kind.choices, kind), "q": q, "mine": mine, "query": query.urlencode()})


@login_required(login_url=PUBLIC_LOGIN_URL)
@require_POST
def activity_register(request, activity_id):
    activity = get_object_or_404(selectors.registrable_activities(), pk=activity_id)
    worker = _worker_or_refuse(request)
    if worker is not None:
        try:
            services.activity_register(worker=worker, activity=activity)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("You are registered for %(title)s.") % {"title": activity.title})
    return redirect("courses:activities")


@login_required(login_url=PUBLIC_LOGIN_URL)
@require_POST
def activity_cancel(request, activity_id):
    """EDU-6/7: the worker withdraws from an activity (the page asked them to confirm)."""
    activity = get_object_or_404(selectors.registrable_activities(), pk=activity_id)
    worker = _worker_or_refuse(request)
    if worker is not None:
        try:
            services.activity_registration_cancel(worker=worker, activity=activity)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("Your registration for %(title)s was cancelled.") % {"title": activity.title})
    if request.POST.get("back") == "activities":
        return redirect("courses:activities")
    return redirect("courses:my_learning")


def _member_worker_or_403(request):
    worker = current_worker(request)
    if not services.worker_is_member(worker):
        raise PermissionDenied(_("Courseware is for workers of member units."))
    return worker


@login_required(login_url=PUBLIC_LOGIN_URL)
@require_GET
def courseware(request, courseware_id):
    """EDU-4: a video or e-book of a course in its player, with the worker's progress (member
    units only). The page's script reports progress; nothing here takes a typed figure."""
    item = get_object_or_404(selectors.published_courseware(), pk=courseware_id)
    worker = _member_worker_or_403(request)
    progress = courseware_progress.courseware_open(worker=worker, courseware=item)
    return render(request, "courses/courseware.html", {
        "item": item, "progress": progress, "inline": file_format(field_file_head(item.file)).inline,
        "pages": range(1, max(item.length, 1) + 1)})


def courseware_progress_report(request, courseware_id):
    """EDU-4: the player's report (courses/static/courses/player.js), CSRF-checked like any POST;
    the rules of what counts are in courses.courseware_progress. Answers JSON: a script has no
    use for a log-in redirect, so an anonymous caller gets 403 whatever the method."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Log in first.")}, status=403)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    item = get_object_or_404(selectors.published_courseware(), pk=courseware_id)
    worker = current_worker(request)
    if not services.worker_is_member(worker):
        return JsonResponse({"error": _("Courseware is for workers of member units.")}, status=403)
    try:
        seconds = int(request.POST["seconds"]) if "seconds" in request.POST else None
        page = int(request.POST["page"]) if "page" in request.POST else None
        progress = courseware_progress.courseware_progress_report(worker=worker, courseware=item, seconds=seconds,
                                                                  page=page)
    except (ValueError, ValidationError) as error:
        message = "；".join(error.messages) if isinstance(error, ValidationError) else _("Not a number.")
        return JsonResponse({"error": message}, status=400)
    return JsonResponse({"percent": progress.percent, "completed": progress.completed_on is not None,
                         "seconds_watched": progress.seconds_watched, "pages_opened": progress.pages_opened})


@login_required(login_url=PUBLIC_LOGIN_URL)
def courseware_file(request, courseware_id):
    """EDU-4: the file, with the type its bytes show; see courses.courseware for the headers."""
    item = get_object_or_404(selectors.published_courseware(), pk=courseware_id)
    _member_worker_or_403(request)
    found = file_format(field_file_head(item.file))
    response = FileResponse(item.file.open("rb"), content_type=found.content_type, as_attachment=not found.inline,
                            filename=item.file.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = found.csp
    return response


def training_certificate_check(request):
    """EDU-3: anyone checks a class certificate's verification code (named apart from the skill
    certificates of the talent system)."""
    code = TrainingCertificateCheckForm(request.GET).values()["code"]
    certificate = selectors.training_certificate_by_code(code=code)
    transcript = None if certificate is not None else selectors.transcript_issue_by_code(code=code)
    return render(request, "courses/training_certificate_check.html", {
        "code": code, "certificate": certificate, "transcript": transcript,
        # EDU-8: a transcript's holder is named as masked: the code alone should not tell a name.
        "transcript_name": selectors.name_masked(transcript.worker.name) if transcript else ""})
