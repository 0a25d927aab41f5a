"""Reads for the course menu and a worker's own learning. Each page costs a fixed number of
queries whatever its size: counts and seats come from subqueries, groups from one prefetch."""
from __future__ import annotations

import functools
import itertools
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.utils import timezone

from membership.selectors import grams_match, ids_in, search_words, worker_ids_named

from .models import (
    Activity,
    ActivityRegistration,
    Certificate,
    Course,
    CourseClass,
    Courseware,
    CoursewareCompletion,
    CreditEntry,
    Dependant,
    Enrolment,
)

ZERO = Decimal(0)

SORTS = {
    "code": ("code",),
    "title": ("title", "code"),
    "credits": ("-credits", "code"),
    "hours": ("hours", "code"),
    "starts": ("next_start", "code"),
}


@dataclass
class MenuFilters:
    q: str = ""
    category: str = ""
    target_group: str = ""
    delivery: str = ""
    district: str = ""
    min_credits: Decimal | None = None
    free_seats: bool = False
    sort: str = "code"
    discipline: str = ""

    def values(self) -> tuple:
        """The fields' values in order: what dataclasses.astuple gives for these plain values,
        without its deep copy of each (issue 13: two a request on the course menu)."""
        return (self.q, self.category, self.target_group, self.delivery, self.district, self.min_credits,
                self.free_seats, self.sort, self.discipline)


def open_classes(today=None) -> QuerySet:
    return CourseClass.objects.filter(is_open=True, ends_on__gte=today or timezone.localdate())


class _MenuGramsMatch(Func):
    """``menu_grams @> portal_search_grams(word)``: the courses whose title, description, provider
    and code hold every pair of characters of the word between them, found by the GIN index of
    migration 0025 over the generated column ``menu_grams`` (membership's _WorkerGramsMatch for the
    worker list)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        word, params = compiler.compile(self.get_source_expressions()[0])
        table = compiler.quote_name_unless_alias(Course._meta.db_table)
        return f"{table}.menu_grams @> portal_search_grams({word})", params


def course_menu(*, filters: MenuFilters, today=None) -> QuerySet:
    """EDU-1 菜单式课程选择: approved courses, searched and filtered as a worker asks; ``today``
    decides which classes are open (by default the local date). The menu's page reads it through
    menu_page(), which adds each card's classes, seats and groups (menu_cards()) and the count."""
    courses = Course.objects.published().only(
        "id", "code", "title", "category", "discipline", "delivery", "hours", "credits", "provider_name")
    if filters.q:
        postgresql = connection.vendor == "postgresql"
        # Any part of the title or description: 焊接 finds 焊接技术基础.
        for word in filters.q.split()[:5]:
            # Chinese has no letter case: a plain LIKE spares PostgreSQL an UPPER() of every
            # title and description; words with Latin letters still match either case.
            lookup = "icontains" if any(c.isalpha() and c.isascii() for c in word) else "contains"
            matches = (Q(**{f"title__{lookup}": word}) | Q(**{f"description__{lookup}": word})
                       | Q(code__iexact=word) | Q(**{f"provider_name__{lookup}": word}))
            if postgresql:
                # Issue 13: the pairs index (migration 0025) finds the candidates, which every
                # match is among; the LIKEs then check only those, never every course.
                matches = Q(_MenuGramsMatch(Value(word))) & matches
            courses = courses.filter(matches)
    if filters.category:
        courses = courses.filter(category=filters.category)
    if filters.target_group:
        courses = courses.filter(target_groups__code=filters.target_group)
    if filters.delivery:
        courses = courses.filter(delivery=filters.delivery)
    if filters.discipline:
        # EDU-7: culture courses by their discipline (书画、摄影、音乐、舞蹈、健身).
        courses = courses.filter(discipline=filters.discipline)
    if filters.district:
        courses = courses.filter(Q(unit__district=filters.district)
                                 | Exists(open_classes(today).filter(course=OuterRef("pk"), unit__district=filters.district)))
    if filters.min_credits is not None:
        courses = courses.filter(credits__gte=filters.min_credits)
    if filters.free_seats:
        courses = courses.filter(Exists(open_classes(today).with_free_seats().filter(course=OuterRef("pk"))))
    if filters.sort == "starts":
        courses = courses.annotate(next_start=Subquery(
            open_classes(today).filter(course=OuterRef("pk")).order_by("starts_on").values("starts_on")[:1]))
    return courses.order_by(*SORTS.get(filters.sort, SORTS["code"]))


