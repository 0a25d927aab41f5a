"""UPL-1 to UPL-5: the one path every upload takes — admin page, command, Celery task and API.

read (reader.py) → find the header row → clean each row (kind.clean) → classify a batch against
the database in one query (kind.classify) → preview, or write every valid row in one transaction
(kind.write, COPY on PostgreSQL). Rows are processed in batches, so memory stays bounded by the
batch, not the file.
"""
from __future__ import annotations

import gc
import hashlib
import json
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Callable, Iterator

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit_context import audit_context_carry, audit_context_for_upload
from core.crypto import decrypt_bytes, encrypt_bytes
from core.crypto import decrypt_id_number as decrypt_text
from core.crypto import encrypt_id_number as encrypt_text
from core.identity import mask_id_number, mask_id_numbers_in_text

from .keyset import FirstRows
from .kinds import NEW, REJECTED, UNCHANGED, UPDATED, Row, UploadKind, get_kind
from .liveness import Heartbeat, run_lock
from .models import Upload
from .reader import UploadRefused, open_sheets
from .values import FORMULA_TEXT, CellError, FormulaCell, FormulaRow, has_forbidden_character, starts_like_formula, text

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
HEADER_SEARCH_ROWS = 10
# A run's full pass of the garbage collector, once this many batches (see run).
FULL_PASS_BATCHES = 20
# Keep the first rejected rows in full for the page and the download; count the rest.
MAX_STORED_ERRORS = 100_000
# The preview lists at most this many updated rows with their changes (issue 8).
MAX_STORED_CHANGES = 100_000


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
    # [{"row": 5, "label": "张三（110105********002X）", "changes": [["岗位", "焊工", "车工"]]}]
    changes: list[dict] = field(default_factory=list)

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
    stand above them); the rows after the header. An optional column (Column.optional) may be
    missing: it is left out of the map."""
    wanted = [column.header for column in kind_class.columns if not column.optional]
    optional = [column.header for column in kind_class.columns if column.optional]
    best_missing: list[str] | None = None
    for sheet in open_sheets(data):
        rows = sheet.rows
        for _index, (_number, cells) in zip(range(HEADER_SEARCH_ROWS), rows):
            headers = [_header_key(cell) for cell in cells]
            present = [h for h in wanted if h in headers]
            if len(present) == len(wanted):
                found = {h: headers.index(h) for h in wanted}
                found.update({h: headers.index(h) for h in optional if h in headers})
                return found, rows
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
    try:  # the common row, all texts: one scan in C
        return not "".join(cells).strip()
    except TypeError:
        pass
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
    # UPL-2 (issue 13): a file makes millions of short-lived objects, and each of the collector's
    # full passes also walked every object the process held before the file (Django, the apps):
    # 15-20% of a re-upload that writes nothing. Those are set aside for the run; the run's own
    # objects are still collected. A freeze already in place (a server's pre-fork freeze, another
    # run in this process) is left as it is: unfreezing it would undo what its owner set aside.
    # The run's own objects are mostly the rows of the batches in hand, which live long enough
    # to reach the oldest generation and die by reference count: the collector's automatic full
    # passes (about ten per 100,000 rows, each walking two or three batches) found nothing and
    # cost 10-15% of a same-file re-upload. They are left out for the run (gen 2 threshold) and
    # replaced by one full pass every FULL_PASS_BATCHES batches, so any cycle is still freed.
    own_freeze = gc.get_freeze_count() == 0
    thresholds = gc.get_threshold()
    if own_freeze:
        gc.freeze()
        gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], 1_000_000))
    try:
        return _run(kind_code=kind_code, data=data, user=user, commit=commit, upload=upload, progress=progress)
    finally:
        if own_freeze:
            gc.set_threshold(*thresholds)
            gc.unfreeze()


def _run(
    *, kind_code: str, data: bytes, user, commit: bool, upload: Upload | None,
    progress: Callable[[int], None] | None,
) -> Summary:
    kind_class = get_kind(kind_code)
    summary = Summary(kind=kind_code)
    if not user.has_perm(kind_class.permission):
        raise UploadRefused(_("You do not have permission to upload this kind of file."))
    header_map, rows = _find_header(kind_class, data)
    kind = kind_class(user, upload)
    columns = kind_class.columns
    # A missing optional column reads as an empty cell (None) in its place.
    positions = [header_map[column.header] for column in columns if column.header in header_map]
    absent = [index for index, column in enumerate(columns) if column.header not in header_map]
    absent_mask = sum(1 << index for index in absent)
    width = max(positions) + 1
    pick = itemgetter(*positions) if len(positions) > 1 else (lambda cells: (cells[positions[0]],))
    keys = [column.key for column in columns]
    guarded = [index for index, column in enumerate(columns) if column.formula_guard]
    optional = [(index, [name for name in column.data_fields if name in kind_class.compared])
                for index, column in enumerate(columns) if column.optional]
    optional = [(index, names) for index, names in optional if names]
    # The first row of each natural key, for the rows that repeat it (UPL-2: compact, see keyset).
    seen = FirstRows()
    atomic = transaction.atomic() if commit else nullcontext()
    # Item 16: every row the commit writes carries the upload's id in the audit trail.
    history = audit_context_for_upload(upload=upload, user=user) if commit else nullcontext()
    # UPL-2 (issue 13): the database classifies and writes a batch on one core while Python cleans
    # the next on the other (see _BatchStage); the database is never used by both threads at once.
    stage = _BatchStage(kind, summary, optional, commit=commit)

    def shape(batch: list[tuple[int, list]] | None) -> list[tuple[Row, bool]] | None:
        """A batch's rows in the template's column order (blank rows left out), with the digests
        of their cells when the kind recognises written rows (a preview: only when looked up)."""
        if batch is None:
            return None
        shaped = []
        digests = digester is not None and (commit or stage.looks_up_next())
        for number, cells in batch:
            if _is_blank(cells):
                continue
            formulas = cells.__class__ is FormulaRow
            if len(cells) < width:
                cells = [*cells, *([None] * (width - len(cells)))]
            values = list(pick(cells))
            # The common row: no cell missing but the file's absent columns (see CellsDigester).
            digest = digester.parts(absent_mask, values) if digests and None not in values else None
            for index in absent:  # ascending: each None lands at its column's place
                values.insert(index, None)
            row = Row(number=number, values=values)
            row.digest = digest if digest is not None or not digests else digester(values)
            shaped.append((row, formulas))
        return shaped

    with atomic, history:
        if commit and connection.vendor == "postgresql":
            _take_commit_locks(kind.lock_keys())
        kind.prepare()
        digester = kind.row_digester()
        try:
            stage.start(more_batches=False)
            batches = _batches(rows, BATCH_SIZE)
            current = shape(next(batches, None))
            written = stage.look_up(current)
            batch_count = 0
            while current is not None:
                # The next batch is shaped (its digests made) and its written rows looked up in the
                # stage's thread while this one is cleaned.
                following = shape(next(batches, None))
                if following is not None:
                    stage.start()
                following_written = stage.look_up(following)
                found = written.result()
                clean_rows: list[Row] = []
                # Recorded after the previous batch has settled, so that the rejected rows keep the
                # file's order whichever thread found them.
                rejected_early: list[Row] = []
                recognised = 0
                for row, formulas in current:
                    number, values = row.number, row.values
                    summary.rows += 1
                    match = found.get(row.digest) if found else None
                    if match is not None and kind.recognise_written(row, match):
                        pass  # the row that wrote this worker, unchanged since (UPL-2)
                    elif not _refuse_cells(row, values, columns, guarded, formulas):
                        try:
                            kind.clean(row, dict(zip(keys, values)))
                        except CellError as error:  # a kind may raise instead of calling reject
                            row.reject("", str(error))
                    if row.status != REJECTED:
                        first, _value = seen.first(kind.natural_key(row), number)
                        if first != number:
                            row.reject(columns[0].header, _("Repeats row %(row)d of this file") % {"row": first})
                        elif row.status == UNCHANGED:
                            recognised += 1
                        else:
                            clean_rows.append(row)
                    if row.status == REJECTED:
                        rejected_early.append(row)
                if commit and stage.all_new and clean_rows:
                    # Likely written new: what writing them needs in Python (the ID numbers'
                    # encryption) is done here, while the stage's thread waits for the database.
                    kind.prepare_new(clean_rows)
                stage.settle()  # the previous batch: its classification reads what it wrote
                # The batch's rows rejected here are recorded with those the classification and
                # the write reject, in the file's order.
                stage.submit(clean_rows, rejected_early, recognised)
                if progress:
                    progress(summary.rows)
                batch_count += 1
                if batch_count % FULL_PASS_BATCHES == 0:
                    gc.collect()  # see run: the automatic full passes are left out
                current, written = following, following_written
            stage.settle()
        finally:
            stage.stop()  # before the transaction ends, whatever happened
    if summary.rows == 0:
        raise UploadRefused(_("The file has headers but no data rows."))
    return summary


def _classify_and_write(kind: UploadKind, rows: list[Row], summary: Summary, optional, commit: bool,
                        rejected_early: list[Row] = (), recognised: int = 0, stage: _BatchStage | None = None) -> None:
    """One batch of clean rows: classified against the database, counted, and with ``commit``
    written. The batch's rows rejected on the way, and those its cleaning rejected
    (``rejected_early``), are recorded together in the file's order: a row the classification
    rejects may come before one its own checks rejected. ``recognised``: the batch's rows found
    unchanged without cleaning (UploadKind.recognise_written)."""
    summary.unchanged += recognised
    if stage is not None and recognised:
        stage.all_new = False
    if rows and commit and stage is not None and stage.all_new:
        if _write_as_new(kind, rows, summary):
            for row in sorted([*rejected_early, *(row for row in rows if row.status == REJECTED)],
                              key=lambda row: row.number):
                _record_rejected(summary, row)
            return
        stage.all_new = False
    if rows:
        mark_kept(kind, rows, optional)
        kind.classify(rows)
        settle(kind, rows, optional, changes=not commit)
        kind.settled(rows)
        if stage is not None and any(row.status != NEW for row in rows):
            stage.all_new = False
    to_write: list[tuple[Row, str]] = []
    for row in rows:
        status = row.status
        if status == NEW:
            summary.new += 1
            to_write.append((row, status))
        elif status == UPDATED:
            summary.updated += 1
            to_write.append((row, status))
            if row.changes and len(summary.changes) < MAX_STORED_CHANGES:
                _record_changes(summary, kind, row)
        elif status == UNCHANGED:
            summary.unchanged += 1
    if commit:
        summary.written += write_batch(kind, [row for row, _status in to_write])
        for row, status in to_write:
            if row.status == REJECTED:  # contested by another upload: see write_batch
                summary.new -= status == NEW
                summary.updated -= status == UPDATED
    rejected = [*rejected_early, *(row for row in rows if row.status == REJECTED)]
    for row in sorted(rejected, key=lambda row: row.number):
        _record_rejected(summary, row)


def _write_as_new(kind: UploadKind, rows: list[Row], summary: Summary) -> bool:
    """UPL-2 (issue 13): while every row of a commit so far was new, the next batch is written new
    without looking its keys up (UploadKind.classify_as_new), in a savepoint. If a key turns out to
    be stored (a unique violation), or another upload holds it (a lock wait, a deadlock), the
    savepoint is rolled back, the rows are made as they were, and the batch is classified and
    written as usual (False): no row is ever written new that the look-up would have found."""
    if connection.vendor != "postgresql" or not kind.classify_as_new(rows):
        for row in rows:
            row.status = ""
        return False
    kind.settled(rows)
    previous = _set_lock_timeout(f"{settings.UPLOAD_LOCK_TIMEOUT_MS}ms")
    try:
        with transaction.atomic():
            written = kind.write(rows)
    except DatabaseError as error:
        if not _is_contention(error):  # a stored key (23505), or another upload holds one
            raise
        for row in rows:
            row.status, row.errors, row.unlooked = "", [], False
        return False
    finally:
        _set_lock_timeout(previous)
    summary.new += sum(1 for row in rows if row.status == NEW)
    summary.written += written
    return True


class _BatchStage:
    """Classifies and writes a commit's batches (_classify_and_write) in a second thread on the
    commit's own connection, inside its transaction, while the pipeline cleans the next batch
    (UPL-2, issue 13). A preview's batches are classified there too: its look-ups overlap the
    cleaning as a commit's do, and the preview stays at most half the commit's time.

    The machine has two cores: PostgreSQL looks a batch up and stores it on one (psycopg2 releases
    the GIL while a statement runs) while Python parses, checks and hashes the next on the other; a
    re-upload that writes nothing still waits for its look-ups, and they overlap the cleaning too.
    Only one thread uses the connection at a time: the pipeline's thread cleans without it, and
    waits for the batch in the stage (settle) before it submits the next one, records the next
    batch's rejected rows (so the file's order is kept), and before the transaction ends (stop).
    A failure in the stage is raised in the pipeline's thread by settle, so the transaction is
    rolled back as before. SQLite (the demo) runs each batch in the pipeline's thread."""

    def __init__(self, kind: UploadKind, summary: Summary, optional, *, commit: bool):
        self.kind, self.summary, self.optional, self.commit = kind, summary, optional, commit
        self.pending: Future | None = None
        self.executor: ThreadPoolExecutor | None = None
        # Every row classified so far was new: the next batch is written without look-ups
        # (_write_as_new). Set only by the stage's thread, read by it.
        self.all_new = True
        # Batches whose written rows were looked up, and how many of them found some: a file of
        # new rows stops looking (each look-up waits for the database) but tries again now and then.
        self.lookups = 0
        self.lookups_found = 0
        self.failed = False

    def looks_up_next(self) -> bool:
        return self.lookups == 0 or self.lookups_found > 0 or self.lookups % 8 == 0

    def _look_up(self, shaped: list[tuple[Row, bool]] | None) -> dict:
        if not shaped or not self.kind.recognises_written or self.failed:
            return {}
        digests = [row.digest for row, _formulas in shaped if row.digest is not None]
        if not digests or not self.looks_up_next():
            self.lookups += 1
            return {}
        found = self.kind.find_written(digests)
        self.lookups += 1
        self.lookups_found = len(found)
        return found

    def look_up(self, shaped: list[tuple[Row, bool]] | None) -> Future:
        """A batch's written rows (UploadKind.find_written), looked up in the stage's thread after
        the batches before it, so that the pipeline cleans the batch before while it runs. It may
        run before the batch before is written: a row that batch writes is then not recognised but
        validated, which finds the same."""
        if self.executor is None:
            future: Future = Future()
            future.set_result(self._look_up(shaped))
            return future
        return self.executor.submit(self._look_up, shaped)

    def start(self, *, more_batches: bool = True) -> None:
        """The stage's thread, for a commit, and for a preview of more than one batch (one batch
        has nothing to overlap). Idempotent."""
        if connection.vendor != "postgresql" or self.executor is not None:
            return
        if not self.commit and not more_batches:
            return
        shared = connections[DEFAULT_DB_ALIAS]
        enter_audit_context = audit_context_carry()
        # Reasons are worded in the uploader's language, dates read in their time zone.
        language, zone = translation.get_language(), timezone.get_current_timezone()

        def adopt() -> None:
            connections[DEFAULT_DB_ALIAS] = shared
            enter_audit_context()
            translation.activate(language) if language else None
            timezone.activate(zone)

        shared.inc_thread_sharing()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-writer", initializer=adopt)

    def submit(self, rows: list[Row], rejected_early: list[Row], recognised: int) -> None:
        if self.executor is None:
            _classify_and_write(self.kind, rows, self.summary, self.optional, self.commit, rejected_early,
                                recognised, self)
            return

        def job() -> None:
            try:
                _classify_and_write(self.kind, rows, self.summary, self.optional, self.commit, rejected_early,
                                    recognised, self)
            except BaseException:
                self.failed = True  # the look-ups queued behind it do nothing: settle raises this
                raise

        self.pending = self.executor.submit(job)

    def settle(self) -> None:
        """Wait for the batch in the stage; raises what it raised."""
        if self.pending is None:
            return
        future, self.pending = self.pending, None
        future.result()

    def stop(self) -> None:
        if self.executor is None:
            return
        self.executor.shutdown(wait=True)  # a batch still running ends before the rollback
        self.executor = None
        self.pending = None
        connections[DEFAULT_DB_ALIAS].dec_thread_sharing()


