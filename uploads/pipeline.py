"""UPL-1 to UPL-5: the one path every upload takes — admin page, command, Celery task and API.

read (reader.py) → find the header row → clean each row (kind.clean) → classify a batch against
the database in one query (kind.classify) → preview, or write every valid row in one transaction
(kind.write, COPY on PostgreSQL). Rows are processed in batches, so memory stays bounded by the
batch, not the file.
"""
from __future__ import annotations

import hashlib
import json
import logging
from contextlib import nullcontext
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Callable, Iterator

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_context_for_upload
from membership.crypto import decrypt_bytes, encrypt_bytes, encrypt_id_number as encrypt_text
from membership.crypto import decrypt_id_number as decrypt_text
from membership.identity import mask_id_number

from .kinds import NEW, REJECTED, UNCHANGED, UPDATED, Row, UploadKind, get_kind
from .models import Upload
from .reader import UploadRefused, open_sheets
from .values import CellError, text

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
HEADER_SEARCH_ROWS = 10
# Keep the first rejected rows in full for the page and the download; count the rest.
MAX_STORED_ERRORS = 100_000


@dataclass
class Summary:
    kind: str
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    written: int = 0
    rejected: list[dict] = field(default_factory=list)
    rejected_count: int = 0

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": list(flatten_errors(self.rejected)),
            "written": self.written,
        }


def _header_key(cell) -> str:
    return text(cell).replace(" ", "").replace("*", "")


def _find_header(kind_class: type[UploadKind], data: bytes) -> tuple[dict[str, int], Iterator[tuple[int, list]]]:
    """The first sheet with all the kind's headers in one of its first rows (a title row may
    stand above them); the rows after the header."""
    wanted = [column.header for column in kind_class.columns]
    best_missing: list[str] | None = None
    for sheet in open_sheets(data):
        rows = sheet.rows
        for _index, (_number, cells) in zip(range(HEADER_SEARCH_ROWS), rows):
            headers = [_header_key(cell) for cell in cells]
            present = [h for h in wanted if h in headers]
            if len(present) == len(wanted):
                return {h: headers.index(h) for h in wanted}, rows
            if present and (best_missing is None or len(wanted) - len(present) < len(best_missing)):
                best_missing = [h for h in wanted if h not in headers]
    if best_missing:
        raise UploadRefused(
            _("The header row lacks the columns %(missing)s. Download the template and keep its headers.")
            % {"missing": "、".join(best_missing)}
        )
    raise UploadRefused(
        _("No header row was found. The file must have the headers %(headers)s; download the template.")
        % {"headers": "、".join(wanted)}
    )


def _batches(rows: Iterator[tuple[int, list]], size: int) -> Iterator[list[tuple[int, list]]]:
    batch = []
    for item in rows:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _is_blank(cells: list) -> bool:
    for cell in cells:
        if cell is not None and (cell.__class__ is not str or (cell and not cell.isspace())):
            return False
    return True


def progress_key(upload_id: int) -> str:
    return f"upload-progress:{upload_id}"