@dataclass
class MenuCard:
    course: Course
    open_class_count: int = 0
    seats_left: int = 0
    groups: list = None


# What each card of a page shows of its course's open classes (open_classes()) and its target
# groups (in their menu order), for the page's ids: plain statements of a plan PostgreSQL makes
# in no time (issue 13: the ORM took longer to build these than PostgreSQL to answer them, and a
# statement of correlated subqueries longer to plan than to run).
# Both in one round trip: the seats' rows carry no group name, the groups' rows no figures.
_MENU_FIGURES_SQL = """
SELECT course_id, count(*), sum(capacity) - sum(enrolled_count), NULL, 0, '' FROM courses_courseclass
 WHERE course_id = ANY(%(ids)s) AND is_open AND ends_on >= %(today)s GROUP BY course_id
UNION ALL
SELECT cg.course_id, NULL, NULL, g.name, g."order", g.code
  FROM courses_course_target_groups cg JOIN courses_targetgroup g ON g.id = cg.targetgroup_id
 WHERE cg.course_id = ANY(%(ids)s)
 ORDER BY 5, 6
"""


def menu_cards(courses) -> list[MenuCard]:
    """One page of the menu with its open classes, seats and target groups: two plain queries
    for the page, whatever its size."""

    courses = list(courses)
    ids = [course.pk for course in courses]
    if not ids:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_MENU_FIGURES_SQL, {"ids": ids, "today": timezone.localdate()})
            rows = cursor.fetchall()
        figures = {course_id: (count, seats) for course_id, count, seats, name, *_order in rows if name is None}
        group_rows = [(course_id, name) for course_id, _count, _seats, name, *_order in rows if name is not None]
    else:  # the SQLite demo
        figures = {row["course_id"]: (row["n"], row["seats"]) for row in open_classes().filter(course_id__in=ids)
                   .order_by().values("course_id").annotate(n=Count("pk"), seats=Sum("capacity") - Sum("enrolled_count"))}
        group_rows = (Course.target_groups.through.objects.filter(course_id__in=ids)
                      .order_by("targetgroup__order", "targetgroup__code").values_list("course_id", "targetgroup__name"))
    groups: dict[int, list[str]] = {}
    for course_id, name in group_rows:
        groups.setdefault(course_id, []).append(name)
    return [MenuCard(course=course, open_class_count=figures.get(course.pk, (0, 0))[0],
                     seats_left=max(figures.get(course.pk, (0, 0))[1] or 0, 0), groups=groups.get(course.pk, []))
            for course in courses]


@dataclass
class MenuCourse:
    """What a card shows of its course, read from the menu's one statement (menu_page) rather
    than as a model: a Course built per card cost more than the statement."""

    id: int
    code: str
    title: str
    category: str
    discipline: str
    delivery: str
    hours: Decimal
    credits: Decimal
    provider_name: str

    @property
    def pk(self) -> int:
        return self.id


@dataclass
class MenuPage:
    """One page of the menu as its view shows it: how many courses match, which page this is
    (Paginator.get_page's choice), its cards, and the target-group and district filters."""

    count: int
    number: int
    cards: list[MenuCard]
    group_choices: list[tuple[str, str]]
    districts: list[str]


def _page_number(requested, count: int, page_size: int) -> int:
    """The page Paginator.get_page shows for ``requested`` when ``count`` courses match."""
    from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

    paginator = Paginator(range(count), page_size)
    try:
        return paginator.validate_number(requested)
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages


