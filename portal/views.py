from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from courses import selectors, services as course_services
from courses.courseware import field_file_head, file_format
from courses.models import (
    Activity, ActivityRegistration, Certificate, Course, CourseClass, Courseware, CoursewareProgress, Enrolment, TargetGroup,
)
from courses.transcript import transcript_pdf, transcript_xlsx
from uploads.spreadsheets import XLSX_CONTENT_TYPE

from .client_address import client_address
from .forms import ActivityFilterForm, CertificateCheckForm, MenuFilterForm, RegistrationConfirmForm, RegistrationForm
from .services import (
    InvalidClaimCode, RegistrationThrottled, registration_throttle, worker_claim_complete, worker_claim_start,
)

MENU_PAGE_SIZE = 20


def healthz(request):
    """For the load balancer: the process answers and its database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def course_menu(request):
    params = MenuFilterForm(request.GET).values()
    filters = selectors.MenuFilters(
        q=params["q"], category=params["category"], target_group=params["group"], delivery=params["delivery"],
        district=params["district"], min_credits=params["credits"], free_seats=params["free"], sort=params["sort"],
    )
    page = Paginator(selectors.course_menu(filters=filters), MENU_PAGE_SIZE).get_page(params["page"])
    query = request.GET.copy()
    query.pop("page", None)
    # The cards and the filter choices are built here as plain strings: the menu is the busiest
    # page of the worker site, and Django template nodes per field cost more than Python does.
    return render(request, "portal/menu.html", {
        "page": page, "cards": [_card(card) for card in selectors.menu_cards(page.object_list)], "filters": filters,
        "query": query.urlencode(),
        "choices": {
            "category": _options(Course.Category.choices, filters.category),
            "group": _options(TargetGroup.objects.values_list("code", "name"), filters.target_group),
            "delivery": _options(Course.Delivery.choices, filters.delivery),
            "district": _options([(d, d) for d in selectors.districts()], filters.district),
            "credits": _options([(n, f"≥ {n} {_('credits')}") for n in "1234"],
                                _credits_choice(filters.min_credits)),
            "sort": _options([("code", _("Sort: course code")), ("starts", _("Sort: next class first")),
                              ("credits", _("Sort: most credits")), ("hours", _("Sort: fewest hours")),
                              ("title", _("Sort: title"))], filters.sort),
        },
    })


def _credits_choice(minimum) -> str:
    return "" if minimum is None else format(minimum.normalize(), "f")


def _options(choices, selected) -> list[tuple[str, str, bool]]:
    return [(str(value), str(label), str(value) == selected) for value, label in choices]


def _card(card) -> dict:
    course = card.course
    meta = " · ".join([course.get_category_display(), course.get_delivery_display(), f"{course.hours} {_('hours')}",
                       f"{course.credits} {_('credits')}", course.provider_name])
    if not card.open_class_count:
        availability, css = _("No open class at the moment"), ""
    else:
        classes = ngettext("%(counter)s open class", "%(counter)s open classes", card.open_class_count) % {
            "counter": card.open_class_count}
        if card.seats_left > 0:
            availability, css = f"{classes} · " + _("%(n)s seats left") % {"n": card.seats_left}, "seats"
        else:
            availability, css = f"{classes} · " + _("Full: waiting list"), "full"
    return {"url": reverse("portal:course", args=[course.code]), "title": course.title, "meta": meta, "availability": availability, "css": css,
            "groups": card.groups}


def course_page(request, code):
    if len(code) > Course._meta.get_field("code").max_length or "\x00" in code:
        raise Http404
    try:
        course = selectors.course_detail(code=code)
    except Course.DoesNotExist:
        raise Http404 from None
    classes = list(selectors.course_open_classes(course=course))
    mine = {}
    worker = getattr(request.user, "worker", None) if request.user.is_authenticated else None
    if worker is not None:
        mine = dict(Enrolment.objects.filter(worker=worker, course_class__in=classes, status__in=Enrolment.ACTIVE)
                    .values_list("course_class_id", "status"))
    return render(request, "portal/course.html", {
        "course": course, "classes": classes, "mine": mine, "courseware": list(course.courseware.all()),
        "is_member": course_services.worker_is_member(worker),
    })


def _worker_or_refuse(request):
    worker = getattr(request.user, "worker", None)
    if worker is None:
        messages.error(request, _("Only worker accounts can enrol. Register with your ID number first."))
    return worker


@login_required(login_url="portal:login")
@require_POST
def enrol(request, class_id):
    course_class = get_object_or_404(CourseClass.objects.select_related("course"), pk=class_id)
    worker = _worker_or_refuse(request)
    if worker is not None:
        try:
            enrolment = course_services.enrolment_create(worker=worker, course_class=course_class, by=request.user)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            if enrolment.status == Enrolment.Status.ENROLLED:
                messages.success(request, _("You are enrolled in %(name)s.") % {"name": course_class.name})
            else:
                messages.info(request, _("The class is full: you are on its waiting list and will get the first free seat."))
    return redirect("portal:course", course_class.course.code)


@login_required(login_url="portal:login")
@require_POST
def cancel(request, enrolment_id):
    worker = _worker_or_refuse(request)
    if worker is None:
        return redirect("portal:menu")
    enrolment = get_object_or_404(Enrolment, pk=enrolment_id, worker=worker)
    try:
        course_services.enrolment_cancel(enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("Your enrolment was cancelled."))
    return redirect("portal:my_learning")


@login_required(login_url="portal:login")
def my_learning(request):
    worker = getattr(request.user, "worker", None)
    if worker is None:
        if request.user.is_staff:
            return redirect("admin:index")
        return render(request, "portal/not_a_worker.html", status=403)
    enrolments = list(selectors.worker_enrolments(worker=worker))
    entries, account = _record_and_account(worker)
    return render(request, "portal/my_learning.html", {
        "worker": worker, "enrolments": enrolments, "entries": entries, "account": account,
        "by_year": sorted(account.by_year.items(), reverse=True),
    })


def _record_and_account(worker):
    return selectors.learning_record(worker=worker), selectors.credit_account(worker=worker)


@login_required(login_url="portal:login")
def my_transcript(request, file_format):
    """EDU-8: the worker's own record, as PDF or xlsx."""
    worker = getattr(request.user, "worker", None)
    if worker is None or file_format not in ("pdf", "xlsx"):
        raise Http404
    entries, account = _record_and_account(worker)
    if file_format == "pdf":
        response = HttpResponse(transcript_pdf(worker=worker, entries=entries, account=account), content_type="application/pdf")
    else:
        response = HttpResponse(transcript_xlsx(worker=worker, entries=entries, account=account), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=learning-record.{file_format}"
    return response


def activities(request):
    """EDU-6/7: upcoming thematic and culture activities, open to all; registering needs a log-in."""
    params = ActivityFilterForm(request.GET).values()
    kind, q = params["kind"], params["q"]
    page = Paginator(selectors.upcoming_activities(kind=kind, q=q), MENU_PAGE_SIZE).get_page(params["page"])
    mine = set()
    worker = getattr(request.user, "worker", None) if request.user.is_authenticated else None
    if worker is not None:
        mine = set(ActivityRegistration.objects.filter(worker=worker, activity__in=list(page.object_list))
                   .exclude(status=ActivityRegistration.Status.CANCELLED).values_list("activity_id", flat=True))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/activities.html", {
        "page": page, "kinds": _options(Activity.Kind.choices, kind), "q": q, "mine": mine, "query": query.urlencode()})


