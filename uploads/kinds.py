"""An upload kind declares its columns, how one row is cleaned, how a batch of clean rows is
classified against the database in one query, and how it is written. The pipeline does the rest."""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any, ClassVar

NEW, UPDATED, UNCHANGED, REJECTED = "new", "updated", "unchanged", "rejected"


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese header exactly as the template has it
    key: str
    rule: str  # one line for the 填写说明 sheet
    example: str = ""
    required: bool = False
    sensitive: bool = False  # an ID number: masked in downloads for anyone but the uploader


@dataclass(slots=True)
class Row:
    number: int  # as the spreadsheet shows it
    values: list  # the raw cells, in template column order, for the rejected-rows download
    data: dict[str, Any] = field(default_factory=dict)
    status: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, reason)
    existing: Any = None

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
        """Set row.status to NEW, UPDATED, UNCHANGED or reject it, for a batch, in one query."""
        raise NotImplementedError

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

