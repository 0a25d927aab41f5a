"""UPL-2: a district's commit never waits behind another district's commit (there was one
city-wide lock per kind: 海淀's 5 rows waited 18.5 s behind 朝阳's 200,000). Commits that can
touch the same rows still take turns, and a key two districts write at once (one ID number on
both rosters) is decided by the database: the later commit waits briefly, then rejects that row
with its reason and writes the rest."""
from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from membership.models import Worker
from tests.conftest import CHAOYANG_ENTERPRISE, HAIDIAN_ENTERPRISE
from uploads import pipeline
from uploads.kinds import NEW, Row, get_kind

from .helpers import id_numbers, roster_csv

pytestmark = pytest.mark.django_db(transaction=True)


class HeldCommit:
    """A commit run in a thread and held open, inside its transaction, after its first batch
    has been written: its locks and its written rows stay held until ``release``."""

    def __init__(self, user, data: bytes):
        self.written, self.released = threading.Event(), threading.Event()
        self.done = threading.Event()
        self.summary = None
        self.error = None
        self.thread = threading.Thread(target=self._run, args=(user, data))

    def _hold(self, _rows: int) -> None:
        self.written.set()
        self.released.wait(30)

    def _run(self, user, data):
        try:
            self.summary = pipeline.run(kind_code="workers", data=data, user=user, commit=True, progress=self._hold)
        except Exception as error:  # pragma: no cover - surfaced by the assertions
            self.error = error
        finally:
            self.done.set()
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.written.wait(30), "the held commit never wrote its first batch"
        return self

    def release(self):
        self.released.set()
        self.thread.join(30)
        assert self.error is None, self.error

    def __exit__(self, *exc_info):
        self.released.set()
        self.thread.join(30)


def _commit_in_thread(user, data: bytes) -> HeldCommit:
    commit = HeldCommit(user, data)
    commit.released.set()  # not held
    commit.thread.start()
    return commit


def test_two_districts_commit_side_by_side(tree, chaoyang_officer, haidian_officer):
    chaoyang_rows = roster_csv(id_numbers(20), CHAOYANG_ENTERPRISE)
    haidian_rows = roster_csv(id_numbers(5, region="110108"), HAIDIAN_ENTERPRISE)
    with HeldCommit(chaoyang_officer, chaoyang_rows) as chaoyang:
        started = time.monotonic()
        haidian = _commit_in_thread(haidian_officer, haidian_rows)
        # 朝阳's transaction is open; 海淀's commit of other rows finishes anyway.
        assert haidian.done.wait(10), "海淀's commit waited behind 朝阳's"
        assert time.monotonic() - started < 10
        assert haidian.error is None and haidian.summary.written == 5
        assert not chaoyang.done.is_set()
        chaoyang.release()
    assert chaoyang.summary.written == 20
    assert Worker.objects.filter(unit__code=HAIDIAN_ENTERPRISE).count() == 5
    assert Worker.objects.filter(unit__code=CHAOYANG_ENTERPRISE).count() == 20


def test_two_commits_of_one_district_take_turns(tree, chaoyang_officer):
    """They can touch the same rows (one district's workers): the second waits for the first."""
    with HeldCommit(chaoyang_officer, roster_csv(id_numbers(5), CHAOYANG_ENTERPRISE)) as first:
        second = _commit_in_thread(chaoyang_officer, roster_csv(id_numbers(5, start=100), CHAOYANG_ENTERPRISE))
        assert not second.done.wait(1.5)
        first.release()
        assert second.done.wait(20) and second.error is None
    assert second.summary.written == 5 and Worker.objects.count() == 10


def test_an_id_number_two_districts_upload_at_once_is_rejected_for_the_later_one(
        tree, chaoyang_officer, haidian_officer, settings):
    settings.UPLOAD_LOCK_TIMEOUT_MS = 500
    shared = id_numbers(1)[0]
    chaoyang_rows = roster_csv([shared, *id_numbers(3, start=1)], CHAOYANG_ENTERPRISE)
    haidian_rows = roster_csv([*id_numbers(2, region="110108"), shared, *id_numbers(2, region="110108", start=2)],
                              HAIDIAN_ENTERPRISE)
    with HeldCommit(chaoyang_officer, chaoyang_rows) as chaoyang:
        haidian = _commit_in_thread(haidian_officer, haidian_rows)
        assert haidian.done.wait(15), "海淀's commit waited for 朝阳's instead of rejecting the contested row"
        assert haidian.error is None
        chaoyang.release()
    summary = haidian.summary
    assert (summary.new, summary.written, summary.rejected_count) == (4, 4, 1)
    [error] = pipeline.flatten_errors(summary.rejected)
    assert error["row"] == 4 and error["column"] == "身份证号" and error["reason"]
    assert chaoyang.summary.written == 4
    assert Worker.objects.count() == 8
    assert Worker.objects.get(id_number_digest__in=_digests([shared])).unit.code == CHAOYANG_ENTERPRISE


