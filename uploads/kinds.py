"""An upload kind declares its columns, how one row is cleaned, how a batch of clean rows is
classified against the database in one query, and how it is written. The pipeline does the rest."""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext

NEW, UPDATED, UNCHANGED, REJECTED = "new", "updated", "unchanged", "rejected"


@dataclass(frozen=True)
class Column:
    """One column of a kind's template.

    ``optional``: the column may be left out of a file (templates that district offices already
    hold keep working when a kind grows a column), and a blank or missing cell in it never
    clears a stored value: for a row that matches a stored record, the pipeline puts the stored
    values of the column's ``fields`` back into ``row.data`` before it compares (clearing is done
    in the admin). A new record gets what ``clean`` makes of a blank cell (the default). Needs the
    kind's ``classify`` to give ``row.stored`` (see UploadKind.classify).

    ``formula_guard``: a text cell that begins with =, +, - or @ is a row error (UPL-4): names
    and titles are shown and exported everywhere, and such a text is run as a formula by the
    spreadsheet of whoever opens an export. For name and title columns.
    """

    header: str  # the Chinese header exactly as the template has it
    key: str
    rule: str  # one line for the 填写说明 sheet
    example: str = ""
    required: bool = False
    sensitive: bool = False  # an ID number: masked in downloads for anyone but the uploader
    optional: bool = False
    formula_guard: bool = False
    # The names in row.data this column fills, when not just ``key`` (for ``optional``).
    fields: tuple[str, ...] = ()

    @property
    def data_fields(self) -> tuple[str, ...]:
        return self.fields or (self.key,)


@dataclass(slots=True)
class Row:
    number: int  # as the spreadsheet shows it
    values: list  # the raw cells, in template column order, for the rejected-rows download
    data: dict[str, Any] = field(default_factory=dict)
    status: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, reason)
    existing: Any = None
    # The stored record's values of the kind's ``compared`` fields, given by classify for a row
    # that matches a stored record: the pipeline then keeps stored values for blank optional
    # columns, sets UPDATED or UNCHANGED, and lists the changes for the preview.
    stored: dict[str, Any] | None = None
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (header, before, after)
    # Bit i set: the i-th of the kind's ``compared`` fields is kept from the stored record (its
    # optional column is blank or missing, see Column.optional); set before classify.
    kept: int = 0
    # The keyed digest of the row's cells (uploads.fingerprint.cells_digester), for a kind that
    # recognises the rows it wrote (UploadKind.recognises_written): written with the record.
    digest: str | None = None
    # NEW without its key looked up (UploadKind.classify_as_new): write must let a stored key
    # raise, not skip it.
    unlooked: bool = False

    def reject(self, column: str, reason: str) -> None:
        self.status = REJECTED
        self.errors.append((column, str(reason)))


