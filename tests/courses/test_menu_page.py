"""EDU-1 at city scale (issue 13): on PostgreSQL the menu's page comes from one hand-built
statement (courses.selectors.menu_page); it must show exactly what the ORM's way shows (the
SQLite demo's way, menu_page_orm): the same courses in the same order, the same count, page,
figures, groups and filter choices, and the same HTML. On SQLite both sides are the ORM's."""
from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import astuple, replace
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import selectors
from courses.models import Course, TargetGroup
from tests.factories import class_create, course_create

PAGE_SIZE = 3
FIELDS = ("pk", "code", "title", "category", "discipline", "delivery", "hours", "credits", "provider_name")


@pytest.fixture
def courses(tree):
    """Courses of every kind the filters tell apart, with open, closed, ended and full classes."""
    today = timezone.localdate()
    groups = list(TargetGroup.objects.order_by("order", "code"))
    made = []
    shapes = itertools.product(("job", "culture"), ("offline", "online"), (Decimal(1), Decimal("2.5"), Decimal(4)))
    for number, (category, delivery, credits) in enumerate(shapes):
        unit = (tree["root"], tree["chaoyang"], tree["haidian"])[number % 3]
        course = course_create(unit, title=("焊接技术基础", "职工书画", "电工焊接安全", "Office 软件")[number % 4] + str(number),
                               description=("焊接工时统计" if number % 5 == 0 else "基础知识"), category=category,
                               delivery=delivery, credits=credits, code=f"M{(number * 7) % 12:03d}{number}",
                               discipline="photography" if category == "culture" and number % 2 else "",
                               status="submitted")
        # Hours of every shape (the factory gives 16), set before the course is approved.
        Course.objects.filter(pk=course.pk).update(hours=Decimal((8, 16, "32.5")[number % 3]), status="approved")
        course.target_groups.set(groups[number % len(groups):][:number % 3])
        if number % 4 == 0:
            class_create(course, unit=tree["haidian"], capacity=5, starts_on=today + dt.timedelta(days=number))
            class_create(course, capacity=2, enrolled_count=2, starts_on=today + dt.timedelta(days=3))
        elif number % 4 == 1:
            full = class_create(course, unit=tree["chaoyang"], capacity=1, enrolled_count=1)
            full.save(update_fields=["enrolled_count"])
        elif number % 4 == 2:
            class_create(course, ends_on=today - dt.timedelta(days=1), starts_on=today - dt.timedelta(days=9))
            class_create(course, is_open=False)
        made.append(course)
    course_create(tree["root"], title="焊接待评审", status="submitted")
    course_create(tree["root"], title="焊接被退回", status="rejected")
    return made


def _seen(menu: selectors.MenuPage):
    return (menu.count, menu.number, menu.group_choices, menu.districts,
            [(tuple(getattr(card.course, name) for name in FIELDS), card.open_class_count, card.seats_left, card.groups)
             for card in menu.cards])


FILTERS = [
    selectors.MenuFilters(),
    selectors.MenuFilters(q="焊接"),
    selectors.MenuFilters(q="焊接 安全"),
    selectors.MenuFilters(q="office"),
    selectors.MenuFilters(q="无此课程"),
    # Written into the prepared statement: quotes, backslashes and percent signs stay the visitor's.
    selectors.MenuFilters(q="焊%接 o'ffice\\ %s %%"),
    selectors.MenuFilters(category="culture"),
    selectors.MenuFilters(delivery="online", min_credits=Decimal(2)),
    selectors.MenuFilters(discipline="photography"),
    selectors.MenuFilters(target_group="migrant"),
    selectors.MenuFilters(district="朝阳"),
    selectors.MenuFilters(district="海淀", free_seats=True),
    selectors.MenuFilters(free_seats=True),
    selectors.MenuFilters(q="焊接", category="job", free_seats=True),
]


@pytest.mark.parametrize("sort", ["code", "title", "credits", "hours", "starts"])
def test_menu_page_shows_what_the_orm_shows(courses, sort):
    for filters, number in itertools.product(FILTERS, (None, 1, 2, 3, 99)):
        filters = replace(filters, sort=sort)
        expected = selectors.menu_page_orm(filters=filters, number=number, page_size=PAGE_SIZE)
        assert _seen(selectors.menu_page(filters=filters, number=number, page_size=PAGE_SIZE)) == _seen(expected), (
            astuple(filters), number)


def test_menu_page_counts_every_match_and_falls_back_to_the_last_page(courses):
    menu = selectors.menu_page(filters=selectors.MenuFilters(), number=99, page_size=PAGE_SIZE)
    assert menu.count == len(courses) == 12
    assert menu.number == 4 and len(menu.cards) == 3
    empty = selectors.menu_page(filters=selectors.MenuFilters(q="无此课程"), number=5, page_size=PAGE_SIZE)
    assert (empty.count, empty.number, empty.cards) == (0, 1, [])


