"""MEM-4 item 1: the masked ID number hides exactly the eight birth-date digits, so whatever a user
without the reveal permission sees about a worker's birth must not give those digits back. These
tests try the rebuild an attacker would: collect every page and export about one worker, read off
the mask and any birth information, and count the ID numbers still consistent with all of it."""
from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from core.identity import id_number_check_character
from membership import scoping
from tests.factories import UserFactory, WorkerFactory

NUMBER = "11010519491231002X"
BIRTH = dt.date(1949, 12, 31)
MASK = re.compile(r"(\d{6})\*{8}(\d{3}[\dX])")


@pytest.fixture
def worker(tree):
    return WorkerFactory(unit=tree["chaoyang_enterprise"], id_number=NUMBER, name="王秀兰")


@pytest.fixture
def leader(tree):
    """Leadership: the whole city, read-only, no reveal permission."""
    user = UserFactory(username="leader", unit=tree["root"])
    user.groups.add(tree["groups"][scoping.LEADERSHIP_GROUP])
    return user


def _texts_about(client, worker) -> list[str]:
    """Everything the logged-in user can read about the worker: list, change page, export."""
    texts = []
    for url in (reverse("admin:membership_worker_changelist"),
                reverse("admin:membership_worker_changelist") + "?q=王秀兰",
                reverse("admin:membership_worker_change", args=[worker.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    export = client.get(reverse("admin:membership_worker_export"))
    if export.status_code == 200:
        form = export.context["form"]
        fields = {name: "on" for name in form.fields if name.startswith("workerresource_")}
        for file_format in ("0", "1", "2"):
            response = client.post(reverse("admin:membership_worker_export"),
                                   {"format": file_format, "resource": "0", **fields})
            assert response.status_code == 200
            if response.content[:2] == b"PK":
                book = openpyxl.load_workbook(io.BytesIO(response.content))
                texts.append(" ".join(str(c.value) for row in book.active.iter_rows() for c in row))
            else:
                texts.append(response.content.decode("utf-8-sig", errors="ignore"))
    return texts


def _birth_date_shown(text: str, birth: dt.date) -> bool:
    """Any way a page could print the birth date or the month and day (or an exact age)."""
    month_day = [
        f"{birth:%Y-%m-%d}", f"{birth:%Y%m%d}", f"{birth.year}年{birth.month}月{birth.day}日",
        f"{birth:%m-%d}", f"{birth:%m/%d}", f"{birth.month}月{birth.day}日", f"{birth:%d.%m.}",
        f"{birth:%b}. {birth.day}", f"{birth:%B} {birth.day}", f"{birth.year}/{birth.month}/{birth.day}",
    ]
    return any(fragment in text for fragment in month_day)


def _candidates(mask: re.Match, shown: str) -> list[str]:
    """Every valid ID number with this mask whose birth year fits what the pages show: a year
    range such as 1945–1949, a single year, or, if nothing is shown, any year."""
    years = [(int(a), int(b)) for a, b in re.findall(r"(1[89]\d\d|20\d\d)\s*[–-]\s*(1[89]\d\d|20\d\d)", shown)]
    if not years:
        single = [int(y) for y in re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", shown)]
        years = [(y, y) for y in single] or [(1900, dt.date.today().year)]
    first, last = max(a for a, _ in years), min(b for _, b in years)
    region, tail = mask.group(1), mask.group(2)
    found = []
    day = dt.date(first, 1, 1)
    while day <= min(dt.date(last, 12, 31), dt.date.today()):
        first17 = f"{region}{day:%Y%m%d}{tail[:3]}"
        if id_number_check_character(first17) == tail[3]:
            found.append(first17 + tail[3])
        day += dt.timedelta(days=1)
    return found


def _row_of(text: str, name: str) -> str:
    """The table row (or export line) that names the worker, without markup."""
    plain = re.sub(r"<[^>]+>", " ", text)
    rows = [line for line in re.split(r"</tr>|\n", text) if name in line]
    return re.sub(r"<[^>]+>", " ", " ".join(rows)) if rows else plain


def test_leadership_cannot_rebuild_an_id_number_from_list_page_and_export(client, tree, leader, worker):
    client.force_login(leader)
    texts = _texts_about(client, worker)
    everything = "\n".join(texts)
    assert not _birth_date_shown(everything, BIRTH)
    assert NUMBER not in everything
    mask = MASK.search(everything)
    assert mask is not None and mask.group(0) == "110105********002X"
    # What the worker's own rows say about their birth, on every page.
    shown = " ".join(_row_of(text, "王秀兰") for text in texts)
    assert "1945" in shown and "1949" in shown  # the five-year band of birth years is shown
    candidates = _candidates(mask, shown)
    assert NUMBER in candidates
    # Far more numbers than a day's allowance of full-number searches can try.
    assert len(candidates) >= 5 * settings.ID_NUMBER_LOOKUPS_PER_DAY


def test_an_officer_with_export_but_no_reveal_cannot_rebuild_from_the_export(client, tree, chaoyang_officer, worker):
    client.force_login(chaoyang_officer)
    texts = _texts_about(client, worker)
    assert len(texts) == 6  # the three pages and three export formats
    everything = "\n".join(texts)
    assert not _birth_date_shown(everything, BIRTH)
    assert NUMBER not in everything


def test_the_birth_date_cannot_be_probed_through_list_filters(client, tree, leader, worker):
    client.force_login(leader)
    url = reverse("admin:membership_worker_changelist")
    for probe in ("birth_date=1949-12-31", "birth_date__month=12", "birth_date__day=31", "birth_date__gte=1949-12-01"):
        response = client.get(f"{url}?{probe}")
        # The admin refuses the lookup (400) instead of answering with the worker or without.
        assert response.status_code == 400, probe
        assert "王秀兰" not in response.content.decode()
    # Nor through another admin's relation to the worker.
    enrolments = reverse("admin:courses_enrolment_changelist")
    assert client.get(f"{enrolments}?worker__birth_date__month=12").status_code == 400


def test_the_birth_band_column_does_not_sort_by_the_exact_date(client, tree, leader, worker):
    # Sorting by the exact date would place a worker between neighbours whose dates are known.
    client.force_login(leader)
    response = client.get(reverse("admin:membership_worker_changelist"))
    headers = {header["class_attrib"]: header for header in response.context["result_headers"]}
    band = [header for attrib, header in headers.items() if "birth" in attrib]
    assert len(band) == 1 and not band[0]["sortable"]
