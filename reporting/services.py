"""REP-1: computing a run of the indicators. A run is recorded as started in its own transaction;
its values and its completion are written together in a second one, so the dashboards, which read
complete runs only, never see half a run. Two runs never overlap (a PostgreSQL advisory lock), and a
run that finds the last one still marked as running while nobody holds the lock marks it failed."""
from __future__ import annotations

import logging
import zlib
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from core.connections import can_share, on_connections
from membership.models import Unit
from uploads.bulk import insert_rows

from . import formulas
from .models import Indicator, IndicatorValue, Plan, Run, Target, WorkforceFigure
from .models.indicators import target_met

log = logging.getLogger(__name__)

_RUN_LOCK = zlib.crc32(b"reporting:indicator-run") % (2**31)


class RunInProgress(Exception):
    """Another run holds the lock."""


@contextmanager
def _run_lock():
    """Held for the whole run through the session, so a killed worker's lock goes with its connection."""
    if connection.vendor != "postgresql":
        yield  # the embedded demo: one process, SQLite serialises writers anyway
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_RUN_LOCK])
        if not cursor.fetchone()[0]:
            raise RunInProgress
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_RUN_LOCK])


def run_is_in_progress() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_RUN_LOCK])
        free = cursor.fetchone()[0]
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_RUN_LOCK])
    return not free


def years_to_compute() -> list[int]:
    """Every year of the current plans, and every later year that has data, up to this year."""
    plans = Plan.objects.aggregate(first=Max("start_year"), last=Max("end_year"))
    first = Plan.objects.order_by("start_year").values_list("start_year", flat=True).first()
    if first is None:
        return []
    last = plans["last"]
    latest = _latest_data_year()
    if latest is not None:
        last = max(last, min(latest, timezone.localdate().year))
    return list(range(first, last + 1))


def _latest_data_year() -> int | None:
    """The last year any indicator's records reach (a few indexed MAX queries)."""
    from courses.models import CoursewareCompletion, CreditPilot, Enrolment, TrainingRecord
    from innovation.models import Achievement, Proposal
    from talent.models import Competition, DemonstrationBase, SkillCertificate, StudioRecognition

    from .models import CampaignYear, FundsReturn, LearningOrgStatus

    candidates = [
        TrainingRecord.objects.aggregate(v=Max("completed_on"))["v"],
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).aggregate(v=Max("completed_on"))["v"],
        CoursewareCompletion.objects.aggregate(v=Max("completed_on"))["v"],
        SkillCertificate.objects.aggregate(v=Max("issued_on"))["v"],
        StudioRecognition.objects.aggregate(v=Max("recognised_on"))["v"],
        DemonstrationBase.objects.aggregate(v=Max("recognised_on"))["v"],
        Proposal.objects.aggregate(v=Max("submitted_on"))["v"],
    ]
    years = [d.year for d in candidates if d is not None]
    for model in (FundsReturn, LearningOrgStatus, CampaignYear, CreditPilot, Competition, Achievement):
        found = model.objects.aggregate(v=Max("year"))["v"]
        if found is not None:
            years.append(found)
    return max(years) if years else None


def run_compute(*, trigger: str, user=None, years: list[int] | None = None, requested_at=None) -> Run:
    """Compute every indicator of every plan for the city and each level-1 unit and record it as a run.

    ``requested_at``: when the nightly task was queued; a task delivered late that finds a complete
    run started after that gives way (recorded as skipped)."""
    if requested_at is not None and Run.objects.filter(status=Run.Status.COMPLETE, started_at__gt=requested_at).exists():
        return Run.objects.create(trigger=trigger, requested_by=user, status=Run.Status.SKIPPED,
                                  finished_at=timezone.now())
    with _run_lock():
        # Whoever held the lock before us is gone: a run it left "running" died with it.
        Run.objects.filter(status=Run.Status.RUNNING).update(
            status=Run.Status.FAILED, finished_at=timezone.now(), error="中断：计算进程在完成前退出")
        years = sorted(set(years)) if years else years_to_compute()
        # Inside a caller's transaction (the tests' own), other connections would not see its rows.
        workers = settings.REPORTING_RUN_CONNECTIONS if can_share() else 1
        run = Run.objects.create(trigger=trigger, requested_by=user, first_year=min(years, default=None),
                                 last_year=max(years, default=None))
        try:
            with transaction.atomic():
                _batch_memory()
                serving_before = _serving_run_ids()
                written = _write_values(run, years, workers) if years else 0
                Run.objects.filter(pk=run.pk).update(status=Run.Status.COMPLETE, finished_at=timezone.now(),
                                                     values_written=written)
                _let_go_of_workforce(serving_before)
        except Exception as error:
            log.exception("indicator run %s failed", run.pk)
            Run.objects.filter(pk=run.pk).update(status=Run.Status.FAILED, finished_at=timezone.now(),
                                                 error=f"{type(error).__name__}: {error}"[:2000])
            raise
        run.refresh_from_db()
        return run