@login_required(login_url="portal:login")
@require_POST
def activity_register(request, activity_id):
    activity = get_object_or_404(Activity, pk=activity_id)
    worker = _worker_or_refuse(request)
    if worker is not None:
        try:
            course_services.activity_register(worker=worker, activity=activity)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("You are registered for %(title)s.") % {"title": activity.title})
    return redirect("portal:activities")


def _member_worker_or_403(request):
    worker = getattr(request.user, "worker", None)
    if not course_services.worker_is_member(worker):
        raise PermissionDenied(_("Courseware is for workers of member units."))
    return worker


@login_required(login_url="portal:login")
def courseware(request, courseware_id):
    """EDU-4: a video or e-book of a course, with the worker's progress (member units only)."""
    item = get_object_or_404(Courseware.objects.select_related("course"), pk=courseware_id,
                             course__status=Course.Status.APPROVED)
    worker = _member_worker_or_403(request)
    if request.method == "POST":
        try:
            course_services.courseware_progress_record(worker=worker, courseware=item,
                                                       percent=int(request.POST.get("percent", "0")))
        except (ValueError, ValidationError):
            messages.error(request, _("Progress is a whole number from 0 to 100."))
        else:
            messages.success(request, _("Your progress was saved."))
        return redirect("portal:courseware", item.pk)
    progress = CoursewareProgress.objects.filter(worker=worker, courseware=item).values_list("percent", flat=True).first()
    return render(request, "portal/courseware.html", {"item": item, "progress": progress or 0})