def _refuse_cells(row: Row, values: list, columns, guarded: list[int], formulas: bool) -> bool:
    """Reject the row for a cell no kind may take (True): a character no cell may hold
    (values.FORBIDDEN_CHARACTERS), a formula the file holds no value for (only in a row the
    reader marked, a FormulaRow), or, in a column with Column.formula_guard, a text that begins
    like a formula."""
    texts = [value for value in values if value.__class__ is str]
    # One C-level scan for the common row: every forbidden character is unprintable.
    if not "".join(texts).isprintable() or formulas:
        for index, value in enumerate(values):
            if value.__class__ is str:
                if has_forbidden_character(value):
                    row.reject(columns[index].header, _(
                        "The cell holds an invisible control character (such as NUL) that cannot be saved; "
                        "type the cell again"))
                    return True
            elif value.__class__ is FormulaCell:
                if value.error:
                    row.reject(columns[index].header, _(
                        "The cell is a formula whose result is the error %(error)s; correct the formula or type "
                        "the value") % {"error": value.error})
                else:
                    row.reject(columns[index].header, _(
                        "The cell is a formula without a value: the file does not hold its result. Open the file "
                        "in Excel or WPS and save it again, or paste the column as values"))
                return True
    for index in guarded:
        value = values[index]
        if value.__class__ is str and starts_like_formula(value):
            row.reject(columns[index].header, _(FORMULA_TEXT))
            return True
    return False


