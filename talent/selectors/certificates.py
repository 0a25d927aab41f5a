"""TAL-1, TAL-2: a worker's skill level on a date, for one worker or set-based for millions.

The level on a date is the best (lowest number) level among the worker's certificates issued on or
before that date and still valid on it (有效期至 inclusive; none means no expiry). It is computed
from the certificates themselves for any date, with a window function ranking each worker's
certificates valid that day, never by a loop over workers; the same SQL runs on PostgreSQL and on
the SQLite demo. Earlier and expired certificates are never deleted: they are the history.
"""
from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Min, Q, Window
from django.db.models.functions import RowNumber

from ..models import SkillCertificate


def certificates_valid_on(day: dt.date, *, workers: models.QuerySet | None = None) -> models.QuerySet:
    """TAL-1: the certificates issued on or before ``day`` and still valid on it."""
    certificates = SkillCertificate.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day), issued_on__lte=day)
    if workers is not None:
        certificates = certificates.filter(worker__in=workers)
    return certificates


def best_certificates_on(day: dt.date, *, workers: models.QuerySet | None = None,
                         occupation=None) -> models.QuerySet:
    """TAL-1, TAL-2: each worker's best certificate valid on ``day`` (one row per worker), with
    ``worker_id``, ``level``, ``occupation_id`` and the certificate's own fields. Narrowed to one
    occupation, it is the best certificate in that occupation. A queryset: filter, count or join
    it further."""
    certificates = certificates_valid_on(day, workers=workers)
    if occupation is not None:
        certificates = certificates.filter(occupation=occupation)
    # The best level first; between two of one level the latest issued, then the latest recorded.
    ranked = certificates.order_by().annotate(rank=Window(
        RowNumber(), partition_by=[F("worker_id")],
        order_by=[F("level").asc(), F("issued_on").desc(), F("id").desc()],
    )).filter(rank=1).values("pk")
    # Wrapped, so that a caller's later filter (level=4) applies to the best rows: Django would
    # push it into the ranked rows' WHERE, before the window, and rank a different set. The outer
    # query repeats the narrowing so the planner starts from the same few rows.
    return certificates.filter(pk__in=ranked)


def worker_levels_on(day: dt.date, workers: models.QuerySet | None = None) -> models.QuerySet:
    """TAL-1: (worker_id, level) for every worker with a certificate valid on ``day`` — of
    ``workers`` (a Worker queryset) or of the whole city — set-based, as a values queryset usable
    as a subquery (``level__lte=3`` …)."""
    return best_certificates_on(day, workers=workers).order_by().values("worker_id", "level")


def worker_level_on(worker, day: dt.date) -> int | None:
    """TAL-1: one worker's level on ``day`` (1 best … 5), or None without a certificate valid then."""
    return certificates_valid_on(day).filter(worker=worker).aggregate(level=Min("level"))["level"]
