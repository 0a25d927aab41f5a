"""EDU-8: who the worker behind a request is, asked in one place (membership.selectors.current_worker),
and the gate of every app's worker-only pages (membership.decorators.worker_required)."""
from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from membership.decorators import worker_required
from membership.selectors import current_worker
from tests.factories import UserFactory, WorkerFactory


def _request(user):
    request = RequestFactory().get("/me/?tab=record")
    request.user = user
    return request


@worker_required
def _page(request, worker):
    return HttpResponse(f"worker {worker.pk}")


def test_current_worker_is_the_accounts_worker_and_none_for_anyone_else(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    assert current_worker(_request(UserFactory(worker=worker, is_staff=False))) == worker
    assert current_worker(_request(UserFactory(is_staff=True))) is None
    assert current_worker(_request(UserFactory(is_staff=False))) is None
    assert current_worker(_request(AnonymousUser())) is None


def test_a_worker_page_receives_the_worker(tree):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    response = _page(_request(UserFactory(worker=worker, is_staff=False)))
    assert response.status_code == 200 and response.content.decode() == f"worker {worker.pk}"


def test_an_anonymous_visitor_is_sent_to_the_public_log_in_and_back(db):
    response = _page(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:login") + "?next=/me/%3Ftab%3Drecord"


def test_a_staff_account_is_sent_on_to_the_administration(tree):
    response = _page(_request(UserFactory(is_staff=True, unit=tree["chaoyang"])))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_an_account_without_a_worker_is_told_what_the_page_is_for(tree):
    response = _page(_request(UserFactory(is_staff=False)))
    assert response.status_code == 403
    page = response.content.decode()
    assert "此页面供职工账号使用" in page and f'href="{reverse("admin:index")}"' in page