def run(
    *, kind_code: str, data: bytes, user, commit: bool, upload: Upload | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Preview (commit=False) or write (commit=True) one file. Raises UploadRefused for a file
    refused whole; with commit=True either every valid row is written or none is."""
    kind_class = get_kind(kind_code)
    summary = Summary(kind=kind_code)
    if not user.has_perm(kind_class.permission):
        raise UploadRefused(_("You do not have permission to upload this kind of file."))
    header_map, rows = _find_header(kind_class, data)
    kind = kind_class(user, upload)
    columns = kind_class.columns
    positions = [header_map[column.header] for column in columns]
    width = max(positions) + 1
    pick = itemgetter(*positions) if len(positions) > 1 else (lambda cells: (cells[positions[0]],))
    keys = [column.key for column in columns]
    seen: dict = {}
    atomic = transaction.atomic() if commit else nullcontext()
    # Item 16: every row the commit writes carries the upload's id in the audit trail.
    history = audit_context_for_upload(upload=upload, user=user) if commit else nullcontext()
    with atomic, history:
        if commit and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [kind.lock_key()])
        kind.prepare()
        for batch in _batches(rows, BATCH_SIZE):
            clean_rows: list[Row] = []
            for number, cells in batch:
                if _is_blank(cells):
                    continue
                if len(cells) < width:
                    cells = [*cells, *([None] * (width - len(cells)))]
                values = list(pick(cells))
                row = Row(number=number, values=values)
                summary.rows += 1
                try:
                    kind.clean(row, dict(zip(keys, values)))
                except CellError as error:  # a kind may raise instead of calling reject
                    row.reject("", str(error))
                if row.status != REJECTED:
                    key = kind.natural_key(row)
                    first = seen.get(key)
                    if first is not None:
                        row.reject(columns[0].header, _("Repeats row %(row)d of this file") % {"row": first})
                    else:
                        seen[key] = number
                        clean_rows.append(row)
                if row.status == REJECTED:
                    _record_rejected(summary, row)
            if clean_rows:
                kind.classify(clean_rows)
                for row in clean_rows:
                    if row.status == REJECTED:
                        _record_rejected(summary, row)
                    elif row.status == NEW:
                        summary.new += 1
                    elif row.status == UPDATED:
                        summary.updated += 1
                    elif row.status == UNCHANGED:
                        summary.unchanged += 1
                if commit:
                    summary.written += kind.write([r for r in clean_rows if r.status in (NEW, UPDATED)])
            if progress:
                progress(summary.rows)
    if summary.rows == 0:
        raise UploadRefused(_("The file has headers but no data rows."))
    return summary


def _record_rejected(summary: Summary, row: Row) -> None:
    summary.rejected_count += 1
    if len(summary.rejected) >= MAX_STORED_ERRORS:
        return
    summary.rejected.append({
        "row": row.number,
        "errors": [[column, reason] for column, reason in row.errors],
        # The row as uploaded, for the download to fix and upload again; encrypted because
        # it may hold an ID number (MEM-4).
        "values": encrypt_text(json.dumps([_jsonable(v) for v in row.values], ensure_ascii=False)),
    })


def flatten_errors(rejected: list[dict]):
    """One {"row", "column", "reason"} per problem: a row may have several."""
    for entry in rejected:
        for column, reason in entry["errors"]:
            yield {"row": entry["row"], "column": column, "reason": reason}


def _jsonable(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def rejected_values(error: dict, *, reveal: bool, sensitive: list[int]) -> list:
    """The stored cells of a rejected row; sensitive columns masked unless ``reveal``."""
    cells = json.loads(decrypt_text(error["values"])) if error.get("values") else []
    if not reveal:
        for index in sensitive:
            if index < len(cells) and cells[index] not in (None, ""):
                cells[index] = mask_id_number(str(cells[index]))
    return cells


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload_create(*, user, kind_code: str, file_name: str, data: bytes) -> Upload:
    """Record a received file (UPL-5) before anything else is done with it."""
    from django.core.files.base import ContentFile

    get_kind(kind_code)
    upload = Upload(
        kind=kind_code, user=user, unit_id=getattr(user, "unit_id", None), file_name=file_name[:255],
        file_size=len(data), sha256=sha256(data),
    )
    # The file holds ID numbers in clear: it is kept encrypted at rest like the registry (MEM-4).
    upload.file.save(f"{upload.sha256[:16]}-{kind_code}.bin", ContentFile(encrypt_bytes(data)), save=False)
    upload.save()
    return upload


def upload_process(*, upload: Upload, commit: bool) -> Upload:
    """Preview or commit a recorded upload and store the outcome on it. The caller has claimed
    the upload (status PREVIEWING or COMMITTING): see services.upload_start."""
    upload.refresh_from_db()
    with upload.file.open("rb") as handle:
        data = decrypt_bytes(handle.read())
    key = progress_key(upload.pk)

    def progress(done: int) -> None:
        cache.set(key, {"rows": done, "phase": "commit" if commit else "preview"}, timeout=3600)

    try:
        summary = run(kind_code=upload.kind, data=data, user=upload.user, commit=commit, upload=upload, progress=progress)
    except UploadRefused as refused:
        upload.status = Upload.Status.REFUSED
        upload.message = refused.message
        upload.save(update_fields=["status", "message"])
        return upload
    except Exception:
        # The transaction has rolled back; the uploader sees a plain message on the upload's
        # page (not a server error), and the log keeps the traceback.
        logger.exception("upload %s failed", upload.pk)
        upload.status = Upload.Status.FAILED
        upload.message = _("An unexpected error stopped the upload; nothing was written.")
        upload.save(update_fields=["status", "message"])
        return upload
    finally:
        cache.delete(key)
    upload.rows, upload.new, upload.updated = summary.rows, summary.new, summary.updated
    upload.unchanged, upload.rejected = summary.unchanged, summary.rejected_count
    upload.errors = summary.rejected
    fields = ["rows", "new", "updated", "unchanged", "rejected", "errors", "status"]
    if commit:
        upload.written = summary.written
        upload.status = Upload.Status.COMMITTED
        upload.committed_at = timezone.now()
        fields += ["written", "committed_at"]
    else:
        upload.status = Upload.Status.PREVIEWED
        upload.previewed_at = timezone.now()
        fields += ["previewed_at"]
    upload.save(update_fields=fields)
    return upload


def refuse(upload: Upload, message: str) -> Upload:
    upload.status = Upload.Status.REFUSED
    upload.message = message
    upload.save(update_fields=["status", "message"])
    return upload


def runs_in_background(upload: Upload) -> bool:
    return upload.file_size > settings.UPLOAD_BACKGROUND_BYTES