def test_menu_page_follows_a_change_at_once(courses):
    """The statements are kept, never their answers: a change shows on the next request."""
    filters = selectors.MenuFilters(q="焊接")
    before = selectors.menu_page(filters=filters, number=1, page_size=PAGE_SIZE)
    course_create(courses[0].unit, title="焊接新课", code="A000")
    after = selectors.menu_page(filters=filters, number=1, page_size=PAGE_SIZE)
    assert after.count == before.count + 1
    assert after.cards[0].course.title == "焊接新课"


def test_menu_page_is_right_when_the_connection_drops_old_statements(courses, monkeypatch):
    monkeypatch.setattr(selectors, "_PREPARED_PER_CONNECTION", 2)
    for _round in range(2):
        for filters in FILTERS[:5]:
            expected = selectors.menu_page_orm(filters=filters, number=1, page_size=PAGE_SIZE)
            assert _seen(selectors.menu_page(filters=filters, number=1, page_size=PAGE_SIZE)) == _seen(expected)


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize("query", [{}, {"q": "焊接"}, {"category": "job", "free": "1"}, {"sort": "starts", "page": "2"},
                                   {"page": "9"}, {"group": "migrant"}])
def test_menu_html_is_the_same_either_way(client, courses, monkeypatch, settings, query):
    settings.COURSE_MENU_CACHE = False
    monkeypatch.setattr("courses.views.MENU_PAGE_SIZE", PAGE_SIZE)
    fast = client.get(reverse("courses:menu"), query)
    monkeypatch.setattr(selectors, "menu_page", selectors.menu_page_orm)
    orm = client.get(reverse("courses:menu"), query)
    assert fast.status_code == orm.status_code == 200
    assert _without_tokens(fast.content.decode()) == _without_tokens(orm.content.decode())
    assert '<li class="card">' in fast.content.decode()


def test_menu_form_shows_a_new_target_group_and_district_at_once(client, courses, settings):
    """The form is rendered once per filters and lists, the lists read with every page: a new
    group or district is an option on the next page, with or without the menu's cache."""
    from membership.models import Unit

    settings.COURSE_MENU_CACHE = False
    menu = reverse("courses:menu")
    assert "银发职工" not in client.get(menu).content.decode()
    TargetGroup.objects.create(code="silver", name="银发职工", order=99)
    district = Unit.objects.filter(kind=Unit.Kind.DISTRICT).first()
    Unit.objects.filter(pk=district.pk).update(district="新区名")
    html = client.get(menu, {"group": "silver"}).content.decode()
    assert '<option value="silver" selected>银发职工</option>' in html
    assert '<option value="新区名">新区名</option>' in html
    assert '<option value="silver">银发职工</option>' in client.get(menu).content.decode()


def test_menu_page_finds_quotes_backslashes_and_percent_signs_as_written(tree):
    """The statement is prepared with the visitor's words written in: they stay words."""
    course_create(tree["root"], title="焊%接达标", description="o'ffice\\ 与 %s 和 100%%")
    course_create(tree["root"], title="焊接达标")
    filters = selectors.MenuFilters(q="焊%接 o'ffice\\ %s %%")
    menu = selectors.menu_page(filters=filters, number=1, page_size=PAGE_SIZE)
    assert [card.course.title for card in menu.cards] == ["焊%接达标"] and menu.count == 1
    assert _seen(menu) == _seen(selectors.menu_page_orm(filters=filters, number=1, page_size=PAGE_SIZE))


SHORT_WORDS = ["焊接", "接", "wz", "WZ", "w", "c1", "C", "1", "É", "é", "tÉ", "焊接 wz", "焊接 基", "焊接 焊接", "wz 入门",
               "%", "焊%", "无此"]


@pytest.fixture
def short_word_courses(tree):
    """Words of one or two characters found in titles, descriptions, providers and codes."""
    course_create(tree["root"], title="焊接基础", code="WZ")
    course_create(tree["root"], title="电工", description="wz 入门", code="C1")
    course_create(tree["root"], title="Été 摄影", code="C2")
    course = course_create(tree["root"], title="été 书画", code="C3")
    Course.objects.filter(pk=course.pk).update(provider_name="焊%接学校")
    course_create(tree["root"], title="焊接待评审", code="C4", status="submitted")
    course_create(tree["root"], title="焊接被退回", code="wz1", status="rejected")


@pytest.mark.parametrize("q", SHORT_WORDS)
def test_a_search_of_short_words_counts_what_the_orm_counts(short_word_courses, q):
    """Migration 0027: searches of one- and two-character words are counted from the pairs table
    (and codes by upper(code)); the count is the ORM's, the same courses on the page."""
    filters = selectors.MenuFilters(q=q)
    expected = selectors.menu_page_orm(filters=filters, number=1, page_size=PAGE_SIZE)
    assert _seen(selectors.menu_page(filters=filters, number=1, page_size=PAGE_SIZE)) == _seen(expected)


