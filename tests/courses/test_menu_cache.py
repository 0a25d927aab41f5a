"""EDU-1 at city scale (issue 13): the course menu's shared part is kept in the cache
(courses/menu_cache.py) and is never stale after a change of what it shows, whatever the path;
the per-user parts of the page are never shared."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from courses import menu_cache, review, services
from courses.models import Course, Enrolment, TargetGroup
from portal.frame import render_framed
from tests.factories import UserFactory, WorkerFactory, class_create, course_create


def _menu(client, **query) -> str:
    return client.get(reverse("courses:menu"), query).content.decode()


def _card(html: str, title: str) -> str:
    cards = [card.split("</li>")[0] for card in html.split('<li class="card">')[1:] if f">{title}</a>" in card]
    return cards[0] if cards else ""


@pytest.fixture(autouse=True)
def _english(client):
    # The cards' English words (the site's language is Chinese unless a visitor picks another).
    client.cookies["django_language"] = "en"


@pytest.fixture
def menu(client, tree, django_assert_num_queries):
    """The menu as a visitor sees it, read into the cache and proven to be served from it (no
    query), so that the next request after a change shows whether the change replaced it."""
    def read(**query):
        first = _menu(client, **query)
        with django_assert_num_queries(0):
            assert _without_tokens(_menu(client, **query)) == _without_tokens(first)
        return first
    return read


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)


def test_a_second_request_is_answered_from_the_cache(client, tree, django_assert_num_queries):
    course_create(tree["root"], title="焊接技术基础")
    first = _menu(client, q="焊接")
    with django_assert_num_queries(0):
        second = _menu(client, q="焊接")
    assert _without_tokens(second) == _without_tokens(first) and "焊接技术基础" in second


def test_an_edited_course_shows_at_once(client, tree, menu):
    course = course_create(tree["root"], title="焊接技术基础")
    menu()
    review.course_update(course=course, by=None, fields={"title": "焊接技术进阶"})
    html = _menu(client)
    assert "焊接技术进阶" in html and "焊接技术基础" not in html


def test_an_approved_course_enters_and_a_withdrawn_one_leaves_at_once(client, tree, menu):
    waiting = course_create(tree["root"], title="待批课程", status="submitted")
    leaving = course_create(tree["root"], title="撤下课程")
    assert "撤下课程" in menu() and "待批课程" not in _menu(client)
    # What course_decide writes, and what the admin writes when a unit takes a course back.
    waiting.status = Course.Status.APPROVED
    waiting.save(update_fields=["status", "updated_at"])
    leaving.status = Course.Status.REJECTED
    leaving.save(update_fields=["status", "updated_at"])
    html = _menu(client)
    assert "待批课程" in html and "撤下课程" not in html


def test_a_new_class_and_a_changed_capacity_show_at_once(client, tree, menu):
    course = course_create(tree["root"], title="焊接技术基础")
    assert "No open class at the moment" in _card(menu(), "焊接技术基础")
    today = timezone.localdate()
    course_class = services.course_class_create(course=course, name="焊接一期", unit=tree["root"], capacity=10,
                                                starts_on=today + dt.timedelta(days=7),
                                                ends_on=today + dt.timedelta(days=14))
    assert "10 seats left" in _card(menu(), "焊接技术基础")
    services.course_class_update(course_class=course_class, capacity=12)
    assert "12 seats left" in _card(_menu(client), "焊接技术基础")


def test_an_enrolment_added_and_withdrawn_shows_at_once(client, tree, menu):
    course_class = class_create(course_create(tree["root"], title="焊接技术基础"), capacity=2)
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    assert "2 seats left" in _card(menu(), "焊接技术基础")
    enrolment = services.enrolment_create(worker=worker, course_class=course_class)
    assert "1 seats left" in _card(menu(), "焊接技术基础")
    services.enrolment_withdraw(enrolment=Enrolment.objects.get(pk=enrolment.pk), reason="单位调整")
    assert "2 seats left" in _card(_menu(client), "焊接技术基础")


def test_a_full_class_and_a_target_group_show_at_once(client, tree, menu):
    course = course_create(tree["root"], title="焊接技术基础")
    course_class = class_create(course, capacity=1)
    assert "1 seats left" in _card(menu(), "焊接技术基础")
    services.enrolment_create(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), course_class=course_class)
    assert "Full: waiting list" in _card(menu(), "焊接技术基础")
    course.target_groups.set(TargetGroup.objects.filter(code="migrant"))
    assert TargetGroup.objects.get(code="migrant").name in _card(_menu(client), "焊接技术基础")


def test_the_version_is_replaced_again_once_the_change_commits(tree, django_capture_on_commit_callbacks):
    course = course_create(tree["root"])
    before = menu_cache.MENU.version()
    with django_capture_on_commit_callbacks() as callbacks:
        course.title = "新标题"
        course.save(update_fields=["title", "updated_at"])
    during = menu_cache.MENU.version()
    assert during != before and callbacks
    for callback in callbacks:
        callback()
    assert menu_cache.MENU.version() not in (before, during)


def test_a_visitors_own_parameters_never_reach_the_shared_page(client, tree):
    course_create(tree["root"], title="焊接技术基础")
    html = _menu(client, q="焊接", utm="evil")
    assert "evil" not in html.split("<main>")[1]
    assert "evil" not in _menu(client, q="焊接").split("<main>")[1]


def test_the_frame_is_each_users_own(client, tree):
    course_create(tree["root"], title="焊接技术基础")
    anonymous = _menu(client)
    user = UserFactory(username="wang-wei", first_name="王伟")
    client.force_login(user)
    logged_in = _menu(client)
    assert "王伟" in logged_in and "Log out" in logged_in and "焊接技术基础" in logged_in
    assert "王伟" not in anonymous and "Log out" not in anonymous
    client.logout()
    again = _menu(client)
    assert "王伟" not in again and "Log out" not in again
    assert _token(again) and _token(again) != _token(logged_in)


@pytest.mark.parametrize("path", ["/", "/?q=%E7%84%8A%E6%8E%A5&x=%22%3E%3Cscript%3E", "/?q=a%26b&next=//evil"])
def test_the_joined_frame_is_the_template_rendered(rf: RequestFactory, db, path):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore

    def request():
        made = rf.get(path)
        made.user, made.session = AnonymousUser(), SessionStore()
        made._messages = FallbackStorage(made)
        return made

    content = mark_safe("<p>共享部分 PORTALFRAMEPATH:7b2f90 PORTALFRAMETOKEN0c5e1d</p>")
    framed = render_framed(request(), "courses/menu.html", content).content.decode()
    rendered = render(request(), "courses/menu.html", {"content": content}).content.decode()
    assert _without_tokens(framed) == _without_tokens(rendered)
    assert _token(framed)