def menu_page(*, filters: MenuFilters, number, page_size: int) -> MenuPage:
    """EDU-1: the page of the menu a visitor asks for, with everything its shared part shows. On
    PostgreSQL one statement answers it (_menu_statement); the SQLite demo takes the ORM's way,
    which the tests hold the statement to (tests/courses/test_menu_page.py)."""
    if connection.vendor != "postgresql":
        return menu_page_orm(filters=filters, number=number, page_size=page_size)
    today = timezone.localdate()
    guess = number if isinstance(number, int) and number >= 1 else 1
    data = _menu_statement_run(filters, guess, page_size, today)
    actual = _page_number(number, data["count"], page_size)
    if actual != guess:  # past the last page: the last one, as Paginator.get_page does
        data = _menu_statement_run(filters, actual, page_size, today)
    cards = [MenuCard(course=MenuCourse(id, code, title, category, discipline, delivery, Decimal(hours),
                                        Decimal(credits), provider_name),
                      open_class_count=count, seats_left=max(seats or 0, 0), groups=groups or [])
             for id, code, title, category, discipline, delivery, hours, credits, provider_name, count, seats, groups
             in data["cards"] or ()]
    return MenuPage(count=data["count"], number=actual, cards=cards,
                    group_choices=[tuple(pair) for pair in data["groups"] or ()], districts=data["districts"] or [])


def menu_page_orm(*, filters: MenuFilters, number, page_size: int) -> MenuPage:
    """menu_page through the ORM: the SQLite demo's way, and the reference for the tests."""
    from django.core.paginator import Paginator

    page = Paginator(course_menu(filters=filters), page_size).get_page(number)
    group_choices, districts = menu_choices()
    return MenuPage(count=page.paginator.count, number=page.number, cards=menu_cards(page.object_list),
                    group_choices=group_choices, districts=districts)


_CARD_COLUMNS = ("id", "code", "title", "category", "discipline", "delivery", "hours", "credits", "provider_name")

# Issue 13: the menu's count, page, cards' figures and groups, and filter choices in one round
# trip, as one JSON value (json_agg keeps the page's order, and hours and credits keep their
# digits as text). The page and the count are the ORM's own SQL for course_menu(); the figures
# and groups are menu_cards()'s, per course of the page.
_MENU_STATEMENT = """
SELECT json_build_object(
  'count', ({count}),
  'groups', (SELECT json_agg(json_build_array(code, name) ORDER BY "order", code) FROM courses_targetgroup),
  'districts', (SELECT json_agg(district ORDER BY code) FROM membership_unit WHERE kind = %s),
  'cards', (SELECT json_agg(json_build_array(p.id, p.code, p.title, p.category, p.discipline, p.delivery,
                                             p.hours::text, p.credits::text, p.provider_name, f.n, f.seats, g.names)
                            ORDER BY {order})
              FROM ({page}) p
              LEFT JOIN LATERAL (SELECT count(*) AS n, sum(capacity) - sum(enrolled_count) AS seats
                                   FROM courses_courseclass
                                  WHERE course_id = p.id AND is_open AND ends_on >= %s) f ON true
              LEFT JOIN LATERAL (SELECT json_agg(tg.name ORDER BY tg."order", tg.code) AS names
                                   FROM courses_course_target_groups cg
                                   JOIN courses_targetgroup tg ON tg.id = cg.targetgroup_id
                                  WHERE cg.course_id = p.id) g ON true)
)
"""


@functools.lru_cache(maxsize=256)
def _menu_sql(filter_values: tuple, offset: int, page_size: int, today) -> tuple[str, tuple]:
    """_MENU_STATEMENT for these filters and page, compiled once per process (issue 13: the ORM
    took longer to compile the menu's queries than PostgreSQL to answer them). The key holds
    every value the SQL is made of; the results are never kept."""
    from membership.models import Unit

    filters = MenuFilters(*filter_values)
    courses = course_menu(filters=filters, today=today)
    sort = SORTS.get(filters.sort, SORTS["code"])
    extra = tuple(name for name in (field.lstrip("-") for field in sort) if name not in _CARD_COLUMNS)
    page_sql, page_params = courses.values_list(*_CARD_COLUMNS, *extra)[offset:offset + page_size].query.sql_with_params()
    words = _pair_words(filters)
    if words:
        count_sql, count_params = _pair_count(words)
    else:
        matching_sql, matching_params = courses.order_by().values("pk").query.sql_with_params()
        count_sql, count_params = f"SELECT count(*) FROM ({matching_sql}) matching", matching_params
        if _unfiltered(filters):
            # Every approved course: the number migration 0029's trigger keeps (counted as
            # above only if its row is missing, which no migration or flush leaves).
            count_sql = f"SELECT coalesce((SELECT approved FROM courses_menu_count), ({count_sql}))"
    # The page's order again over its rows: the sort's fields end with the unique code.
    order = ", ".join(f'p."{field.lstrip("-")}"' + (" DESC" if field.startswith("-") else "") for field in sort)
    sql = _MENU_STATEMENT.format(page=page_sql, count=count_sql, order=order)
    return sql, (*count_params, Unit.Kind.DISTRICT.value, *page_params, today)


