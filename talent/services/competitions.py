"""TAL-6: writes of skills competitions and their results, and the winners' fast track.

Every path that writes a result (the admin, the upload, the demo seed) ends in
``fast_track_refresh`` for its batch, and every path that writes a certificate ends in
``fast_track_fulfil`` (talent.services.certificates), so the recommendations follow the data
whichever door it came through."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from uploads import bulk

from ..models import Competition, CompetitionResult, FastTrackRecommendation, QualifyingAward, SkillCertificate
from ..selectors.certificates import worker_levels_on

COMPETITION_FIELDS = ("code", "name", "level", "organiser", "co_organisers", "industry", "occupation", "year",
                      "series", "is_public", "upload")
COMPETITION_CHANGEABLE = ("name", "level", "organiser_id", "industry_id", "occupation_id", "year", "series")
RESULT_FIELDS = ("competition", "worker", "unit", "rank", "award", "upload")
RESULT_CHANGEABLE = ("rank", "award")


def competition_create(*, code: str, name: str, level: str, organiser, industry, occupation, year: int,
                       co_organisers: str = "", series: str = "", is_public: bool = False, upload=None) -> Competition:
    competition = Competition(code=code, name=name, level=level, organiser=organiser, industry=industry,
                              occupation=occupation, year=year, co_organisers=co_organisers, series=series,
                              is_public=is_public, upload=upload)
    competition.full_clean()
    competition.save()
    return competition


def competition_update(*, competition: Competition, **fields) -> Competition:
    """A competition's level may change which of its results qualify: the fast track follows."""
    changed = [name for name, value in fields.items() if getattr(competition, name) != value]
    if not changed:
        return competition
    with transaction.atomic():
        for name in changed:
            setattr(competition, name, fields[name])
        competition.full_clean()
        competition.save(update_fields=[*changed, "updated_at"])
        if "level" in changed:
            fast_track_refresh(results=list(competition.results.all()))
    return competition


def competitions_write(*, new: list[dict], updated: list[tuple[int, dict]], upload=None) -> int:
    """UPL-6 `competitions`: COPY for new rows, one UPDATE for changed ones."""
    now = timezone.now().isoformat()
    upload_id = upload.pk if upload is not None else None
    written = bulk.insert_rows(Competition, (*COMPETITION_FIELDS, "created_at", "updated_at"), [
        (row["code"], row["name"], row["level"], row["organiser_id"], "", row["industry_id"], row["occupation_id"],
         row["year"], row["series"], False, upload_id, now, now) for row in new])
    if updated:
        names = tuple(updated[0][1])
        written += bulk.update_rows(Competition, ("updated_at", *names), [
            (pk, now, *(fields[name] for name in names)) for pk, fields in updated])
        relevelled = [pk for pk, fields in updated if "level" in fields]
        fast_track_refresh(results=list(CompetitionResult.objects.filter(competition_id__in=relevelled)))
    return written


def competition_result_create(*, competition: Competition, worker, rank: int | None = None, award: str = "",
                              upload=None) -> CompetitionResult:
    """TAL-6: an entrant's result; the entrant's unit of today is the fact's unit (MEM-2)."""
    with transaction.atomic():
        result = CompetitionResult(competition=competition, worker=worker, unit_id=worker.unit_id, rank=rank,
                                   award=award, upload=upload)
        result.full_clean()
        result.save()
        fast_track_refresh(results=[result])
    return result


def competition_result_update(*, result: CompetitionResult, **fields) -> CompetitionResult:
    changed = [name for name, value in fields.items() if getattr(result, name) != value]
    if not changed:
        return result
    with transaction.atomic():
        for name in changed:
            setattr(result, name, fields[name])
        result.full_clean()
        result.save(update_fields=[*changed, "updated_at"])
        fast_track_refresh(results=[result])
    return result


