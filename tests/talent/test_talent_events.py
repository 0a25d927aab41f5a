"""TAL-7: a logged-in worker registers for a forum or observation event and cancels; capacity,
closed registration and staff accounts are refused with nothing written."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from membership.models import User
from talent.models import TalentEventRegistration
from talent.services.events import talent_event_cancel, talent_event_register
from tests.factories import WorkerFactory, talent_event_make


def _worker_client(client, unit, name="赵师傅"):
    worker = WorkerFactory(unit=unit, name=name)
    user = User.objects.create_user(username=f"w{worker.pk}", password="pw-123456", worker=worker, is_staff=False)
    client.force_login(user)
    return worker


def test_a_worker_registers_and_cancels_on_the_event_page(client, tree):
    event = talent_event_make(tree["chaoyang"], title="数控技术高技能人才论坛")
    worker = _worker_client(client, tree["chaoyang_enterprise"])
    response = client.post(reverse("talent:event_register", args=[event.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("talent:event", args=[event.pk])
    registration = TalentEventRegistration.objects.get()
    assert (registration.event, registration.worker, registration.unit, registration.status) == (
        event, worker, tree["chaoyang_enterprise"], "registered")
    page = client.get(reverse("talent:event", args=[event.pk]))
    assert page.context["registered"] is True
    client.post(reverse("talent:event_cancel", args=[event.pk]))
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert client.get(reverse("talent:event", args=[event.pk])).context["registered"] is False
    # Registering again reuses the row.
    client.post(reverse("talent:event_register", args=[event.pk]))
    assert list(TalentEventRegistration.objects.values_list("status", flat=True)) == ["registered"]


def test_registering_twice_is_refused(tree):
    event = talent_event_make(tree["chaoyang"])
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    talent_event_register(worker=worker, event=event)
    with pytest.raises(ValidationError):
        talent_event_register(worker=worker, event=event)
    assert TalentEventRegistration.objects.count() == 1


def test_a_full_event_refuses_the_next_worker(tree):
    event = talent_event_make(tree["chaoyang"], capacity=1)
    talent_event_register(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), event=event)
    with pytest.raises(ValidationError):
        talent_event_register(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), event=event)
    assert TalentEventRegistration.objects.count() == 1


@pytest.mark.parametrize("fields", [{"registration_open": False}, {"public": False},
                                    {"starts_on": dt.date(2012, 1, 1), "ends_on": dt.date(2012, 1, 2)}])
def test_a_closed_hidden_or_past_event_refuses_registration(tree, fields):
    event = talent_event_make(tree["chaoyang"], **fields)
    with pytest.raises(ValidationError):
        talent_event_register(worker=WorkerFactory(unit=tree["chaoyang_enterprise"]), event=event)
    assert TalentEventRegistration.objects.count() == 0


def test_cancelling_after_the_event_started_is_refused(tree):
    today = timezone.localdate()
    event = talent_event_make(tree["chaoyang"], starts_on=today, ends_on=today + dt.timedelta(days=1))
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    talent_event_register(worker=worker, event=event)
    with pytest.raises(ValidationError):
        talent_event_cancel(worker=worker, event=event)
    assert list(TalentEventRegistration.objects.values_list("status", flat=True)) == ["registered"]


def test_anonymous_visitors_are_sent_to_log_in_and_staff_accounts_cannot_register(client, tree, chaoyang_officer):
    event = talent_event_make(tree["chaoyang"])
    response = client.post(reverse("talent:event_register", args=[event.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(chaoyang_officer)
    client.post(reverse("talent:event_register", args=[event.pk]))
    assert TalentEventRegistration.objects.count() == 0


def test_an_event_not_marked_public_has_no_page(client, tree):
    event = talent_event_make(tree["chaoyang"], public=False)
    assert client.get(reverse("talent:event", args=[event.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_last_place_get_one_registration_and_one_refusal(tree):
    import threading

    from django.db import connection

    event = talent_event_make(tree["chaoyang"], capacity=1)
    workers = [WorkerFactory(unit=tree["chaoyang_enterprise"]) for _ in range(2)]
    barrier = threading.Barrier(2)
    registered, refused, errors = [], [], []

    def take(worker):
        try:
            barrier.wait()
            registered.append(talent_event_register(worker=worker, event=event).worker_id)
        except ValidationError:
            refused.append(worker.pk)
        except Exception as error:  # the assertion below reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert (len(registered), len(refused)) == (1, 1)
    assert list(TalentEventRegistration.objects.values_list("worker_id", flat=True)) == registered