def mark_kept(kind: UploadKind, rows: list[Row], optional: list[tuple[int, list[str]]]) -> None:
    """Row.kept for each row: the compared fields its blank optional cells keep (see settle)."""
    compared = kind.compared
    bits = [(index, sum(1 << compared.index(name) for name in names)) for index, names in optional]
    if not bits:
        return
    for row in rows:
        values, kept = row.values, 0
        for index, mask in bits:
            cell = values[index]
            if cell is None or (cell.__class__ is str and (not cell or cell.isspace())):
                kept |= mask
        row.kept = kept


def settle(kind: UploadKind, rows: list[Row], optional: list[tuple[int, list[str]]], *, changes: bool) -> None:
    """For each row that classify matched with a stored record (row.stored), and left unsettled:
    a blank or missing cell of an optional column keeps the stored values (Column.optional), then
    the row is UPDATED or UNCHANGED, and with ``changes`` its changed fields are listed as
    (header, before, after) for the preview."""
    compared = kind.compared
    for row in rows:
        stored = row.stored
        if row.status or stored is None:
            continue
        data = row.data
        values = row.values
        for index, names in optional:
            cell = values[index]
            if cell is None or (cell.__class__ is str and (not cell or cell.isspace())):
                for name in names:
                    data[name] = stored[name]
        if [data[name] for name in compared] == [stored[name] for name in compared]:
            row.status = UNCHANGED
            continue
        row.status = UPDATED
        if changes:
            row.changes = [(name, stored[name], data[name]) for name in compared if data[name] != stored[name]]