def _unfiltered(filters: MenuFilters) -> bool:
    """Whether the menu is asked for every approved course (no search, no filter; any sort)."""
    return filters == MenuFilters(sort=filters.sort)


def _pair_words(filters: MenuFilters) -> tuple[str, ...] | None:
    """The search's words when the count of what it finds can be read from courses_menu_pair
    alone (migration 0027): a search with no other filter, each of whose words has one or two
    characters and is either compared case-insensitively (course_menu's icontains, for a word
    with a Latin letter: UPPER on both sides, as the pairs are made) or has no letter with a case
    (Chinese, digits, signs: LIKE and the upper-cased pairs agree). Such a word is in a title,
    description or provider exactly when its pair (or its character) is among theirs."""
    if (not filters.q or filters.category or filters.target_group or filters.delivery or filters.district
            or filters.discipline or filters.min_credits is not None or filters.free_seats):
        return None
    words = tuple(filters.q.split()[:5])
    for word in words:
        case_insensitive = any(c.isalpha() and c.isascii() for c in word)
        if len(word) > 2 or not (case_insensitive or all(c.upper() == c == c.lower() for c in word)):
            return None
    return words


# How many approved courses course_menu() finds for _pair_words' words (every word matched, in a
# title, description or provider, or as the course's code: code__iexact, served by migration
# 0027's index on upper(code)), from indexes alone: those holding every word's pair, counted from
# courses_menu_pair's primary key, and the few a word names by code that are not among them.
_PAIR_COUNT = """(SELECT count(*) FROM ({by_pairs}) by_pairs) + (
 SELECT count(*) FROM courses_course c
  WHERE c.status = %s AND upper(c.code::text) IN ({uppers}) AND ({each_word}) AND NOT ({every_pair}))"""
_PAIR_HELD = "EXISTS (SELECT FROM courses_menu_pair p WHERE p.gram = upper(%s) AND p.course_id = c.id)"


def _pair_count(words: tuple[str, ...]) -> tuple[str, tuple]:
    """The count of what course_menu() finds for these words (see _pair_words), as SQL."""
    by_pairs = " INTERSECT ".join(["SELECT course_id FROM courses_menu_pair WHERE gram = upper(%s)"] * len(words))
    sql = _PAIR_COUNT.format(
        by_pairs=by_pairs, uppers=", ".join(["upper(%s)"] * len(words)),
        each_word=" AND ".join([f"({_PAIR_HELD} OR upper(c.code::text) = upper(%s))"] * len(words)),
        every_pair=" AND ".join([_PAIR_HELD] * len(words)))
    params = (*words, Course.Status.APPROVED.value, *words,
              *(value for word in words for value in (word, word)), *words)
    return sql, params


# Each connection keeps the plans of the menu statements it ran last (PREPARE): planning the
# statement cost PostgreSQL as much as answering it (issue 13). The statements carry their values,
# so each plan is made for them, as a plain statement's would be.
_PREPARED_PER_CONNECTION = 64


