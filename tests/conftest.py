from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from courses.models import CreditPilot
from membership import scoping
from membership.models import Unit
from membership.seed import seed_groups, seed_unit_tree
from tests.factories import UserFactory, unit_create

# Level-2 units with fixed codes, used by the spreadsheets in tests/data/.
CHAOYANG_ENTERPRISE = "91110105MA01CY001A"
HAIDIAN_ENTERPRISE = "91110108MA01HD001H"


@pytest.fixture
def tree(db):
    root = seed_unit_tree()
    groups = seed_groups()
    # EDU-9: the whole test city pilots the credit bank, so tests about credit amounts need no
    # pilot of their own; tests of the pilots themselves delete this row.
    CreditPilot.objects.create(unit=root, year=2000, note="tests")
    chaoyang = Unit.objects.get(code="110105")
    haidian = Unit.objects.get(code="110108")
    return {
        "root": root,
        "groups": groups,
        "chaoyang": chaoyang,
        "haidian": haidian,
        "chaoyang_enterprise": unit_create(chaoyang, "北京朝阳精密机械有限公司工会", CHAOYANG_ENTERPRISE),
        "haidian_enterprise": unit_create(haidian, "北京海淀软件有限公司工会", HAIDIAN_ENTERPRISE),
    }


@pytest.fixture
def municipal(tree):
    user = UserFactory(username="city", unit=tree["root"])
    user.groups.add(tree["groups"][scoping.MUNICIPAL_GROUP])
    return user


@pytest.fixture
def chaoyang_officer(tree):
    user = UserFactory(username="cy", unit=tree["chaoyang"])
    user.groups.add(tree["groups"][scoping.LEVEL1_GROUP])
    return user


@pytest.fixture
def haidian_officer(tree):
    user = UserFactory(username="hd", unit=tree["haidian"])
    user.groups.add(tree["groups"][scoping.LEVEL1_GROUP])
    return user


@pytest.fixture
def chaoyang_all_permissions(tree):
    """A 朝阳 officer holding every permission: only scoping can stop them."""
    user = UserFactory(username="cy-all", unit=tree["chaoyang"])
    user.user_permissions.set(Permission.objects.all())
    return user


@pytest.fixture(autouse=True)
def sms_outbox():
    """Text messages sent through the locmem SMS backend (settings.test), empty for each test."""
    from portal.sms.backends import locmem

    locmem.outbox.clear()
    yield locmem.outbox


@pytest.fixture(autouse=True)
def _empty_cache():
    """Counters kept in the cache (registration attempts, upload progress) start at zero."""
    from django.core.cache import cache

    cache.clear()
    yield


# Reference data that data migrations seed. A transactional test (live server, Celery worker,
# threads) empties every table when it ends, so such tests put it back before they start.
REFERENCE_MIGRATIONS = [
    "membership.migrations.0003_seed_industries",
    "courses.migrations.0002_seed_target_groups",
    "courses.migrations.0004_seed_review_criteria",
    "courses.migrations.0007_seed_credit_rules",
    "innovation.migrations.0002_seed_evaluation_indicators",
    "talent.migrations.0002_seed_occupations",
    "talent.migrations.0005_seed_qualifying_awards_and_certificate_credits",
    "reporting.migrations.0002_plan_and_nightly_schedule",
]


@pytest.fixture(autouse=True)
def _reference_data(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))) \
        or "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    if transactional:
        import importlib

        from django.apps import apps

        request.getfixturevalue("transactional_db")
        for name in REFERENCE_MIGRATIONS:
            importlib.import_module(name).seed(apps, None)
    yield
