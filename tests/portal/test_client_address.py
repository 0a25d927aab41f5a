"""MEM-2/MEM-4: the client's address is read from X-Forwarded-For only through the configured
number of trusted proxies, and that one answer feeds axes, the registration throttle and the
reveal log."""
from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from membership.models import IdNumberReveal
from portal.client_address import client_address
from tests.factories import WorkerFactory

PROXY = "10.0.0.254"


def _request(forwarded=None, remote=PROXY):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_a_forged_header_is_ignored_without_trusted_proxies():
    assert client_address(_request("1.2.3.4", remote="203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_trusted_proxy_takes_the_right_most_entry():
    # The client wrote "1.2.3.4"; our proxy appended the address it really saw.
    assert client_address(_request("1.2.3.4, 203.0.113.5")) == "203.0.113.5"
    assert client_address(_request("203.0.113.5")) == "203.0.113.5"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_two_trusted_proxies_skip_the_inner_proxy():
    assert client_address(_request("1.2.3.4, 203.0.113.5, 10.0.0.7")) == "203.0.113.5"


@pytest.mark.parametrize("header", [None, "", " , ", "not-an-address", "203.0.113.5, bogus", "999.1.1.1"])
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_missing_or_malformed_header_falls_back_to_the_peer(header):
    assert client_address(_request(header)) == PROXY


@override_settings(TRUSTED_PROXY_COUNT=3)
def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_peer():
    assert client_address(_request("1.2.3.4, 203.0.113.5")) == PROXY


def test_ipv6_addresses_are_normalised():
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_address(_request("2001:DB8::0001")) == "2001:db8::1"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_reveal_log_records_the_client_behind_the_proxy(client, tree, municipal):
    worker = WorkerFactory(unit=tree["chaoyang_enterprise"])
    client.force_login(municipal)
    response = client.post(reverse("admin:membership_worker_reveal", args=[worker.pk]),
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert response.status_code == 200
    assert IdNumberReveal.objects.get().address == "203.0.113.5"