def _menu_statement_run(filters: MenuFilters, number: int, page_size: int, today) -> dict:
    key = (filters.values(), (number - 1) * page_size, page_size, today)
    with connection.cursor() as cursor:
        prepared = getattr(connection, "_course_menu_prepared", None)
        if prepared is None or prepared[0] is not connection.connection:
            # A new connection (or the first): its session holds none of the statements.
            prepared = connection._course_menu_prepared = (connection.connection, OrderedDict())
        names = prepared[1]
        name = names.get(key)
        if name is None:
            if len(names) >= _PREPARED_PER_CONNECTION:
                _oldest, oldest_name = names.popitem(last=False)
                cursor.execute(f"DEALLOCATE {oldest_name}", ())
            name = f"course_menu_{next(_statement_numbers)}"
            sql, params = _menu_sql(*key)
            # The values written in (quoted by the driver), so that the plan is made for them.
            statement = cursor.mogrify(sql, params).decode().replace("%", "%%")
            cursor.execute(f"PREPARE {name} AS {statement}", ())
            names[key] = name
        else:
            names.move_to_end(key)
        cursor.execute(f"EXECUTE {name}", ())
        (data,) = cursor.fetchone()
    return data if isinstance(data, dict) else json.loads(data)


_statement_numbers = itertools.count(1)

def course_detail(*, code: str) -> Course:
    return (Course.objects.published().select_related("unit").prefetch_related("target_groups", "modules")
            .get(code=code))


def course_open_classes(*, course: Course) -> QuerySet:
    """EDU-3: the classes a worker may look at on a course's page, each with its sessions (the
    schedule) and their teachers."""
    from django.db.models import Prefetch

    from .models import ClassSession

    return (open_classes().filter(course=course).select_related("place", "teacher", "unit").order_by("starts_on")
            .prefetch_related(Prefetch("sessions", queryset=ClassSession.objects.select_related("teacher"))))


def _waiting_position():
    """The place of a waiting enrolment on its class's waiting list (1 = next to get a seat), as
    an expression for .annotate(); None for enrolments that are not waiting."""
    from django.db.models import Case, IntegerField, Value, When
    from django.db.models.functions import Coalesce

    ahead = (Enrolment.objects.filter(course_class=OuterRef("course_class"), status=Enrolment.Status.WAITLISTED)
             .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__lt=OuterRef("id")))
             .order_by().values("course_class").annotate(n=Count("pk")).values("n"))
    return Case(When(status=Enrolment.Status.WAITLISTED,
                     then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + Value(1)),
                default=None, output_field=IntegerField())


def worker_enrolments(*, worker) -> QuerySet:
    """A worker's enrolments, each with ``earned_credits``: what its completion wrote in the
    ledger (None before completion), not the course's credits of today."""
    from django.contrib.contenttypes.models import ContentType

    earned = CreditEntry.objects.filter(source_type=ContentType.objects.get_for_model(Enrolment),
                                        source_id=OuterRef("pk")).values("credits")[:1]
    return (Enrolment.objects.filter(worker=worker)
            .select_related("course_class__course", "course_class__place", "course_class__teacher", "certificate",
                            "dependant")
            .annotate(earned_credits=Subquery(earned), waiting_position=_waiting_position())
            .order_by("-created_at"))


def worker_activity_registrations(*, worker) -> QuerySet:
    """我的报名: the activities a worker signed up for that are not (yet) in the learning record —
    registered, absent or cancelled; taking part moves one to the record (EDU-8)."""
    from .models import ActivityRegistration

    return (ActivityRegistration.objects.filter(worker=worker).exclude(status=ActivityRegistration.Status.ATTENDED)
            .select_related("activity").order_by("-activity__starts_on", "-id"))


@dataclass
class LearningEntry:
    """One line of the lifelong learning record (EDU-8)."""

    on: object  # date
    kind: str  # "class", "training", "certificate", "activity", "courseware"
    source: str  # the credit rule's source
    title: str
    detail: str
    hours: object = None
    credits: object = None
    status: str = ""