def _record_changes(summary: Summary, kind: UploadKind, row: Row) -> None:
    # MEM-4: the preview names the row by its masked ID number; any ID-shaped value is masked.
    summary.changes.append({
        "row": row.number,
        "label": mask_id_numbers_in_text(kind.row_label(row)),
        "changes": [[kind.header_for(name), mask_id_numbers_in_text(kind.display(name, before)),
                     mask_id_numbers_in_text(kind.display(name, after))] for name, before, after in row.changes],
    })


def _take_commit_locks(keys: list[tuple[int, bool]]) -> None:
    """Takes a commit's advisory locks (UploadKind.lock_keys) for the rest of its transaction.

    A commit that needs several (a city-wide one: every district's) never holds some while it
    waits for another: 海淀's commit would wait behind a city-wide commit that took 海淀's lock and
    waits for 朝阳's (issue 6 item 9). So it tries them all, in the kinds' one order, inside a
    savepoint; when one is held elsewhere it rolls the savepoint back (PostgreSQL then releases
    what it took), waits for that lock alone, and tries the rest again."""
    def sql(exclusive: bool, wait: bool) -> str:
        return "SELECT {}({})".format(
            ("pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock") + ("" if exclusive else "_shared"), "%s")

    with connection.cursor() as cursor:
        if len(keys) == 1:
            cursor.execute(sql(keys[0][1], wait=True), [keys[0][0]])
            return
        contested = None
        while True:
            savepoint = transaction.savepoint()
            if contested is not None:
                cursor.execute(sql(contested[1], wait=True), [contested[0]])
            for key, exclusive in keys:
                if (key, exclusive) == contested:
                    continue
                cursor.execute(sql(exclusive, wait=False), [key])
                if not cursor.fetchone()[0]:
                    contested = (key, exclusive)
                    break
            else:
                transaction.savepoint_commit(savepoint)
                return
            transaction.savepoint_rollback(savepoint)


