"""Model instances from the columns of a statement written by hand, as the ORM would have built them
(each field's ``from_db_value`` applied): for the few statements run on every request that read
several models in one row (the API's token look-up, a session's account), written once instead of
built and compiled by the ORM each time."""
from __future__ import annotations

import functools

from django.db import connection


def concrete_fields(model) -> list:
    return list(model._meta.concrete_fields)


def columns(model, alias: str) -> list[str]:
    """The model's columns, in the order :func:`from_row` reads them, for ``SELECT``."""
    return [f'{alias}."{field.column}"' for field in concrete_fields(model)]


@functools.cache
def _converters(model) -> list:
    # What the ORM applies to a column it reads (a field's from_db_value), where a field has any.
    return [(index, field, converters) for index, field in enumerate(concrete_fields(model))
            if (converters := field.get_db_converters(connection))]


def from_row(model, row: tuple, start: int):
    """The instance whose columns start at ``row[start]``, and where the next model's start."""
    fields = concrete_fields(model)
    values = list(row[start:start + len(fields)])
    for index, field, converters in _converters(model):
        for converter in converters:
            values[index] = converter(values[index], field.get_col(model._meta.db_table), connection)
    return model.from_db(connection.alias, [field.attname for field in fields], values), start + len(fields)