def learning_record(*, worker) -> list[LearningEntry]:
    """EDU-8: every completed class (with its certificate), uploaded training and attended activity
    of a worker — completed items only — newest first, each with the credits its ledger entry holds (EDU-9)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import gettext as _

    from .models import ActivityRegistration, TrainingRecord

    earned = {(entry.source_type_id, entry.source_id): entry.credits
              for entry in CreditEntry.objects.filter(worker=worker).only("source_type_id", "source_id", "credits")}

    def credits_of(model, pk):
        return earned.get((ContentType.objects.get_for_model(model).pk, pk))

    entries: list[LearningEntry] = []
    # EDU-8: the record holds what was learned, not what was booked: enrolled, waiting and
    # cancelled classes (and activities only registered for) stay under 我的报名.
    # EDU-7: a child's class is the child's, never the parent's learning.
    for enrolment in worker_enrolments(worker=worker).own().filter(status=Enrolment.Status.COMPLETED):
        course = enrolment.course_class.course
        # A completion counts on its day; one recorded without a day, on the class's last day.
        earned_on = enrolment.completed_on or enrolment.course_class.ends_on
        entries.append(LearningEntry(
            on=earned_on, kind="class", source="course",
            title=course.title, detail=enrolment.course_class.name, hours=enrolment.attended_hours,
            credits=enrolment.earned_credits, status=enrolment.get_status_display(),
        ))
        certificate = getattr(enrolment, "certificate", None)
        if certificate is not None:
            entries.append(LearningEntry(on=certificate.issued_on, kind="certificate", source="", title=course.title,
                                         detail=_("Certificate %(code)s") % {"code": certificate.code}))
    for record in TrainingRecord.objects.filter(worker=worker).order_by("-completed_on"):
        entries.append(LearningEntry(
            on=record.completed_on, kind="training", source="training", title=record.project,
            detail=" · ".join(x for x in (record.get_kind_display(), record.institution, record.result) if x),
            hours=record.hours, credits=credits_of(TrainingRecord, record.pk),
            status=_("Completed"),
        ))
    for registration in (ActivityRegistration.objects.filter(worker=worker, status=ActivityRegistration.Status.ATTENDED)
                         .select_related("activity")):
        activity = registration.activity
        entries.append(LearningEntry(
            on=activity.ends_on, kind="activity", source="activity",
            title=activity.title, detail=" · ".join(x for x in (activity.get_kind_display(), registration.outcome)
                                                    if x),
            credits=credits_of(ActivityRegistration, registration.pk),
            status=registration.get_status_display(),
        ))
    # EDU-4: a course's courseware finished in the player (courses.courseware_progress).
    for completion in CoursewareCompletion.objects.filter(worker=worker).select_related("course"):
        entries.append(LearningEntry(
            on=completion.completed_on, kind="courseware", source="courseware", title=completion.course.title,
            detail=_("Courseware completed"), credits=credits_of(CoursewareCompletion, completion.pk),
            status=_("Completed"),
        ))
    entries.sort(key=lambda entry: (entry.on, entry.kind), reverse=True)
    return entries


@dataclass
class CreditAccountSummary:
    """EDU-9: a worker's credit bank as the ledger holds it."""

    earned: Decimal = ZERO
    converted: Decimal = ZERO
    balance: Decimal = ZERO
    by_year: dict[int, Decimal] = field(default_factory=dict)
    entries: list = field(default_factory=list)


def credit_account(*, worker) -> CreditAccountSummary:
    """The ledger's entries of a worker, newest first, with their sums: one query."""
    account = CreditAccountSummary(entries=list(CreditEntry.objects.filter(worker=worker).order_by("-earned_on", "-id")))
    for entry in account.entries:
        if entry.credits >= 0:
            account.earned += entry.credits
            account.by_year[entry.earned_on.year] = account.by_year.get(entry.earned_on.year, ZERO) + entry.credits
        else:
            account.converted -= entry.credits
    account.balance = account.earned - account.converted
    return account


def upcoming_activities(*, kind: str = "", q: str = "") -> QuerySet:
    from .models import Activity

    activities = Activity.objects.filter(ends_on__gte=timezone.localdate()).select_related("unit").order_by("starts_on", "id")
    if kind:
        activities = activities.filter(kind=kind)
    if q:
        activities = activities.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return activities


# The public pages' reads (courses/views.py): each returns what one page shows, nothing more.