def _digests(numbers):
    from core.crypto import id_number_digest

    return [id_number_digest(number) for number in numbers]


def test_a_worker_registered_by_another_upload_after_classifying_is_rejected_not_fatal(tree, haidian_officer):
    """The other district's commit ended between this batch's classification and its write:
    ON CONFLICT skips the taken ID number and the row says why."""
    from tests.factories import WorkerFactory

    numbers = id_numbers(3, region="110108")
    kind = get_kind("workers")(haidian_officer)
    kind.prepare()
    rows = []
    for index, number in enumerate(numbers):
        row = Row(number=index + 2, values=[])
        kind.clean(row, {"name": f"职工{index}", "id_number": number, "unit_code": HAIDIAN_ENTERPRISE, "post": "",
                         "is_frontline": "", "is_migrant": "", "is_needy": "", "education": "", "phone": "",
                         "joined_union_on": ""})
        rows.append(row)
    kind.classify(rows)
    assert [row.status for row in rows] == [NEW, NEW, NEW]
    WorkerFactory(id_number=numbers[1], unit=tree["chaoyang_enterprise"])  # the other upload, committed
    from django.db import transaction

    with transaction.atomic():
        assert pipeline.write_batch(kind, rows) == 2
    assert rows[1].status == "rejected" and rows[1].errors[0][0] == "身份证号"
    assert Worker.objects.count() == 3


def test_a_district_commit_does_not_queue_behind_a_city_wide_commit_waiting_for_another_district(
        tree, chaoyang_officer, haidian_officer, municipal):
    """朝阳 holds its lock; a city-wide commit of the same kind waits for it; 海淀 still proceeds.
    (With a kind-wide lock taken shared by districts, the waiting exclusive request queued 海淀's.)"""
    with HeldCommit(chaoyang_officer, roster_csv(id_numbers(5), CHAOYANG_ENTERPRISE)) as chaoyang:
        city = _commit_in_thread(municipal, roster_csv(id_numbers(3, start=300), CHAOYANG_ENTERPRISE))
        assert not city.done.wait(1.0), "the city-wide commit did not wait for 朝阳's"
        started = time.monotonic()
        haidian = _commit_in_thread(haidian_officer, roster_csv(id_numbers(5, region="110108"), HAIDIAN_ENTERPRISE))
        assert haidian.done.wait(10), "海淀's commit queued behind the waiting city-wide commit"
        assert time.monotonic() - started < 10
        assert haidian.error is None and haidian.summary.written == 5
        assert not city.done.is_set() and not chaoyang.done.is_set()
        chaoyang.release()
        assert city.done.wait(20) and city.error is None
    assert city.summary.written == 3 and chaoyang.summary.written == 5
    assert Worker.objects.count() == 13


@pytest.mark.parametrize("code", ["workers", "units", "training"])
def test_every_unit_scoped_kind_locks_only_its_level1_unit(tree, chaoyang_officer, haidian_officer, municipal, code):
    from uploads.kinds import get_kind

    kind = get_kind(code)
    chaoyang, haidian, city = (kind(user).lock_keys() for user in (chaoyang_officer, haidian_officer, municipal))
    assert len(chaoyang) == len(haidian) == 1 and chaoyang != haidian  # each district's own, nothing shared
    assert all(exclusive for _key, exclusive in chaoyang + haidian + city)
    assert set(chaoyang + haidian) < set(city) and city == sorted(city)


def test_a_kind_that_names_no_partition_takes_the_kinds_lock_exclusively(chaoyang_officer):
    from uploads.kinds import UploadKind

    class Unpartitioned(UploadKind):
        code = "unpartitioned"

    assert [exclusive for _key, exclusive in Unpartitioned(chaoyang_officer).lock_keys()] == [True]