class UploadKind:
    code: ClassVar[str]
    label: ClassVar[Any]
    columns: ClassVar[tuple[Column, ...]]
    # The permission an uploader needs, e.g. "membership.add_worker".
    permission: ClassVar[str]
    # The header of the column holding the natural key, named when a row is contested.
    key_column: ClassVar[str | None] = None
    # The fields of row.data compared with row.stored (UPDATED or UNCHANGED), in this order.
    compared: ClassVar[tuple[str, ...]] = ()

    def __init__(self, user, upload=None):
        self.user = user
        self.upload = upload

    def prepare(self) -> None:
        """Load what every row is checked against (set-based: a few queries per file)."""

    def clean(self, row: Row, cells: dict[str, Any]) -> None:
        """Fill row.data from the cells of one row, or call row.reject()."""
        raise NotImplementedError

    def natural_key(self, row: Row):
        raise NotImplementedError

    def classify(self, rows: list[Row]) -> None:
        """For a batch, in one query: set row.status to NEW, or reject the row, or, for a row that
        matches a stored record, set ``row.stored`` (the record's values of ``compared``) and
        ``row.existing`` (what write needs) and leave the status empty: the pipeline then applies
        the optional columns and sets UPDATED or UNCHANGED (see pipeline.settle). A kind may still
        set UPDATED or UNCHANGED itself, but then its optional columns are not kept."""
        raise NotImplementedError

    def settled(self, rows: list[Row]) -> None:
        """Checks that need the row as it will be written (stored values kept for blank optional
        columns); called after the pipeline has settled a batch. Reject rows here."""

    # UPL-2 (issue 13): a kind that stores with each record the digest of the row that wrote it
    # (Row.digest) sets this, and implements find_written and recognise_written: a re-upload then
    # skips validating the rows it wrote unchanged. PostgreSQL only: a trigger must clear the
    # digest when anything else changes the record.
    recognises_written: ClassVar[bool] = False
    # Part of the digest's key: bumped when the kind's rules change, so no row is recognised that
    # the new rules might judge otherwise.
    rules_version: ClassVar[int] = 1

    def row_digester(self):
        """The function from a row's cells to its digest, or None when this kind (or the database)
        recognises no written rows."""
        from django.db import connection

        from core.crypto import derived_key

        from .fingerprint import cells_digester

        if not self.recognises_written or connection.vendor != "postgresql":
            return None
        return cells_digester(derived_key(f"upload-row:{self.code}:{self.rules_version}"))

    def find_written(self, digests: list[str]) -> dict[str, Any]:
        """The stored records written by rows with these digests: digest → what recognise_written
        needs. One query."""
        return {}

    def recognise_written(self, row: Row, found) -> bool:
        """For a row whose digest is ``found``'s: True after setting its status to UNCHANGED (or
        rejecting it, for a check across the file's rows) and filling what natural_key reads; False
        when the row must be validated in full after all."""
        return False

    def prepare_new(self, rows: list[Row]) -> None:
        """Work in Python that write needs for rows written new, done ahead in the pipeline's
        thread for a commit whose rows so far were all new (UPL-2): write must still do it for a
        row that lacks it. Nothing by default."""

    def classify_as_new(self, rows: list[Row]) -> bool:
        """Set every row of a commit's batch NEW without looking it up (True, each row marked
        ``unlooked``), for a kind whose natural key is a unique constraint, so that a stored one
        refuses the batch's write (write raises IntegrityError); False: classify as usual."""
        return False

    def display(self, name: str, value) -> str:
        """How a value of a compared field reads in the preview's list of changes."""
        if value is None or value == "":
            return gettext("(empty)")
        if isinstance(value, bool):
            return "是" if value else "否"
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value)

    def row_label(self, row: Row) -> str:
        """Who or what a row is, for the preview's list of changes (never a full ID number)."""
        return ""

    @classmethod
    def header_for(cls, name: str) -> str:
        for column in cls.columns:
            if name in column.data_fields:
                return column.header
        return name

    def write(self, rows: list[Row]) -> int:
        """Write the NEW and UPDATED rows of a batch; runs inside the upload's transaction."""
        raise NotImplementedError

    @classmethod
    def key_header(cls) -> str:
        return cls.key_column or cls.columns[0].header

    def lock_partition(self) -> str | None:
        """The part of the city this upload may write in (for a unit-scoped kind, the uploader's
        level-1 unit), or None when it may write anywhere. The app that owns scope supplies it
        (membership.upload_kinds.ScopedUploadKind); None, the default, serialises every commit
        of the kind, which is always safe."""
        return None

    def lock_keys(self) -> list[tuple[int, bool]]:
        """The PostgreSQL advisory locks a commit of this kind holds, as (key, exclusive).

        UPL-2: only commits that can touch the same rows are serialised. An uploader inside a
        level-1 unit (a district, an industry union) writes only rows of that subtree, so their
        commit takes only the (kind, level-1 unit) lock: 海淀's commit never waits behind 朝阳's.
        It takes no kind-wide lock, not even shared: a city-wide commit waiting for that lock
        exclusively would queue every later shared request behind it, so 海淀 would wait for 朝阳
        after all (issue 6 item 9). A city-wide uploader may touch every district's rows and takes
        every partition's lock and the kind's own, exclusively, in ascending key order: every
        commit that takes more than one lock takes them in that one order, so none deadlock.
        City-wide natural keys (an ID number uploaded by two districts at once) are left to the
        unique constraints: see pipeline.write_batch."""
        partition = self.lock_partition()
        if partition is not None:
            return [(_partition_lock_key(self.code, partition), True)]
        keys = {_lock_key(f"upload:{self.code}")} | {
            _partition_lock_key(self.code, each) for each in self.all_lock_partitions()}
        return [(key, True) for key in sorted(keys)]

    def all_lock_partitions(self) -> list[str]:
        """Every partition lock_partition can return: a city-wide commit takes all of them."""
        return []


def _partition_lock_key(code: str, partition: str) -> int:
    return _lock_key(f"upload:{code}:{partition}")


def _lock_key(name: str) -> int:
    return zlib.crc32(name.encode()) % (2**31)


_REGISTRY: dict[str, type[UploadKind]] = {}


def register(kind: type[UploadKind]) -> type[UploadKind]:
    _REGISTRY[kind.code] = kind
    return kind


def get_kind(code: str) -> type[UploadKind]:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(code) from None


def all_kinds() -> list[type[UploadKind]]:
    return list(_REGISTRY.values())