# Both lists in one round trip: target groups in their order, districts by unit code.
_MENU_CHOICES_SQL = """
SELECT 'group', "order", code, name FROM courses_targetgroup
UNION ALL
SELECT 'district', 0, code, district FROM membership_unit WHERE kind = %s
ORDER BY 1, 2, 3
"""


def menu_choices() -> tuple[list[tuple[str, str]], list[str]]:
    """EDU-1: the menu's target-group filter, as (code, name), and its districts' names, in one
    round trip (issue 13)."""
    from membership.models import Unit

    with connection.cursor() as cursor:
        cursor.execute(_MENU_CHOICES_SQL, [Unit.Kind.DISTRICT.value])
        rows = cursor.fetchall()
    return ([(code, name) for kind, _order, code, name in rows if kind == "group"],
            [name for kind, _order, _code, name in rows if kind == "district"])


def course_courseware(*, course: Course) -> list:
    """EDU-4: the courseware listed on a course's page."""
    return list(course.courseware.all())


def worker_class_statuses(*, worker, classes) -> dict[int, str]:
    """The worker's own active enrolment status in each of these classes, by class id (a course
    page shows 已报名 or 候补 instead of the button)."""
    if worker is None:
        return {}
    return dict(Enrolment.objects.own().filter(worker=worker, course_class__in=classes, status__in=Enrolment.ACTIVE)
                .values_list("course_class_id", "status"))


def worker_waiting_positions(*, worker, classes) -> dict[int, int]:
    """The worker's own place on the waiting list of each of these classes they wait for."""
    if worker is None:
        return {}
    return dict(Enrolment.objects.own().filter(worker=worker, course_class__in=classes, status=Enrolment.Status.WAITLISTED)
                .annotate(position=_waiting_position()).values_list("course_class_id", "position"))


def worker_children_places(*, worker, classes) -> dict[int, list]:
    """EDU-7: the worker's children's live enrolments in each of these classes, by class id."""
    if worker is None:
        return {}
    places: dict[int, list] = {}
    for enrolment in (Enrolment.objects.filter(worker=worker, dependant__isnull=False, course_class__in=classes,
                                               status__in=Enrolment.ACTIVE)
                      .select_related("dependant").annotate(waiting_position=_waiting_position())):
        places.setdefault(enrolment.course_class_id, []).append(enrolment)
    return places


def course_takes_dependants(*, course: Course) -> bool:
    """EDU-7: whether a course is for 困难职工及其子女, whose classes take workers' children (reads
    the course's prefetched target groups)."""
    from .models import DEPENDANT_TARGET_GROUP

    return any(group.code == DEPENDANT_TARGET_GROUP for group in course.target_groups.all())


def worker_dependants(*, worker) -> QuerySet:
    """EDU-7: the children a worker has named."""
    from .models import Dependant

    if worker is None:
        return Dependant.objects.none()
    return Dependant.objects.filter(worker=worker).order_by("name")


def enrolment_attendance_summary(*, enrolments) -> dict[int, tuple[int, int]]:
    """(sessions attended, sessions held so far or planned) per enrolment id, for 我的报名."""
    from .models import Attendance, ClassSession

    enrolments = list(enrolments)
    totals = dict(ClassSession.objects.filter(course_class_id__in={e.course_class_id for e in enrolments}).order_by()
                  .values("course_class_id").annotate(n=Count("pk")).values_list("course_class_id", "n"))
    attended = dict(Attendance.objects.filter(enrolment__in=enrolments, present=True).order_by()
                    .values("enrolment_id").annotate(n=Count("pk")).values_list("enrolment_id", "n"))
    return {e.pk: (attended.get(e.pk, 0), totals.get(e.course_class_id, 0)) for e in enrolments}


def enrolable_classes() -> QuerySet:
    """Classes a worker may ask to enrol in by id; enrolment_create decides whether they may."""
    return CourseClass.objects.select_related("course")


def registrable_activities() -> QuerySet:
    """Activities a worker may ask to register for by id; activity_register decides whether they may."""
    return Activity.objects.all()


def worker_registered_activity_ids(*, worker, activities) -> set[int]:
    """Which of these activities the worker is registered for (not cancelled)."""
    if worker is None:
        return set()
    return set(ActivityRegistration.objects.filter(worker=worker, activity__in=list(activities))
               .exclude(status=ActivityRegistration.Status.CANCELLED).values_list("activity_id", flat=True))