# PostgreSQL error codes that mean "another transaction holds this row or key": a lock wait
# that reached lock_timeout, a unique key another upload wrote first, a deadlock between the two.
CONTENTION_CODES = {"55P03", "23505", "40P01"}


def _is_contention(error: Exception) -> bool:
    return getattr(error.__cause__, "pgcode", None) in CONTENTION_CODES


def _set_lock_timeout(value: str) -> str:
    """SET LOCAL lock_timeout (to the end of the transaction); the value it replaces."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)", [value])
        return cursor.fetchone()[0]


def write_batch(kind: UploadKind, rows: list[Row]) -> int:
    """Write a batch of a commit; contested rows are rejected, never waited for long (UPL-2).

    Commits of different districts run side by side (UploadKind.lock_keys), so two of them may
    write the same city-wide key at once (one ID number on two districts' rosters). The database
    decides: the later writer waits for the earlier one's row or key at most UPLOAD_LOCK_TIMEOUT_MS,
    then the batch is rolled back to its savepoint and written again row by row, with a shorter
    wait per row; each row that is still contested is rejected with its reason and the rest are
    written."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        return kind.write(rows)  # the demo's SQLite has one writer at a time
    timeout = settings.UPLOAD_LOCK_TIMEOUT_MS
    previous = _set_lock_timeout(f"{timeout}ms")
    try:
        try:
            with transaction.atomic():
                return kind.write(rows)
        except DatabaseError as error:
            if not _is_contention(error):
                raise
        logger.info("upload %s: a batch met another upload's rows; writing it row by row",
                    getattr(kind.upload, "pk", None))
        _set_lock_timeout(f"{max(timeout // 10, 50)}ms")
        written = 0
        for row in rows:
            try:
                with transaction.atomic():
                    written += kind.write([row])
            except DatabaseError as error:
                if not _is_contention(error):
                    raise
                row.reject(kind.key_header(), _(
                    "Another upload was writing this record at the same moment, so this row was not "
                    "written. Upload it again in a few minutes."))
        return written
    finally:
        try:
            _set_lock_timeout(previous)
        except DatabaseError:
            pass  # the connection failed; the error that ends the upload is already on its way


def _record_rejected(summary: Summary, row: Row) -> None:
    summary.rejected_count += 1
    if len(summary.rejected) >= MAX_STORED_ERRORS:
        return
    summary.rejected.append({
        "row": row.number,
        # MEM-4: a reason may quote a cell (an ID number typed in the wrong column, Excel's
        # 1.10105194912E+17): stored, shown and downloaded with every ID-shaped value masked.
        "errors": [[column, mask_id_numbers_in_text(reason)] for column, reason in row.errors],
        # The row as uploaded, for the download to fix and upload again; encrypted because
        # it may hold an ID number (MEM-4).
        "values": encrypt_text(json.dumps([_jsonable(v) for v in row.values], ensure_ascii=False)),
    })


def flatten_errors(rejected: list[dict]):
    """One {"row", "column", "reason"} per problem: a row may have several. Masked again on the
    way out, for uploads whose reasons were stored before they were masked."""
    for entry in rejected:
        for column, reason in entry["errors"]:
            yield {"row": entry["row"], "column": column, "reason": mask_id_numbers_in_text(reason)}


def _jsonable(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def rejected_values(error: dict, *, reveal: bool, sensitive: list[int]) -> list:
    """The stored cells of a rejected row. Unless ``reveal``, the ID-number columns are masked,
    and so is every ID-shaped value in any other column: an ID number typed in the name column
    is no less an ID number (MEM-4)."""
    cells = json.loads(decrypt_text(error["values"])) if error.get("values") else []
    if not reveal:
        for index, cell in enumerate(cells):
            if cell in (None, "") or isinstance(cell, bool):
                continue
            if index in sensitive:
                cells[index] = mask_id_number(str(cell))
            elif isinstance(cell, (str, int, float)):
                masked = mask_id_numbers_in_text(str(cell))
                if masked != str(cell):
                    cells[index] = masked
    return cells


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload_create(*, user, kind_code: str, file_name: str, data: bytes, keep_file: bool = True) -> Upload:
    """Record a received file (UPL-5) before anything else is done with it; ``keep_file=False``
    for a file already refused, which is recorded without its bytes."""
    from django.core.files.base import ContentFile

    get_kind(kind_code)
    upload = Upload(
        kind=kind_code, user=user, unit_id=getattr(user, "unit_id", None), file_name=file_name[:255],
        file_size=len(data), sha256=sha256(data),
    )
    # The file holds ID numbers in clear: it is kept encrypted at rest like the registry (MEM-4).
    if keep_file:
        upload.file.save(f"{upload.sha256[:16]}-{kind_code}.bin", ContentFile(encrypt_bytes(data)), save=False)
    upload.save()
    return upload


class UploadAbandoned(Exception):
    """The upload's claim was taken from this run (the sweep failed it): undo the commit."""


def upload_process(*, upload: Upload, commit: bool) -> Upload:
    """Run the claimed preview (PREVIEWING) or commit (COMMITTING) of a recorded upload and store
    the outcome on it; see services.upload_start. Safe to call again for the same claim (a Celery
    task redelivered after its worker died): a run starts only while nobody else runs the
    upload and its claim is still open, and does nothing on an upload that is finished or failed.
    """
    claimed = Upload.Status.COMMITTING if commit else Upload.Status.PREVIEWING
    with run_lock(upload.pk, wait=settings.UPLOAD_RUN_LOCK_WAIT) as ours:
        if not ours:
            # Another process runs it (a redelivery that came too early): that one finishes it.
            logger.warning("upload %s is being run by another process", upload.pk)
            upload.refresh_from_db()
            return upload
        # Compare-and-set: this run takes the claim, unless the claim ended meanwhile (finished,
        # failed by the sweep) or has been tried too often (a file that kills its worker).
        started = Upload.objects.filter(
            pk=upload.pk, status=claimed, attempts__lt=settings.UPLOAD_MAX_ATTEMPTS,
        ).update(attempts=F("attempts") + 1, heartbeat_at=timezone.now())
        upload.refresh_from_db()
        if not started:
            if upload.status == claimed:
                _finish(upload, claimed, status=Upload.Status.FAILED, message=_(
                    "The upload stopped the process running it %(count)d times, so it was not tried again."
                ) % {"count": upload.attempts})
            return upload
        return _run_claimed(upload, claimed, commit)


def _finish(upload: Upload, claimed: str, **fields) -> bool:
    """Store the outcome if the claim is still this run's; False if it was taken away."""
    if not Upload.objects.filter(pk=upload.pk, status=claimed).update(**fields):
        return False
    for name, value in fields.items():
        setattr(upload, name, value)
    return True


def _run_claimed(upload: Upload, claimed: str, commit: bool) -> Upload:
    with upload.file.open("rb") as handle:
        data = decrypt_bytes(handle.read())
    key = progress_key(upload.pk)
    heartbeat = Heartbeat(upload.pk)

    def progress(done: int) -> None:
        cache.set(key, {"rows": done, "phase": "commit" if commit else "preview"}, timeout=3600)
        heartbeat.beat()

    def outcome(summary: Summary) -> dict:
        fields = dict(rows=summary.rows, new=summary.new, updated=summary.updated, unchanged=summary.unchanged,
                      rejected=summary.rejected_count, errors=summary.rejected, message="")
        if not commit:
            fields["changes"] = summary.changes
        if commit:
            return {**fields, "written": summary.written, "status": Upload.Status.COMMITTED,
                    "committed_at": timezone.now()}
        return {**fields, "status": Upload.Status.PREVIEWED, "previewed_at": timezone.now()}

    try:
        if commit:
            # The rows and the COMMITTED status are written in one transaction: an upload is
            # COMMITTED exactly when its rows are in, whenever its process dies.
            with transaction.atomic():
                summary = run(kind_code=upload.kind, data=data, user=upload.user, commit=True, upload=upload,
                              progress=progress)
                if not _finish(upload, claimed, **outcome(summary)):
                    raise UploadAbandoned
        else:
            summary = run(kind_code=upload.kind, data=data, user=upload.user, commit=False, upload=upload,
                          progress=progress)
            _finish(upload, claimed, **outcome(summary))
    except UploadAbandoned:
        logger.warning("upload %s was failed by the sweep while it ran; its commit was undone", upload.pk)
    except UploadRefused as refused:
        # Only while the claim is this run's: a refused file is then never kept.
        if _finish(upload, claimed, status=Upload.Status.REFUSED, message=mask_id_numbers_in_text(str(refused.message))):
            refuse(upload, upload.message)
    except Exception:
        # The transaction has rolled back; the uploader sees a plain message on the upload's
        # page (not a server error), and the log keeps the traceback.
        logger.exception("upload %s failed", upload.pk)
        _finish(upload, claimed, status=Upload.Status.FAILED,
                message=_("An unexpected error stopped the upload; nothing was written."))
    finally:
        cache.delete(key)
        heartbeat.close()
    upload.refresh_from_db()
    return upload


def refuse(upload: Upload, message: str) -> Upload:
    """A refused file is never kept (issue 6): it holds ID numbers and can never be written; the
    record keeps its name, size and hash (UPL-5)."""
    if upload.file:
        upload.file.delete(save=False)
    upload.status = Upload.Status.REFUSED
    upload.message = mask_id_numbers_in_text(str(message))
    upload.save(update_fields=["status", "message", "file"])
    return upload


def runs_in_background(upload: Upload) -> bool:
    return upload.file_size > settings.UPLOAD_BACKGROUND_BYTES