def _batch_memory() -> None:
    """The run is a batch job of a few large joins and aggregates: on PostgreSQL it may hash them in
    memory (settings.REPORTING_WORK_MEM, for its transaction only) rather than spill to disk at the
    4 MB that suits the web requests."""
    if connection.vendor == "postgresql" and settings.REPORTING_WORK_MEM:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = %s", [settings.REPORTING_WORK_MEM])


def _write_values(run: Run, years: list[int], workers: int = 1) -> int:
    city = Unit.objects.filter(depth=1).order_by("path").first()
    if city is None:
        return 0
    level1 = dict(Unit.objects.filter(depth=2).values_list("path", "id"))
    grouping = formulas.Grouping(length=2 * Unit.steplen, within=city.path)
    indicators = list(Indicator.objects.filter(formula__in=list(formulas.FORMULAS)))
    targets = _targets(indicators, years)
    # formula -> (the city's figures, the level-1 units'): a formula shared by indicators runs once.
    figures, unit_rows = _all_figures([indicator.formula for indicator in indicators], grouping, years, workers)
    rows = []
    for indicator in indicators:
        ratio = formulas.FORMULAS[indicator.formula].ratio
        city_figures, level1_figures = figures[indicator.formula]
        for name, found_figures, units in (("city", city_figures, {city.path: city.pk}),
                                           ("level1", level1_figures, level1)):
            found = {(f.group, f.year): f for f in found_figures}
            for path, unit_id in units.items():
                for year in years:
                    figure = found.get((path, year))
                    if figure is None:
                        figure = formulas.Figure(path, year, formulas.Decimal(0),
                                                 formulas.Decimal(0) if ratio else None,
                                                 None if ratio else formulas.Decimal("0.00"))
                    target = targets.get((indicator.pk, year, unit_id))
                    if target is None and name == "level1" and indicator.measure == Indicator.Measure.PERCENT:
                        # A district without a target of its own is held to the city's rate.
                        target = targets.get((indicator.pk, year, None))
                    if name == "city":
                        target = targets.get((indicator.pk, year, None))
                    comparison, low, high = (target.comparison, target.low, target.high) if target else ("", None, None)
                    rows.append(IndicatorValue(
                        run=run, indicator=indicator, unit_id=unit_id, year=year, numerator=figure.numerator,
                        denominator=figure.denominator, value=figure.value, comparison=comparison,
                        target_low=low, target_high=high, met=target_met(comparison, low, high, figure.value)))
    IndicatorValue.objects.bulk_create(rows, batch_size=2000)
    _keep_workforce(run, unit_rows)
    return len(rows)


_WORKFORCE_COLUMNS = ("workers", "trained", "certified", "high_skill", "technician")


def _keep_workforce(run: Run, unit_rows: dict[str, list[tuple]]) -> None:
    """The run's per-unit figures of the formulas.BY_UNIT formulas, a row per unit and year (COPY on
    PostgreSQL): what the drill-down adds up. A formula the run did not compute leaves its columns empty."""
    if not unit_rows:
        return
    merged: dict[tuple[str, int], list] = {}
    computed = set()
    for code, found in unit_rows.items():
        numerator, denominator = (_WORKFORCE_COLUMNS.index(column) for column in formulas.BY_UNIT[code])
        computed |= {numerator, denominator}
        for path, year, numerator_value, denominator_value in found:
            row = merged.get((path, year))
            if row is None:
                row = merged[(path, year)] = [None] * len(_WORKFORCE_COLUMNS)
            row[numerator], row[denominator] = numerator_value or 0, denominator_value or 0
    for row in merged.values():
        for column in computed:  # a unit none of whose workers holds a level: none, not unknown
            if row[column] is None:
                row[column] = 0
    insert_rows(WorkforceFigure, ["run", "path", "year", *_WORKFORCE_COLUMNS],
                [(run.pk, path, year, *values) for (path, year), values in merged.items()])


def _serving_run_ids() -> set[int]:
    """The runs that serve a year of any complete run (selectors.runs_serving)."""
    from .selectors import runs_serving

    span = Run.objects.filter(status=Run.Status.COMPLETE).aggregate(first=Min("first_year"), last=Max("last_year"))
    if span["first"] is None:
        return set()
    return {found.pk for found in runs_serving(list(range(span["first"], span["last"] + 1))).values()}


def _let_go_of_workforce(serving_before: set[int]) -> None:
    """The per-unit figures of the runs a new run took the place of (they serve no year any more)."""
    for run_id in sorted(serving_before - _serving_run_ids()):
        WorkforceFigure.objects.filter(run_id=run_id).delete()


Figures = tuple[list[formulas.Figure], list[formulas.Figure]]