def published_courseware() -> QuerySet:
    """EDU-4: courseware of approved courses only, the public site's only courseware."""
    return Courseware.objects.filter(course__status=Course.Status.APPROVED).select_related("course")


def training_certificate_by_code(*, code: str):
    """EDU-3: the class certificate with this verification code, or None."""
    if not code:
        return None
    return (Certificate.objects.select_related("enrolment__worker", "enrolment__course_class__course")
            .filter(code=code).first())


def transcript_issue_by_code(*, code: str):
    """EDU-8: the issued transcript with this verification code, or None."""
    from .models import TranscriptIssue

    if not code:
        return None
    return TranscriptIssue.objects.select_related("worker").filter(code=code).first()


def name_masked(name: str) -> str:
    """A name as a public page shows it: the family name and the last character (张*三, 李*)."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def learning_record_and_account(*, worker) -> tuple[list[LearningEntry], CreditAccountSummary]:
    """EDU-8/9: the worker's learning record and their credit account, both read from the ledger
    (我的学习 and the transcripts show the same figures)."""
    return learning_record(worker=worker), credit_account(worker=worker)


# A word naming more classes or children than this is matched by a join instead.
SEARCH_RELATED_IDS = 2_000


def _ids_or_join(field: str, related: QuerySet, matches: Q, joined: Q) -> Q:
    ids = list(related.filter(matches).values_list("pk", flat=True)[:SEARCH_RELATED_IDS + 1])
    return Q(**{f"{field}__in": ids}) if len(ids) <= SEARCH_RELATED_IDS else joined


def _by_worker_name(word: str, field: str = "worker") -> Q:
    ids = worker_ids_named(word)
    return ids_in(f"{field}_id", ids) if ids is not None else Q(**{f"{field}__name__icontains": word})


def training_record_search(queryset: QuerySet, term: str) -> QuerySet:
    """Issue 13: the training-record list's search, the rows the admin's own search over
    ``worker__name``, ``project`` and ``institution`` finds (every word in one of them), served by
    indexes among millions: the workers named are looked up first through their pairs index, then
    their records by the worker index, ORed with the record's own pairs index (migration 0026).
    The admin's join on the worker's name ORed with the record's columns read every record."""
    for word in search_words(term):
        # The LIKE first: where PostgreSQL tests rows one by one rather than through the index
        # (a district's few units), it spares the PL/pgSQL pairs of every row that fails it.
        own = (Q(project__icontains=word) | Q(institution__icontains=word)) & grams_match(
            F("project"), F("institution"), word)
        queryset = queryset.filter(_by_worker_name(word) | own)
    return queryset


def credit_entry_search(queryset: QuerySet, term: str) -> QuerySet:
    """Issue 13: the ledger's search over ``worker__name`` and ``cause`` (training_record_search's
    way; the cause's pairs index is migration 0026's)."""
    for word in search_words(term):
        own = Q(cause__icontains=word) & grams_match(F("cause"), Value(""), word)
        queryset = queryset.filter(_by_worker_name(word) | own)
    return queryset


def enrolment_search(queryset: QuerySet, term: str) -> QuerySet:
    """Issue 13: the enrolment list's search over ``worker__name``, ``dependant__name``,
    ``course_class__name`` and ``course_class__course__title``: the workers, children and classes
    named are looked up first (the workers through their pairs index; children and classes are
    small tables), then the enrolments by the three foreign-key indexes, which PostgreSQL ORs."""
    for word in search_words(term):
        children = _ids_or_join("dependant_id", Dependant.objects.all(), Q(name__icontains=word),
                                Q(dependant__name__icontains=word))
        classes = _ids_or_join("course_class_id", CourseClass.objects.all(),
                               Q(name__icontains=word) | Q(course__title__icontains=word),
                               Q(course_class__name__icontains=word) | Q(course_class__course__title__icontains=word))
        queryset = queryset.filter(_by_worker_name(word) | children | classes)
    return queryset
