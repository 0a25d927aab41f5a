"""TAL-1, TAL-2: a worker's skill level on a date, for one worker or set-based for millions.

The level on a date is the best (lowest number) level among the worker's certificates issued on or
before that date and still valid on it (有效期至 inclusive; none means no expiry). It is computed
from the certificates themselves for any date, set-based (a certificate valid that day is the
worker's best when no better one of theirs is valid then), never by a loop over workers; the same
SQL runs on PostgreSQL and on the SQLite demo. Earlier and expired certificates are never deleted: they are the history.
"""
from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from membership import scoping

from ..models import SkillCertificate, SkillLevel, TalentRecord


def certificates_valid_on(day: dt.date, *, workers: models.QuerySet | None = None,
                          model: type[SkillCertificate] = SkillCertificate) -> models.QuerySet:
    """TAL-1: the certificates issued on or before ``day`` and still valid on it."""
    certificates = model.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day), issued_on__lte=day)
    if workers is not None:
        certificates = certificates.filter(worker__in=workers)
    return certificates


def best_certificates_on(day: dt.date, *, workers: models.QuerySet | None = None, occupation=None,
                         model: type[SkillCertificate] = SkillCertificate) -> models.QuerySet:
    """TAL-1, TAL-2: each worker's best certificate valid on ``day`` (one row per worker), with
    ``worker_id``, ``level``, ``occupation_id`` and the certificate's own fields. Narrowed to one
    occupation, it is the best certificate in that occupation. A queryset of ``model`` (the
    certificate or the talent database's proxy of it): filter, count or join it further."""
    certificates = certificates_valid_on(day, workers=workers, model=model)
    better = certificates_valid_on(day).filter(worker_id=OuterRef("worker_id"))
    if occupation is not None:
        certificates = certificates.filter(occupation=occupation)
        better = better.filter(occupation=occupation)
    # A certificate is the worker's best when no other valid one of theirs ranks before it: the best
    # level first; between two of one level the latest issued, then the latest recorded. Said as
    # NOT EXISTS rather than as a window ranking all the rows and a second pass picking rank 1: one
    # pass over the workers' certificates (each probe a covering-index lookup,
    # skillcert_worker_best), and a caller's later filter (level=4, an occupation, a worker's name)
    # is ANDed with it, so it still applies to the best rows only — it cannot change which row is
    # best, as a filter pushed below a window would.
    better = better.filter(
        Q(level__lt=OuterRef("level"))
        | Q(level=OuterRef("level"), issued_on__gt=OuterRef("issued_on"))
        | Q(level=OuterRef("level"), issued_on=OuterRef("issued_on"), pk__gt=OuterRef("pk")))
    return certificates.filter(~Exists(better))


def worker_levels_on(day: dt.date, workers: models.QuerySet | None = None) -> models.QuerySet:
    """TAL-1: (worker_id, level) for every worker with a certificate valid on ``day`` — of
    ``workers`` (a Worker queryset) or of the whole city — set-based, as a values queryset usable
    as a subquery (``level__lte=3`` …)."""
    return best_certificates_on(day, workers=workers).order_by().values("worker_id", "level")


def worker_level_on(worker, day: dt.date) -> int | None:
    """TAL-1: one worker's level on ``day`` (1 best … 5), or None without a certificate valid then."""
    return certificates_valid_on(day).filter(worker=worker).aggregate(level=Min("level"))["level"]


def talent_database(*, user, day: dt.date | None = None) -> models.QuerySet:
    """TAL-2 技能人才库: the certified workers of the user's subtree (by their unit of today), one row
    each — their best certificate valid on ``day`` (today by default) — as TalentRecord rows with
    the worker, unit, industry and occupation joined for the list."""
    from membership.models import Worker

    day = day or timezone.localdate()
    # City-wide staff see every worker: no semi-join against the whole registry.
    city_wide = scoping.user_root_path(user) == "" or scoping.is_municipal(user)
    workers = None if city_wide else scoping.visible_to(Worker.objects.all(), user)
    return (best_certificates_on(day, workers=workers, model=TalentRecord)
            .select_related("worker", "worker__unit", "worker__unit__industry", "occupation"))


def level_counts(certificates: models.QuerySet) -> dict[int, int]:
    """TAL-2: how many rows of a talent-database queryset (filtered as the list is) are at each level,
    every level present (0 where none). One query."""
    counts = dict.fromkeys(SkillLevel.values, 0)
    counts.update(certificates.order_by().values("level").annotate(n=Count("pk")).values_list("level", "n"))
    return counts


def worker_certificates(*, worker) -> list:
    """TAL-1, EDU-8: a worker's certificates for 我的学习, newest first, each marked whether it is
    valid today; earlier and expired ones stay as history."""
    today = timezone.localdate()
    certificates = list(SkillCertificate.objects.filter(worker=worker).select_related("occupation")
                        .order_by("-issued_on", "-id"))
    for certificate in certificates:
        certificate.is_valid_today = certificate.issued_on <= today and (
            certificate.valid_until is None or certificate.valid_until >= today)
    return certificates