def _task_figures(codes: tuple[str, ...], year: int, grouping: formulas.Grouping,
                  shared: dict) -> tuple[dict[str, Figures], dict[str, list[tuple]]]:
    """One task's figures per formula and, for the formulas.BY_UNIT ones, their per-unit rows (from
    which their figures are added up)."""
    computed, unit_rows = {}, {}
    for code in codes:
        if code in formulas.BY_UNIT:
            unit_rows[code] = formulas.unit_rows(code, grouping.within, [year], shared)
            computed[code] = formulas.rolled_up(code, unit_rows[code], grouping)
        else:
            computed[code] = formulas.compute_with_total(code, grouping, [year], shared)
    return computed, unit_rows


def _all_figures(codes: list[str], grouping: formulas.Grouping, years: list[int],
                 workers: int) -> tuple[dict[str, Figures], dict[str, list[tuple]]]:
    """formula -> (the city's figures, the level-1 units') for each formula of ``codes``, and
    formula -> per-unit rows for the formulas.BY_UNIT ones; a statement a year (P(Y) and its records
    are each year's own: a year's statement is a quarter of four years' and needs a quarter of the
    memory), on ``workers`` connections (one: this one)."""
    tasks = _tasks(codes, years)
    if workers < 2 or len(tasks) < 2:
        shared: dict = {}
        found = [((codes, year), _task_figures(codes, year, grouping, shared)) for codes, year in tasks]
    else:
        found = _figures_on_connections(tasks, grouping, workers)
    figures: dict[str, Figures] = {code: ([], []) for code in dict.fromkeys(codes)}
    unit_rows: dict[str, list[tuple]] = {}
    for (_codes, _year), (computed, rows) in sorted(found, key=lambda item: item[0][1]):
        for code, (city, level1) in computed.items():
            figures[code][0].extend(city)
            figures[code][1].extend(level1)
        for code, found_rows in rows.items():
            unit_rows.setdefault(code, []).extend(found_rows)
    return figures, unit_rows


def _tasks(codes: list[str], years: list[int]) -> list[tuple[tuple[str, ...], int]]:
    """(formulas, year) tasks: formulas answered by one statement together (formulas.STATEMENT_GROUPS,
    the heaviest first, so that the connections end together), then each other formula alone."""
    pending = list(dict.fromkeys(codes))
    groups = []
    for group in formulas.STATEMENT_GROUPS:
        task = tuple(code for code in group if code in pending)
        if task:
            groups.append(task)
            pending = [code for code in pending if code not in task]
    return [(group, year) for group in groups + [(code,) for code in pending] for year in years]


def _figures_on_connections(tasks: list[tuple[tuple[str, ...], int]], grouping: formulas.Grouping, workers: int):
    """The tasks shared out among ``workers`` connections (core.connections): PostgreSQL runs a
    statement on one core, and the run's two largest statements (every worker of P(Y) against every
    completion, and against every certificate) are nine tenths of it at city scale. Every connection
    reads the snapshot of the run's own transaction, so that all formulas count the same records, as
    one connection reading one snapshot would; the values are written by the run's transaction alone.
    A task that fails stops the others and fails the run."""
    def work(task, kept: dict):
        codes, year = task
        return task, _task_figures(codes, year, grouping, kept)

    return on_connections(tasks, work, workers, prepare=_batch_memory)


def _targets(indicators, years) -> dict:
    found = {}
    for target in Target.objects.filter(indicator__in=indicators, year__in=years):
        found[(target.indicator_id, target.year, target.unit_id)] = target
    return found


def funds_returns_write(*, new: list[dict], updated: list[tuple[int, dict]], upload=None) -> int:
    """UPL-6 `funds`: the rows the upload kind validated and classified, written in its transaction."""
    from .models import FundsReturn

    FundsReturn.objects.bulk_create([
        FundsReturn(unit_id=row["unit_id"], year=row["year"], payroll=row["payroll"], extracted=row["extracted"],
                    spent=row["spent"], frontline=row["frontline"], upload=upload) for row in new], batch_size=1000)
    changed = []
    for pk, fields in updated:
        changed.append(FundsReturn(pk=pk, upload=upload, updated_at=timezone.now(), **fields))
    if changed:
        FundsReturn.objects.bulk_update(changed, ["payroll", "extracted", "spent", "frontline", "upload", "updated_at"],
                                        batch_size=1000)
    return len(new) + len(updated)


def learning_org_statuses_write(*, new: list[dict], updated: list[tuple[int, str]], upload=None) -> int:
    """UPL-6 `learning_orgs`."""
    from .models import LearningOrgStatus

    LearningOrgStatus.objects.bulk_create([
        LearningOrgStatus(unit_id=row["unit_id"], year=row["year"], status=row["status"], upload=upload) for row in new],
        batch_size=1000)
    if updated:
        LearningOrgStatus.objects.bulk_update(
            [LearningOrgStatus(pk=pk, status=status, upload=upload, updated_at=timezone.now()) for pk, status in updated],
            ["status", "upload", "updated_at"], batch_size=1000)
    return len(new) + len(updated)
