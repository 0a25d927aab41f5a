"""Issue 11 (Speed): the leadership page is kept whole per viewer (reporting/views.py:_render with
portal/frame.py's markers). Each viewer sees their own name, a working CSRF token and their own
address; a waiting message is shown once and never kept; a finished run still changes the page."""
from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client
from django.urls import reverse

from membership import scoping
from reporting import services
from reporting.models import Run
from tests.factories import UserFactory, funds_return_create

pytestmark = pytest.mark.django_db


def _leader(tree, username: str, first_name: str):
    user = UserFactory(username=username, first_name=first_name, unit=tree["root"])
    user.groups.add(tree["groups"][scoping.LEADERSHIP_GROUP])
    return user


@pytest.fixture
def computed(tree):
    funds_return_create(tree["chaoyang_enterprise"], 2012, payroll="1000", extracted="15", spent="10", frontline="6")
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2011, 2012])


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_each_viewer_gets_their_own_name_and_a_working_token(tree, computed):
    first, second = _leader(tree, "leader-a", "甲领导"), _leader(tree, "leader-b", "乙领导")
    pages = {}
    for user in (first, second, first):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        page = browser.get(reverse("reporting:dashboard")).content.decode()
        pages.setdefault(user.username, []).append(page)
        assert user.first_name in page
        assert ({"甲领导", "乙领导"} - {user.first_name}).pop() not in page
        # The token written into the kept page is this browser's: logging out with it works.
        response = browser.post(reverse("admin:logout"), {"csrfmiddlewaretoken": _token(page)})
        assert response.status_code == 200 and "_auth_user_id" not in browser.session
    assert _token(pages["leader-a"][0]) != _token(pages["leader-a"][1])


def test_a_renamed_viewer_sees_the_new_name(client, tree, computed):
    user = _leader(tree, "leader-c", "丙领导")
    client.force_login(user)
    assert "丙领导" in client.get(reverse("reporting:dashboard")).content.decode()
    user.first_name = "丁领导"
    user.save()
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert "丁领导" in page and "丙领导" not in page


def test_the_language_switch_returns_to_this_requests_address(client, tree, computed):
    client.force_login(_leader(tree, "leader-d", "戊领导"))
    client.get(reverse("reporting:dashboard"), {"year": "2012"})
    page = client.get(reverse("reporting:dashboard"), {"year": "2012", "from": '<"x">'}).content.decode()
    assert 'name="next" type="hidden" value="/reporting/?year=2012&amp;from=%3C%22x%22%3E"' in page


def test_a_waiting_message_is_shown_once_and_not_kept(client, tree, computed):
    client.force_login(_leader(tree, "leader-e", "己领导"))
    client.get(reverse("reporting:dashboard"))
    storage = CookieStorage(None)
    client.cookies[CookieStorage.cookie_name] = storage._encode([Message(constants.INFO, "请注意：一条测试消息")])
    assert "请注意：一条测试消息" in client.get(reverse("reporting:dashboard")).content.decode()
    assert CookieStorage.cookie_name not in client.cookies or not client.cookies[CookieStorage.cookie_name].value
    assert "请注意：一条测试消息" not in client.get(reverse("reporting:dashboard")).content.decode()


def test_a_finished_run_changes_the_kept_page(client, tree, computed):
    client.force_login(_leader(tree, "leader-f", "庚领导"))
    assert "6 / 10" in client.get(reverse("reporting:dashboard"), {"year": "2012"}).content.decode()
    funds_return_create(tree["haidian_enterprise"], 2012, payroll="100", extracted="3", spent="10", frontline="1")
    assert "6 / 10" in client.get(reverse("reporting:dashboard"), {"year": "2012"}).content.decode()
    services.run_compute(trigger=Run.Trigger.COMMAND, years=[2011, 2012])
    page = client.get(reverse("reporting:dashboard"), {"year": "2012"}).content.decode()
    assert "7 / 20" in page and "6 / 10" not in page
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_a_kept_page_costs_three_queries(client, tree, computed, django_assert_num_queries):
    """The session, the account with its unit (the viewer's subtree) and the permissions version (the
    names themselves only when the version moved on: membership/backends.py), the last complete run
    with the current plan (one statement) — whatever the number of units, indicators or runs."""
    client.force_login(_leader(tree, "leader-q", "戊领导"))
    assert client.get(reverse("reporting:dashboard")).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(reverse("reporting:dashboard")).status_code == 200
