"""The two set-based writes every upload kind ends in. On PostgreSQL they use COPY (about a
hundred times faster than row-by-row saves); elsewhere (the SQLite demo) executemany."""
from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

from django.db import IntegrityError, connection, models, transaction

from core.audit_context import audit_context_bind

from . import fingerprint


def _text_columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    # The text columns whose empty field is an empty text, not NULL (FORCE_NOT_NULL); a nullable
    # one (Worker.upload_row_digest) takes None as NULL.
    return [
        model._meta.get_field(name).column
        for name in fields
        if model._meta.get_field(name).get_internal_type() in {"CharField", "TextField"}
        and not model._meta.get_field(name).null
    ]


def _copy(cursor, table: str, columns: Sequence[str], text_columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    # csv writes None as an empty field (NULL outside text columns), True/False, dates and
    # aware datetimes in forms PostgreSQL reads as they are: no per-value conversion needed.
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    count = len(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    quoted = ", ".join(f'"{c}"' for c in columns)
    options = "FORMAT csv"
    if text_columns:
        options += ", FORCE_NOT_NULL (" + ", ".join(f'"{c}"' for c in text_columns) + ")"
    # Through Django's error wrapper: a unique key or a lock wait met by COPY is the same
    # IntegrityError or OperationalError (with the driver's pgcode) as from any statement, so the
    # upload's contention handling (pipeline.write_batch) sees it.
    with connection.wrap_database_errors:
        cursor.copy_expert(f'COPY {table} ({quoted}) FROM STDIN WITH ({options})', buffer)
    return count


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert rows (tuples in the order of ``fields``) without loading them as model instances."""
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows' audit triggers record the upload and user only if its context is set.
            audit_context_bind(cursor)
            return _copy(cursor.cursor, table, columns, _text_columns(model, fields), rows)
        rows = list(rows)
        placeholders = ", ".join(["%s"] * len(columns))
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", rows)
        return len(rows)


def insert_new(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], key: str) -> set:
    """Insert rows unless their ``key`` (a unique field, one of ``fields``) is already taken; the
    keys that were inserted. On PostgreSQL: one COPY into the table inside a savepoint; if a key
    is taken, COPY into a staging table, then one ``INSERT … ON CONFLICT DO NOTHING``, so a key
    another upload wrote first is skipped, not an error that undoes the whole file."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return set()
    position = list(fields).index(key)
    if connection.vendor != "postgresql":
        insert_rows(model, fields, rows)
        return {row[position] for row in rows}
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    table = connection.ops.quote_name(meta.db_table)
    text_columns = _text_columns(model, fields)
    # UPL-2 (issue 13): nearly always no key is taken, and one COPY straight into the table is
    # what PostgreSQL needs to store the rows; the staging table's extra COPY and INSERT … SELECT
    # made a roster commit spend a third more time in the database. Only when a key turns out
    # taken (another upload wrote it after this batch was classified) is the batch rolled back
    # to its savepoint and inserted through the staging table, which skips the taken keys.
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            audit_context_bind(cursor)
            _copy(cursor.cursor, table, columns, text_columns, rows)
        return {row[position] for row in rows}
    except IntegrityError as error:
        if getattr(error.__cause__, "pgcode", None) != "23505":
            raise
    quoted = ", ".join(f'"{c}"' for c in columns)
    staging = "upload_insert_staging"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(f"CREATE TEMP TABLE {staging} ON COMMIT DROP AS SELECT {quoted} FROM {table} WITH NO DATA")
        _copy(cursor.cursor, staging, columns, text_columns, rows)
        cursor.execute(
            f'INSERT INTO {table} ({quoted}) SELECT {quoted} FROM {staging} '
            f'ON CONFLICT ("{columns[position]}") DO NOTHING RETURNING "{columns[position]}"'
        )
        inserted = {found for (found,) in cursor.fetchall()}
        cursor.execute(f"DROP TABLE {staging}")
    return inserted


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Update rows given as (pk, value for each of ``fields``) tuples in one statement."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    table = connection.ops.quote_name(meta.db_table)
    pk = meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            staging = "upload_staging"
            select = ", ".join(f'"{c}"' for c in [pk, *columns])
            cursor.execute(f"DROP TABLE IF EXISTS {staging}")
            cursor.execute(f"CREATE TEMP TABLE {staging} ON COMMIT DROP AS SELECT {select} FROM {table} WITH NO DATA")
            count = _copy(cursor.cursor, staging, [pk, *columns], _text_columns(model, fields), rows)
            if count:
                assignments = ", ".join(f'"{c}" = s."{c}"' for c in columns)
                cursor.execute(f'UPDATE {table} AS t SET {assignments} FROM {staging} AS s WHERE t."{pk}" = s."{pk}"')
            cursor.execute(f"DROP TABLE {staging}")
            return count
        rows = [(*row[1:], row[0]) for row in rows]
        assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {connection.ops.quote_name(pk)} = %s", rows)
        return len(rows)


def fetch_by_keys(model: type[models.Model], key_field: str, keys: Sequence, fields: Sequence[str]) -> list[tuple]:
    """Rows whose ``key_field`` is one of ``keys``, as tuples (key, *fields). On PostgreSQL one
    array parameter (`= ANY(%s)`) instead of thousands of bound parameters."""
    if not keys:
        return []
    if connection.vendor != "postgresql":
        return list(model.objects.filter(**{f"{key_field}__in": list(keys)}).values_list(key_field, *fields))
    queryset = model.objects.filter(**{f"{key_field}__in": ["__placeholder__"]}).values_list(key_field, *fields)
    sql, params = queryset.query.sql_with_params()
    column = model._meta.get_field(key_field).column
    table = model._meta.db_table
    target = f'"{table}"."{column}" IN (%s)'
    if target not in sql:
        return list(model.objects.filter(**{f"{key_field}__in": list(keys)}).values_list(key_field, *fields))
    sql = sql.replace(target, f'"{table}"."{column}" = ANY(%s)', 1)
    params = tuple(list(keys) if p == "__placeholder__" else p for p in params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_compared(model: type[models.Model], key_field: str, entries: Sequence[tuple], fields: Sequence[str],
                   compared: Sequence[str]) -> list[tuple]:
    """For rows given as (key, text, kept) — see uploads.fingerprint.row_text — the stored records
    with those keys as tuples (key, *fields, same, *compared): ``same`` is True when the record's
    compared fields write the row's text, and then the compared values are not fetched (None).
    ``fields`` are the model's fields or one step through a foreign key (``unit__path``); on
    PostgreSQL the comparison is made in one statement (UPL-2), elsewhere in Python."""
    if not entries:
        return []
    if connection.vendor != "postgresql":
        texts = {key: (text, kept) for key, text, kept in entries}
        found = []
        for key, *values in fetch_by_keys(model, key_field, list(texts), (*fields, *compared)):
            text, kept = texts[key]
            current = values[len(fields):]
            same = text is not None and fingerprint.row_text(current, kept) == text
            found.append((key, *values[:len(fields)], same, *([None] * len(compared) if same else current)))
        return found
    meta = model._meta
    table = meta.db_table
    joins, selected = [], []
    for name in fields:
        if "__" in name:
            relation, target = name.split("__")
            foreign = meta.get_field(relation)
            alias = f"j_{relation}"
            join = (f'JOIN "{foreign.related_model._meta.db_table}" {alias} '
                    f'ON {alias}."{foreign.target_field.column}" = t."{foreign.column}"')
            if join not in joins:
                joins.append(join)
            selected.append(f'{alias}."{foreign.related_model._meta.get_field(target).column}"')
        else:
            selected.append(f't."{meta.get_field(name).column}"')
    columns = [f't."{model._meta.get_field(name[:-3] if name.endswith("_id") else name).column}"' for name in compared]
    text = fingerprint.column_text(model, compared, table="t", kept="e.kept")
    key = f't."{meta.get_field(key_field).column}"'
    inner = ", ".join([*(f"{column} AS f{index}" for index, column in enumerate(selected)),
                       f"coalesce(({text}) = e.text, false) AS same",
                       *(f"{column} AS c{index}" for index, column in enumerate(columns))])
    outer = ", ".join([*(f"f{index}" for index in range(len(selected))), "same",
                       *(f"CASE WHEN same THEN NULL ELSE c{index} END" for index in range(len(columns)))])
    # The key filter as an array (an InitPlan): the records are found by the key's index, as in
    # fetch_by_keys, whatever the planner guesses of the rows the unnest gives. OFFSET 0 keeps
    # the inner query whole: pulled up, its comparison would be computed again for each of the
    # outer CASEs (12 times a row: 115 ms for a batch of 5,000 instead of 55).
    sql = (f"WITH e AS (SELECT * FROM unnest(%s::text[], %s::text[], %s::bigint[]) AS e(key, text, kept)) "
           f"SELECT q.key, {outer} FROM (SELECT e.key, {inner} FROM e JOIN \"{table}\" t ON {key} = e.key "
           f"{' '.join(joins)} WHERE {key} = ANY(ARRAY(SELECT key FROM e)) OFFSET 0) q")
    keys, texts, kept = zip(*entries)
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(keys), list(texts), list(kept)])
        return cursor.fetchall()
