"""MEM-3, MEM-4: how a worker's identity is stored and how other apps find a worker by ID number.

This is membership's published surface for everything keyed by ID number: the services, the
roster upload, the demo seed, the benchmarks and the test factories derive a worker's stored ID
fields with :func:`worker_id_fields`, and the upload kinds of other apps (training records now,
talent and innovation later) find the workers their rows name through :class:`WorkerDirectory`
instead of rebuilding the keyed-hash look-up themselves.
"""
from __future__ import annotations

from typing import Callable

from django.utils.translation import gettext as _

from core.crypto import id_number_tools
from core.identity import InvalidCode, mask_id_number, parse_id_number
from uploads import bulk

from . import scoping
from .models import Worker


def worker_id_fields_builder(*, encrypted: bool = True) -> Callable[[str], dict]:
    """A function from an ID number to the Worker fields it determines, bound once to the current
    key, for loops over many rows. Raises InvalidCode for a number that is not valid.

    MEM-4: the number is stored encrypted, found by its keyed hash, and shown masked; the birth date
    and sex are read from it (GB 11643), never typed separately.

    ``encrypted=False``: the normalised number is given as "id_number" instead of
    "id_number_encrypted", for a caller that encrypts only the numbers it will store (the roster
    upload: a re-upload finds most of its rows already stored, UPL-2); see :func:`id_number_encrypter`."""
    encrypt, digest = id_number_tools()

    if not encrypted:
        def clear_fields(id_number: str) -> dict:
            number, birth, sex = parse_id_number(id_number)
            return {
                "id_number": number, "id_number_digest": digest(number),
                "id_number_masked": mask_id_number(number), "birth_date": birth, "sex": sex,
            }

        return clear_fields

    def fields(id_number: str) -> dict:
        number, birth, sex = parse_id_number(id_number)
        return {
            "id_number_encrypted": encrypt(number), "id_number_digest": digest(number),
            "id_number_masked": mask_id_number(number), "birth_date": birth, "sex": sex,
        }

    return fields


def id_number_encrypter() -> Callable[[dict], None]:
    """For fields made with ``worker_id_fields_builder(encrypted=False)``: replaces "id_number"
    by "id_number_encrypted" in place (the clear number is not kept)."""
    encrypt, _digest = id_number_tools()

    def seal(fields: dict) -> None:
        fields["id_number_encrypted"] = encrypt(fields.pop("id_number"))

    return seal


def worker_id_fields(id_number: str) -> dict:
    """The Worker fields one ID number determines (see :func:`worker_id_fields_builder`)."""
    return worker_id_fields_builder()(id_number)


class WorkerDirectory:
    """Rows of another app's upload that name a worker by ID number and name, resolved in bulk.

    ``key()`` turns a row's ID-number cell into its keyed hash (or rejects the row) while the row is
    cleaned; ``resolve()`` then finds a whole batch of rows in one query and, for each row, either
    stores the worker's id in ``row.data`` or rejects the row with the reason.

    MEM-2, MEM-4: a worker outside the uploader's units gets the same answer as a number registered
    nowhere, so such a file is no way to ask whether a number is registered in the city, or where;
    the answer then needs no count against ID_NUMBER_LOOKUPS_PER_DAY. Rows are anything with
    ``data`` (a dict) and ``reject(column, reason)``, such as uploads.kinds.Row.
    """

    def __init__(self, user, *, id_column: str = "身份证号", name_column: str = "姓名"):
        self.user = user
        self.in_scope = scoping.path_checker(user)
        _encrypt, self.digest = id_number_tools()
        self.id_column, self.name_column = id_column, name_column

    def key(self, row, raw) -> str | None:
        """The keyed hash of the row's ID number, or None after rejecting the row."""
        try:
            number, _birth, _sex = parse_id_number(raw)
        except InvalidCode as error:
            row.reject(self.id_column, str(error))
            return None
        return self.digest(number)

    def resolve(self, rows, *, key: str = "digest", name: str = "name", into: str = "worker_id",
                unit_into: str = "unit_id") -> None:
        """For each row, ``row.data[into]`` becomes the id of the worker whose keyed hash is
        ``row.data[key]`` and whose registered name is ``row.data[name]``, and
        ``row.data[unit_into]`` the worker's unit now (a fact stores the unit it happened in, MEM-2);
        otherwise the row is rejected. One query per batch."""
        found = {digest: (pk, registered_name, path, unit_id) for digest, pk, registered_name, path, unit_id
                 in bulk.fetch_by_keys(Worker, "id_number_digest", list({row.data[key] for row in rows}),
                                       ("id", "name", "unit__path", "unit_id"))}
        for row in rows:
            worker = found.get(row.data[key])
            if worker is None or not self.in_scope(worker[2]):
                row.reject(self.id_column, _("This ID number is not among the workers of the units you manage; "
                                             "upload them in the worker roster first"))
            elif worker[1] != row.data[name]:
                row.reject(self.name_column, _("The name differs from the registry's name for this ID number"))
            else:
                row.data[into], row.data[unit_into] = worker[0], worker[3]