def test_only_words_the_pairs_decide_are_counted_from_them(settings):
    pair_words = selectors._pair_words
    assert pair_words(selectors.MenuFilters(q="焊接 wz 1")) == ("焊接", "wz", "1")
    # Letters with a case outside ASCII are compared as written (contains), the pairs upper-cased.
    assert pair_words(selectors.MenuFilters(q="é")) is None
    assert pair_words(selectors.MenuFilters(q="焊接技术")) is None
    assert pair_words(selectors.MenuFilters(q="焊接", category="job")) is None
    assert pair_words(selectors.MenuFilters(q="焊接", free_seats=True)) is None


def test_the_pairs_follow_every_change_of_a_course(tree):
    """The triggers of migration 0027 keep courses_menu_pair in step: a new, renamed, approved,
    withdrawn or deleted course is counted as the ORM counts it, in the same transaction."""
    from courses.models import Course

    def assert_counted(q, expected):
        filters = selectors.MenuFilters(q=q)
        menu = selectors.menu_page(filters=filters, number=1, page_size=PAGE_SIZE)
        assert menu.count == selectors.menu_page_orm(filters=filters, number=1, page_size=PAGE_SIZE).count == expected

    course = course_create(tree["root"], title="焊接基础", code="K1", status="submitted")
    assert_counted("焊接", 0)
    Course.objects.filter(pk=course.pk).update(status="approved")
    assert_counted("焊接", 1)
    course.title = "电工基础"
    course.save(update_fields=["title"])
    assert_counted("焊接", 0)
    assert_counted("电工", 1)
    Course.objects.filter(pk=course.pk).update(provider_name="焊接学校")
    assert_counted("焊接", 1)
    assert_counted("k1", 1)
    Course.objects.filter(pk=course.pk).update(status="rejected")
    assert_counted("电工", 0)
    assert_counted("k1", 0)
    Course.objects.filter(pk=course.pk).update(status="approved")
    assert_counted("电工", 1)
    course.delete()
    assert_counted("电工", 0)


def _plain_count() -> int:
    filters = selectors.MenuFilters()
    menu = selectors.menu_page(filters=filters, number=1, page_size=PAGE_SIZE)
    assert menu.count == selectors.menu_page_orm(filters=filters, number=1, page_size=PAGE_SIZE).count
    return menu.count


def test_the_plain_menus_count_follows_every_change_of_a_course(tree):
    """Migration 0029's trigger keeps the number of approved courses that the plain menu (no
    search, no filter) shows: a course made approved or not, approved by an UPDATE of many rows,
    withdrawn, deleted, in the same transaction; a rolled-back change leaves it as it was."""
    from django.db import transaction

    assert _plain_count() == 0
    first = course_create(tree["root"], code="C1", status="submitted")
    assert _plain_count() == 0
    second = course_create(tree["root"], code="C2", status="approved")
    assert _plain_count() == 1
    Course.objects.filter(pk__in=[first.pk, second.pk]).update(status="approved")
    assert _plain_count() == 2
    second.title = "改名"
    second.save()
    assert _plain_count() == 2
    Course.objects.filter(pk=first.pk).update(status="rejected")
    assert _plain_count() == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        Course.objects.filter(pk=first.pk).update(status="approved")
        assert _plain_count() == 2
        raise RuntimeError
    assert _plain_count() == 1
    second.delete()
    assert _plain_count() == 0
    # Any sort is the same plain menu; a filter is counted as before.
    course_create(tree["root"], code="C3", status="approved")
    for sort in ("title", "credits", "starts"):
        assert selectors.menu_page(filters=selectors.MenuFilters(sort=sort), number=1, page_size=PAGE_SIZE).count == 1
    assert selectors.menu_page(filters=selectors.MenuFilters(category="culture"), number=1,
                               page_size=PAGE_SIZE).count == Course.objects.published().filter(category="culture").count()


@pytest.mark.django_db(transaction=True)
def test_the_plain_menus_count_is_zero_after_the_courses_are_truncated(tree):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the count is kept by a PostgreSQL trigger")
    course_create(tree["root"], code="C1", status="approved")
    assert _plain_count() == 1
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE courses_course CASCADE")
    assert _plain_count() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT approved FROM courses_menu_count")
        assert cursor.fetchall() == [(0,)]


def test_menu_filters_values_are_every_field_in_order():
    """MenuFilters.values() keys the menu's compiled statements and form: it must name every field,
    as astuple() did, or two menus would share one statement."""
    filters = selectors.MenuFilters(q="焊接", category="job", target_group="g", delivery="online", district="朝阳区",
                                    min_credits=Decimal("2"), free_seats=True, sort="title", discipline="music")
    assert filters.values() == astuple(filters)
    assert len(set(filters.values())) == len(astuple(selectors.MenuFilters())) == 9