@login_required(login_url="portal:login")
def courseware_file(request, courseware_id):
    """EDU-4: the file, with the type its bytes show; see courses.courseware for the headers."""
    item = get_object_or_404(Courseware, pk=courseware_id, course__status=Course.Status.APPROVED)
    _member_worker_or_403(request)
    found = file_format(field_file_head(item.file))
    response = FileResponse(item.file.open("rb"), content_type=found.content_type, as_attachment=not found.inline,
                            filename=item.file.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = found.csp
    return response


CLAIM_SESSION_KEY = "worker_claim"


def register(request):
    """EDU-8 step 1. Every valid request gets the same answer, matched or not."""
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration_throttle(address=client_address(request) or "")
        except RegistrationThrottled:
            return _registration_throttled(request, "portal/register.html", {"form": form})
        data = form.cleaned_data
        request.session[CLAIM_SESSION_KEY] = worker_claim_start(name=data["name"], id_number=data["id_number"],
                                                                phone=data["phone"])
        messages.info(request, _("If the details match our records, a code has been sent to the mobile number. "
                                 "It is valid for 10 minutes."))
        return redirect("portal:register_confirm")
    return render(request, "portal/register.html", {"form": form})


def register_confirm(request):
    """EDU-8 step 2: the code and a password make the account; the log-in name is chosen for the worker."""
    token = request.session.get(CLAIM_SESSION_KEY)
    if not token:
        return redirect("portal:register")
    form = RegistrationConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration_throttle(address=client_address(request) or "")
        except RegistrationThrottled:
            return _registration_throttled(request, "portal/register_confirm.html", {"form": form})
        try:
            user = worker_claim_complete(token=token, code=form.cleaned_data["code"],
                                         password=form.cleaned_data["password1"])
        except InvalidClaimCode as error:
            form.add_error("code", error)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            request.session.pop(CLAIM_SESSION_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready. Your log-in name is %(username)s: write it down, "
                                        "you need it with your password.") % {"username": user.username})
            return redirect("portal:my_learning")
    return render(request, "portal/register_confirm.html", {"form": form})


def _registration_throttled(request, template, context):
    messages.error(request, _("Too many attempts from your address; try again in 15 minutes."))
    return render(request, template, context, status=429)


def certificate_check(request):
    code = CertificateCheckForm(request.GET).values()["code"]
    certificate = None
    if code:
        certificate = (Certificate.objects.select_related("enrolment__worker", "enrolment__course_class__course")
                       .filter(code=code).first())
    return render(request, "portal/certificate_check.html", {"code": code, "certificate": certificate})
