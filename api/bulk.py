"""Issue 12: the bulk door to the upload pipeline. A system sends the rows of a sheet as JSON, keyed
by the template's Chinese column names; they become the CSV file a person would have uploaded, and
take exactly the path of ``manage.py import_sheet``: recorded as an Upload (UPL-5, the file kept
encrypted), previewed, and committed only when asked — the same cleaning, scoping, natural keys
(so the same rows twice are unchanged), locks and Chinese reasons as the admin's upload page."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from uploads.kinds import UploadKind, get_kind
from uploads.models import Upload
from uploads.pipeline import flatten_errors, upload_create
from uploads.services import upload_start

# CSV's header is row 1: the first JSON row is the sheet's row 2 (what the admin's page shows).
FIRST_ROW_NUMBER = 2


def max_rows() -> int:
    return getattr(settings, "API_BULK_MAX_ROWS", 20_000)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: True is an int
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float, Decimal)):
        return str(value)
    raise TypeError(type(value).__name__)


def rows_csv(kind: type[UploadKind], rows: list) -> bytes:
    """The rows as the kind's CSV template (UTF-8 with BOM), every column present: a key left out
    of a row is an empty cell, which the pipeline treats as in a sheet (a required one rejects the
    row with its reason, an optional one keeps the stored value). Raises ValidationError for a
    shape no sheet could have: a row that is not an object, an unknown column, a value that is not
    text, a number, true/false or null."""
    headers = [column.header for column in kind.columns]
    known = set(headers)
    errors: dict[str, list[str]] = {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            errors.setdefault(f"rows[{index}]", []).append(_("Each row must be an object of column name and value."))
            continue
        unknown = [name for name in row if name not in known]
        if unknown:
            errors.setdefault(f"rows[{index}]", []).append(
                _("Unknown columns %(columns)s; the columns are %(headers)s.")
                % {"columns": "、".join(map(str, unknown)), "headers": "、".join(headers)})
            continue
        try:
            writer.writerow([_cell(row.get(header)) for header in headers])
        except TypeError:
            errors.setdefault(f"rows[{index}]", []).append(
                _("A value must be text, a number, true/false or null."))
    if errors:
        raise ValidationError(errors)
    return out.getvalue().encode("utf-8-sig")


def bulk_upload(*, user, kind_code: str, rows: list, commit: bool) -> Upload:
    """Preview the rows, and write them when ``commit`` — a commit even when the preview found
    nothing to write (the same day pushed again), so the upload ends committed, not waiting for a
    confirmation — in this process like the import_sheet command: the caller waits for the summary, and
    API_BULK_MAX_ROWS keeps a request short. Raises LookupError for an unknown kind,
    PermissionDenied without the kind's upload permission, ValidationError for rows no sheet
    could hold."""
    kind = get_kind(kind_code)
    if not user.has_perm(kind.permission):
        raise PermissionDenied(_("You do not have permission to upload this kind of file."))
    if not rows:
        raise ValidationError({"rows": [_("Send at least one row.")]})
    if len(rows) > max_rows():
        raise ValidationError({"rows": [_("Send at most %(count)d rows in one request; split the rest into "
                                          "further requests.") % {"count": max_rows()}]})
    data = rows_csv(kind, rows)
    upload = upload_create(user=user, kind_code=kind_code, file_name=f"api-{kind_code}.csv", data=data)
    upload = upload_start(upload=upload, commit=False, in_background=False)
    if commit and upload.status == Upload.Status.PREVIEWED:
        upload = upload_start(upload=upload, commit=True, in_background=False)
    return upload


def summary(upload: Upload, *, commit: bool) -> dict:
    """The pipeline's summary as the API answers it; rejected reasons with ID numbers masked."""
    return {
        "upload": upload.pk,
        "kind": upload.kind,
        "commit": commit,
        "status": upload.status,
        "message": upload.message,
        "rows": upload.rows,
        "new": upload.new,
        "updated": upload.updated,
        "unchanged": upload.unchanged,
        "written": upload.written,
        "rejected_count": upload.rejected,
        "rejected": [{**error, "index": error["row"] - FIRST_ROW_NUMBER} for error in flatten_errors(upload.errors)],
    }
