"""UPL-2 (issue 13): the first row of each key of a file, in about a sixth of a dict's memory.

A roster of 500,000 rows must be committed within 256 MiB. The checks across a file's rows (a row
that repeats an earlier one; a name and masked ID number given with other digits) keep one entry a
row for the whole file; as a dict of Python ints that is about 115 bytes an entry (the key and value
objects besides the table), 115 MB for two such checks. Here an entry is a 64-bit fingerprint, a
32-bit row number and an optional 64-bit value in flat arrays (12 or 20 bytes), in 16,384 buckets.
"""
from __future__ import annotations

from array import array

_BUCKET_BITS = 14
_BUCKETS = 1 << _BUCKET_BITS
_BUCKET_MASK = _BUCKETS - 1
_WORD = (1 << 64) - 1


class FirstRows:
    """``first(key, row, value)``: the (row, value) that ``key`` was first given with; the first
    time, ``row`` and ``value`` themselves.

    A key that is a non-negative int is kept by its low 78 bits (14 pick the bucket, 64 are
    compared): meant for keys that are already uniform hashes, such as a prefix of an ID number's
    keyed hash, where two keys of one file sharing 78 bits is a chance of about 1 in 10^12 for
    500,000 rows. Any other key (a tuple) is kept exactly, in a dict. Values are 64-bit unsigned.
    """

    __slots__ = ("_keys", "_rows", "_values", "_with_values", "_other")

    def __init__(self, *, with_values: bool = False):
        self._keys: list[array | None] = [None] * _BUCKETS
        self._rows: list[array | None] = [None] * _BUCKETS
        self._values: list[array | None] = [None] * _BUCKETS
        self._with_values = with_values
        self._other: dict = {}

    def first(self, key, row: int, value: int = 0) -> tuple[int, int]:
        if key.__class__ is not int or key < 0:
            return self._other.setdefault(key, (row, value))
        bucket = key & _BUCKET_MASK
        rest = (key >> _BUCKET_BITS) & _WORD
        keys = self._keys[bucket]
        if keys is None:
            self._keys[bucket] = array("Q", (rest,))
            self._rows[bucket] = array("I", (row,))
            if self._with_values:
                self._values[bucket] = array("Q", (value,))
            return row, value
        if rest in keys:  # a repeat: rare, so the second scan costs nothing
            index = keys.index(rest)
            return self._rows[bucket][index], (self._values[bucket][index] if self._with_values else 0)
        keys.append(rest)
        self._rows[bucket].append(row)
        if self._with_values:
            self._values[bucket].append(value)
        return row, value