def competition_results_write(*, new: list[dict], updated: list[tuple[int, dict]], upload=None) -> int:
    """UPL-6 `competition_results`: COPY for new rows, one UPDATE for changed ones, then the
    fast track for the whole batch."""
    now = timezone.now().isoformat()
    upload_id = upload.pk if upload is not None else None
    written = bulk.insert_rows(CompetitionResult, (*RESULT_FIELDS, "created_at", "updated_at"), [
        (row["competition_id"], row["worker_id"], row["unit_id"], row["rank"], row["award"], upload_id, now, now)
        for row in new])
    if updated:
        names = tuple(updated[0][1])
        written += bulk.update_rows(CompetitionResult, ("updated_at", *names), [
            (pk, now, *(fields[name] for name in names)) for pk, fields in updated])
    keys = {(row["competition_id"], row["worker_id"]) for row in new}
    touched = [result for result in CompetitionResult.objects.filter(
        competition_id__in={key[0] for key in keys}, worker_id__in={key[1] for key in keys})
        if (result.competition_id, result.worker_id) in keys]
    touched += list(CompetitionResult.objects.filter(pk__in=[pk for pk, _fields in updated]))
    fast_track_refresh(results=touched)
    return written


def _level_day(year: int, today: dt.date) -> dt.date:
    return min(dt.date(year, 12, 31), today)


def fast_track_refresh(*, results: list[CompetitionResult]) -> None:
    """TAL-6 fast track, set-based for a batch of results: a result whose award qualifies at its
    competition's level (QualifyingAward) gets a recommendation for the level above the entrant's
    level then (5 for a worker without a certificate; none at level 1); a corrected result that no
    longer qualifies loses its recommendation unless a certificate has already fulfilled it."""
    if not results:
        return
    qualifying = set(QualifyingAward.objects.values_list("level", "award"))
    competitions = {competition.pk: competition for competition in Competition.objects.filter(
        pk__in={result.competition_id for result in results}).only("id", "level", "year")}
    existing = set(FastTrackRecommendation.objects.filter(result__in=results).values_list("result_id", flat=True))
    today = timezone.localdate()
    wanted, dropped = defaultdict(list), []
    for result in results:
        competition = competitions[result.competition_id]
        if (competition.level, result.award.strip()) in qualifying:
            if result.pk not in existing:
                wanted[_level_day(competition.year, today)].append(result)
        elif result.pk in existing:
            dropped.append(result.pk)
    if dropped:
        FastTrackRecommendation.objects.filter(result_id__in=dropped, fulfilled_by__isnull=True).delete()
    created = []
    for day, batch in wanted.items():
        levels = dict(worker_levels_on(day).filter(worker_id__in={result.worker_id for result in batch})
                      .values_list("worker_id", "level"))
        for result in batch:
            before = levels.get(result.worker_id)
            if before == 1:
                continue  # 高级技师 is the top level: nothing to recommend
            created.append(FastTrackRecommendation(
                result_id=result.pk, worker_id=result.worker_id, unit_id=result.unit_id, level_on=day,
                level_before=before, level=5 if before is None else before - 1))
    FastTrackRecommendation.objects.bulk_create(created, ignore_conflicts=True)
    if created:
        fast_track_fulfil(certificates=list(SkillCertificate.objects.filter(
            worker_id__in={recommendation.worker_id for recommendation in created})))


def fast_track_fulfil(*, certificates: list[SkillCertificate]) -> int:
    """TAL-6: a certificate at the recommended level or better, issued from the day the entrant's
    level was read, fulfils the worker's open recommendation. Set-based for a batch; returns how
    many recommendations it fulfilled."""
    by_worker = defaultdict(list)
    for certificate in certificates:
        by_worker[certificate.worker_id].append(certificate)
    if not by_worker:
        return 0
    # The open recommendations are few beside an upload's batch: one query for all of them,
    # matched here, rather than a batch-sized IN list.
    open_workers = set(FastTrackRecommendation.objects.filter(fulfilled_by__isnull=True)
                       .values_list("worker_id", flat=True).distinct()) & set(by_worker)
    if not open_workers:
        return 0
    fulfilled = []
    for recommendation in FastTrackRecommendation.objects.filter(
            worker_id__in=sorted(open_workers), fulfilled_by__isnull=True).order_by("created_at", "id"):
        matching = sorted((certificate for certificate in by_worker[recommendation.worker_id]
                           if certificate.level <= recommendation.level
                           and certificate.issued_on >= recommendation.level_on),
                          key=lambda certificate: (certificate.issued_on, certificate.pk))
        if matching:
            recommendation.fulfilled_by_id, recommendation.fulfilled_on = matching[0].pk, matching[0].issued_on
            fulfilled.append(recommendation)
    FastTrackRecommendation.objects.bulk_update(fulfilled, ["fulfilled_by", "fulfilled_on"])
    return len(fulfilled)
