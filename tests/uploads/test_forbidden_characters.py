"""Issue 6 item 12: a cell holding NUL (PostgreSQL refuses it in text) or another character XML 1.0
forbids passed the preview and then failed the whole commit with an unexpected error. It is now a
row error naming the column, found when the row is cleaned, for every kind (uploads.pipeline)."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from membership.models import Worker
from tests.conftest import CHAOYANG_ENTERPRISE
from uploads import services
from uploads.models import Upload

from .helpers import HEADERS, id_numbers

pytestmark = pytest.mark.django_db(transaction=True)


def _xlsx_with_raw_bytes(rows, marker: bytes, replacement: bytes) -> bytes:
    """An xlsx whose XML carries ``replacement`` where ``marker`` was: openpyxl itself refuses to
    write a NUL, other programs do not."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename).replace(marker, replacement))
    return out.getvalue()


def test_a_nul_in_an_xlsx_cell_rejects_its_row_and_the_commit_writes_the_rest(client, tree, chaoyang_officer):
    first, second = id_numbers(2)
    rows = [HEADERS,
            ["张三", first, CHAOYANG_ENTERPRISE, "焊NULMARK工", "是", "否", "否", "初中", "", ""],
            ["李四", second, CHAOYANG_ENTERPRISE, "焊工", "是", "否", "否", "初中", "", ""]]
    data = _xlsx_with_raw_bytes(rows, b"NULMARK", b"\x00")
    upload = services.upload_receive(user=chaoyang_officer, kind_code="workers", file_name="r.xlsx", data=data)
    assert (upload.status, upload.new, upload.rejected) == (Upload.Status.PREVIEWED, 1, 1)
    [error] = upload.errors
    assert error["row"] == 2 and [column for column, _reason in error["errors"]] == ["岗位"]
    assert "NUL" in error["errors"][0][1]
    # The rejected-rows file is written although the row holds a character no xlsx can hold.
    client.force_login(chaoyang_officer)
    download = client.get(reverse("admin:uploads_upload_rejected", args=[upload.pk]))
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert sheet.cell(row=2, column=4).value == "焊\ufffd工"
    upload = services.upload_start(upload=upload, commit=True)
    upload.refresh_from_db()
    assert (upload.status, upload.written, upload.rejected) == (Upload.Status.COMMITTED, 1, 1)
    assert list(Worker.objects.values_list("name", flat=True)) == ["李四"]


@pytest.mark.parametrize("character", ["\x0b", "\x01", "\x1f"])
def test_other_control_characters_in_a_csv_cell_reject_the_row(tree, chaoyang_officer, character):
    first, second = id_numbers(2)
    lines = [",".join(HEADERS),
             f"王{character}五,{first},{CHAOYANG_ENTERPRISE},焊工,是,否,否,初中,,",
             f"赵六,{second},{CHAOYANG_ENTERPRISE},焊工\t,是,否,否,初中,,"]  # a tab is an ordinary character
    upload = services.upload_receive(user=chaoyang_officer, kind_code="workers", file_name="r.csv",
                                     data="\n".join(lines).encode())
    assert (upload.status, upload.new, upload.rejected) == (Upload.Status.PREVIEWED, 1, 1)
    assert [column for column, _reason in upload.errors[0]["errors"]] == ["姓名"]
