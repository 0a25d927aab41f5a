"""MEM-4 item 2: an upload's row errors quote cells back (an ID number typed in the wrong column,
Excel's scientific notation). No reason is stored, shown or downloaded with a full ID number, and
the rejected-rows file shows full numbers only to the uploader or, recorded, with the reveal
permission — in every column, since an ID number may sit in any of them."""
from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from tests.conftest import CHAOYANG_ENTERPRISE
from tests.factories import UserFactory
from uploads import pipeline, services
from uploads.models import RejectedRowsReveal, Upload

NUMBER = "11010519491231002X"
OTHER = "110105198001010013"  # typed into the name column
BIRTH_DIGITS = re.compile(r"19491231|4912310|19800101|8001010")
HEADER = "姓名,身份证号,单位代码,岗位,一线职工,农民工,困难职工,文化程度,手机号码,入会日期"


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def roster() -> bytes:
    return "\n".join([
        HEADER,
        f"张三,1.1010519491231E+17,{CHAOYANG_ENTERPRISE},焊工,是,否,否,初中,,",  # Excel's notation, 14 digits kept
        f"李四,{OTHER},{NUMBER},焊工,是,否,否,初中,,",  # an ID number in the unit-code column
        f"{OTHER},{NUMBER},{CHAOYANG_ENTERPRISE},焊工,是,否,否,不识字,,",  # an ID number as the name; bad education
        f"王五 {NUMBER[:6]} {NUMBER[6:14]} {NUMBER[14:]},{OTHER},{CHAOYANG_ENTERPRISE}X,焊工,是,否,否,初中,,",
    ]).encode()


def _sheet_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return " ".join(str(cell.value) for row in book.active.iter_rows() for cell in row if cell.value is not None)


def test_reasons_are_stored_and_shown_with_id_numbers_masked(client, tree, chaoyang_officer):
    upload = services.upload_receive(user=chaoyang_officer, kind_code="workers", file_name="r.csv", data=roster())
    assert upload.status == Upload.Status.PREVIEWED and upload.rejected == 4
    stored = json.dumps(Upload.objects.values_list("errors", flat=True).get(), ensure_ascii=False)
    reasons = " ".join(error["reason"] for error in pipeline.flatten_errors(upload.errors))
    assert "110105********002X" in reasons  # the unit-code reason still says which value it was
    for text in (stored, reasons):
        assert NUMBER not in text and OTHER not in text and not BIRTH_DIGITS.search(text), text
    client.force_login(chaoyang_officer)
    page = client.get(reverse("admin:uploads_upload_preview", args=[upload.pk])).content.decode()
    assert "110105********002X" in page and NUMBER not in page and not BIRTH_DIGITS.search(page)


def test_rejected_rows_file_is_masked_in_every_column_for_anyone_but_the_uploader(client, tree, chaoyang_officer):
    upload = services.upload_receive(user=chaoyang_officer, kind_code="workers", file_name="r.csv", data=roster())
    colleague = UserFactory(unit=tree["chaoyang"])
    colleague.groups.add(tree["groups"]["一级单位工作人员"])
    client.force_login(colleague)
    text = _sheet_text(client.get(reverse("admin:uploads_upload_rejected", args=[upload.pk])).content)
    assert NUMBER not in text and OTHER not in text and not BIRTH_DIGITS.search(text), text
    assert "110105********002X" in text and "110105********0013" in text  # the name column too
    # The uploader gets their own file back as they sent it, and nothing is recorded.
    client.force_login(chaoyang_officer)
    own = _sheet_text(client.get(reverse("admin:uploads_upload_rejected", args=[upload.pk])).content)
    assert NUMBER in own and OTHER in own
    assert not RejectedRowsReveal.objects.exists()


@pytest.mark.parametrize("separated", [
    "110105.19491231.002X", "110105\u300019491231\u3000002X", "110105  19491231  002X", "110105_19491231_002X",
    "110105/1949/1231/002X", "1101 0519 4912 3100 2X", "110105，19491231，002X",
])
def test_an_id_number_with_any_separators_in_the_name_column_is_masked_for_a_colleague(
        client, tree, chaoyang_officer, separated):
    data = "\n".join([HEADER, f"{separated},{OTHER},{CHAOYANG_ENTERPRISE},焊工,是,否,否,不识字,,"]).encode()
    upload = services.upload_receive(user=chaoyang_officer, kind_code="workers", file_name="r.csv", data=data)
    assert upload.rejected == 1
    colleague = UserFactory(unit=tree["chaoyang"])
    colleague.groups.add(tree["groups"]["一级单位工作人员"])
    client.force_login(colleague)
    text = _sheet_text(client.get(reverse("admin:uploads_upload_rejected", args=[upload.pk])).content)
    assert not BIRTH_DIGITS.search(re.sub(r"\D", "", text.replace("1101050", ""))), text
    assert "110105********002X" in text


def test_a_reveal_permission_holder_gets_full_numbers_and_the_download_is_recorded(client, tree, chaoyang_officer, municipal):
    upload = services.upload_receive(user=chaoyang_officer, kind_code="workers", file_name="r.csv", data=roster())
    client.force_login(municipal)
    text = _sheet_text(client.get(reverse("admin:uploads_upload_rejected", args=[upload.pk]),
                                  REMOTE_ADDR="10.1.2.3").content)
    assert NUMBER in text and OTHER in text
    reveal = RejectedRowsReveal.objects.get()
    assert (reveal.upload, reveal.user, reveal.address) == (upload, municipal, "10.1.2.3")
    client.force_login(municipal)
    assert client.get(reverse("admin:uploads_rejectedrowsreveal_changelist")).status_code == 200
