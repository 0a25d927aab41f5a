"""The indicators' formulas (IND-*), each one set-based SQL over the other apps' tables that answers
every group of units and every year at once, in SQL that PostgreSQL and the embedded SQLite demo both
run (CTEs, window functions, substr and LIKE; no vendor syntax).

A formula returns rows (group, year, numerator, denominator). A group is the prefix of a unit's
materialised path of a given length: the federation's own path for the city, a level-1 unit's path
for the districts, the path of a unit one level further down for a drill-down. A record counts in a
group when its unit's path starts with the group's path; a record of a unit above the grouping level
(a federation-run studio, when grouping by district) counts in the city only.

"In U" follows issue 11: a worker by the unit they belonged to on 31 December (``_worker_units``),
a unit-owned record by its unit. Every query filters ``path LIKE within%`` first, so a drill-down into
one district reads only that district's rows."""
from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from django.db import connection

from core.planner import planner_settings

from .models.inputs import LearningOrgStatus


@dataclass(frozen=True)
class Grouping:
    length: int  # how many characters of a unit's path name its group
    within: str = ""  # only units under this path prefix


@dataclass(frozen=True)
class Formula:
    code: str
    ratio: bool
    # SQL (group, year, numerator, denominator) for a grouping and years …
    build: Callable[[Grouping, list[int]], tuple[str, list]] | None = None
    # … or, where the owning app publishes the one function that counts (the proposals' rates,
    # INN-2), rows of the same shape from it.
    rows: Callable[[Grouping, list[int]], list[tuple]] | None = None
    # Every worker or record counts in exactly one group, so a unit's numerator and denominator are
    # the sums of its groups' (plus those of the records of the unit itself): the city's figures add
    # up the level-1 units' instead of a second pass over the same millions of rows. Not so for a
    # count of distinct things that several groups may share (IND-COMP-INDUSTRIES).
    additive: bool = True


FORMULAS: dict[str, Formula] = {}


def formula(code: str, *, ratio: bool):
    def register(build):
        FORMULAS[code] = Formula(code, ratio, build=build)
        return build
    return register


def _day(value: datetime.date):
    # SQLite stores dates as ISO text and compares them as text; PostgreSQL compares dates.
    return value if connection.vendor == "postgresql" else value.isoformat()


def _years(years: list[int]) -> tuple[str, list]:
    """A CTE years(y, s, e): each year with its first and last day."""
    rows = ", ".join(["(%s, %s, %s)"] * len(years))
    params: list = []
    for year in years:
        params += [year, _day(datetime.date(year, 1, 1)), _day(datetime.date(year, 12, 31))]
    return f"years(y, s, e) AS (VALUES {rows})", params


def _worker_base(grouping: Grouping, years: list[int]) -> tuple[str, list]:
    """CTE base(worker_id, y, grp): P(Y), the workers who belong to the union on E = 31 December of
    each year (joined on or before E, or no join date; not left by E), grouped by the unit they
    belonged to on E — from the transfer history, through membership's one query for it.

    One branch per year with E written out, so that the planner sees how many workers each keeps
    (against a joined table of years it guessed a few dozen and looped over the transfers for
    every worker); each branch reads the registry once and looks up only the workers who moved
    after E among the transfers."""
    from membership.selectors import units_left_after_sql

    if _drilling(grouping):
        return _subtree_worker_base(grouping, years)
    parts, params = [], []
    for year in years:
        end = _day(datetime.date(year, 12, 31))
        parts.append(f"""
        SELECT w.id AS worker_id, {int(year)} AS y, substr(u.path, 1, %s) AS grp
        FROM membership_worker w
        LEFT JOIN ({units_left_after_sql()}) m ON m.worker_id = w.id
        JOIN membership_unit u ON u.id = COALESCE(m.unit_id, w.unit_id)
        WHERE (w.joined_union_on IS NULL OR w.joined_union_on <= %s) AND (w.left_on IS NULL OR w.left_on > %s)
          AND u.path LIKE %s""")
        params += [grouping.length, end, end, end, grouping.within + "%"]
    return f"base AS ({' UNION ALL '.join(parts)})", params


def _drilling(grouping: Grouping) -> bool:
    """A drill-down below a level-1 unit (the nightly run groups the whole city): a subtree holds a
    few per cent of the city's workers, so its formulas start from the subtree's units and reach
    the workers and their records through indexes instead of reading the city's rows."""
    from membership.models import Unit

    return len(grouping.within) > Unit.steplen


def _subtree_worker_base(grouping: Grouping, years: list[int]) -> tuple[str, list]:
    """``_worker_base``'s rows for a subtree, read from its units: the workers now in a unit of the
    subtree who did not move after E, and those who moved after E out of a unit of the subtree (their
    unit on E: membership's one query for it)."""
    from membership.selectors import units_left_after_sql

    ctes, parts, params = [], [], []
    ctes.append("sub AS (SELECT id, substr(path, 1, %s) AS grp FROM membership_unit WHERE path LIKE %s)")
    params += [grouping.length, grouping.within + "%"]
    for year in years:
        end = _day(datetime.date(year, 12, 31))
        ctes.append(f"moved{int(year)} AS ({units_left_after_sql()})")
        params.append(end)
        # The movers whose unit on E is in the subtree, found before their worker rows are read:
        # a few hundred of the city's ~20,000 movers for a district (joined the other way round,
        # PostgreSQL read every mover's worker row first, 170–340 ms of a district's drill-down).
        ctes.append(f"moved_in{int(year)} AS MATERIALIZED ("
                    f"SELECT m.worker_id, s.grp FROM moved{int(year)} m JOIN sub s ON s.id = m.unit_id)")
        member = "(w.joined_union_on IS NULL OR w.joined_union_on <= %s) AND (w.left_on IS NULL OR w.left_on > %s)"
        parts.append(f"""
        SELECT w.id AS worker_id, {int(year)} AS y, s.grp
        FROM sub s JOIN membership_worker w ON w.unit_id = s.id
        WHERE {member} AND NOT EXISTS (SELECT 1 FROM moved{int(year)} m WHERE m.worker_id = w.id)
        UNION ALL
        SELECT w.id, {int(year)}, m.grp
        FROM moved_in{int(year)} m JOIN membership_worker w ON w.id = m.worker_id
        WHERE {member}""")
    for year in years:  # the branches' dates, after the CTEs'
        params += [_day(datetime.date(year, 12, 31))] * 4
    return f"{', '.join(ctes)}, base AS ({' UNION ALL '.join(parts)})", params


# A drill-down's statements run without PostgreSQL's JIT compiler: probing each worker of a subtree
# looks expensive to the planner, and compiling the statement took 200–300 ms of a district's 600 ms
# drill-down at city scale (bench/indicators.py), more than it saved. (More work_mem, which would
# sort a district's 200,000 rows in memory, made the planner hash every class and courseware
# completion of the city instead of probing the district's workers: slower, left at the default.)
DRILL_DOWN_SETTINGS = {"jit": "off"}


def _fetch(grouping: Grouping, sql: str, params: list) -> list[tuple]:
    """Run a formula's statement (a drill-down's with DRILL_DOWN_SETTINGS)."""
    with planner_settings(**(DRILL_DOWN_SETTINGS if _drilling(grouping) else {})), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _yearly_records(table: str, unit_column: str, numerator: str, denominator: str, where: str = ""):
    """A formula over records owned by a unit and dated by a ``year`` column (pilots, funds returns,
    competitions, achievements): ``numerator`` and ``denominator`` are SQL aggregates over alias r."""
    def build(grouping: Grouping, years: list[int]) -> tuple[str, list]:
        years_sql, params = _years(years)
        sql = f"""
        WITH {years_sql}
        SELECT substr(u.path, 1, %s), r.year, {numerator}, {denominator}
        FROM {table} r JOIN membership_unit u ON u.id = r.{unit_column}
        JOIN years yr ON yr.y = r.year
        WHERE u.path LIKE %s {where}
        GROUP BY substr(u.path, 1, %s), r.year"""
        return sql, params + [grouping.length, grouping.within + "%", grouping.length]
    return build


# IND-TRAINED-SHARE's completions, the one place that says what "trained in Y" reads: a training
# record, a class completed by the worker themself (a dependant's seat is the child's learning,
# EDU-7) or a course's courseware finished — each table with the condition its rows must meet
# (columns of that table alone), all dated by completed_on. The statements below are written from it.
_COMPLETION_SOURCES = (
    ("courses_trainingrecord", ""),
    ("courses_enrolment", "status = 'completed' AND dependant_id IS NULL"),
    ("courses_coursewarecompletion", ""),
)


def _completions_in() -> str:
    """The worker ids of the completions dated from the first to the last day (two placeholders a table)."""
    return " UNION ALL ".join(
        f"SELECT worker_id FROM {table} WHERE {condition + ' AND ' if condition else ''}"
        f"completed_on >= %s AND completed_on <= %s" for table, condition in _COMPLETION_SOURCES)


def _completed_exists(worker: str, first: str, last: str) -> str:
    """SQL true when ``worker`` completed something from ``first`` to ``last``, through each table's worker index."""
    return " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} c WHERE c.worker_id = {worker} AND "
        f"{condition + ' AND ' if condition else ''}c.completed_on >= {first} AND c.completed_on <= {last})"
        for table, condition in _COMPLETION_SOURCES)


def _completion_dates() -> str:
    """Rows (worker_id, d): every completion's worker and date."""
    return " UNION ALL ".join(
        f"SELECT worker_id, completed_on AS d FROM {table}{' WHERE ' + condition if condition else ''}"
        for table, condition in _COMPLETION_SOURCES)


def _trained_share_rows(grouping: Grouping, years: list[int], shared: dict | None = None) -> list[tuple]:
    if _drilling(grouping):
        return _fetch(grouping, *_trained_share_drilled(grouping, years))
    sql, params = _trained_share_hashed(grouping, years)
    if _hashes_its_subqueries(sql, params):
        return _fetch(grouping, sql, params)
    return _fetch(grouping, *_trained_share_joined(grouping, years))


def _trained_share_drilled(grouping: Grouping, years: list[int]) -> tuple[str, list]:
    """The count asked of each worker of the subtree through the records' worker indexes."""
    years_sql, params = _years(years)
    base_sql, base_params = _worker_base(grouping, years)
    sql = f"""
    WITH {years_sql}, {base_sql}
    SELECT b.grp, b.y, SUM(CASE WHEN {_completed_exists("b.worker_id", "yr.s", "yr.e")} THEN 1 ELSE 0 END), COUNT(*)
    FROM base b JOIN years yr ON yr.y = b.y
    GROUP BY b.grp, b.y"""
    return sql, params + base_params


def _trained_share_hashed(grouping: Grouping, years: list[int]) -> tuple[str, list]:
    """The city's form: each worker of P(Y) looked up in one hash of the workers who completed
    something in Y (a hashed subquery per year), built from one read of that year's completions.
    At city scale one year took 9–11 s against 13–15 s for a join to the completions grouped by
    worker (_trained_share_joined), which aggregates, sorts and hashes them again."""
    years_sql, params = _years(years)
    base_sql, base_params = _worker_base(grouping, years)
    cases, case_params = [], []
    for year in years:
        cases.append(f"WHEN {int(year)} THEN CASE WHEN b.worker_id IN ({_completions_in()}) THEN 1 ELSE 0 END")
        case_params += [_day(datetime.date(year, 1, 1)), _day(datetime.date(year, 12, 31))] * len(_COMPLETION_SOURCES)
    sql = f"""
    WITH {years_sql}, {base_sql}
    SELECT b.grp, b.y, SUM(CASE b.y {" ".join(cases)} ELSE 0 END), COUNT(*)
    FROM base b
    GROUP BY b.grp, b.y"""
    return sql, params + base_params + case_params


def _hashes_its_subqueries(sql: str, params: list) -> bool:
    """Whether PostgreSQL's plan keeps each IN subquery as a hash. It does when the hash fits the
    statement's memory (work_mem times hash_mem_multiplier: the run's REPORTING_WORK_MEM); otherwise
    it would scan the subquery's rows again for every worker, and the joined form is taken instead.
    The embedded SQLite builds an index for an IN subquery: always yes."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (VERBOSE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    text = plan if isinstance(plan, str) else json.dumps(plan)
    return "(SubPlan " not in text


def _trained_share_joined(grouping: Grouping, years: list[int]) -> tuple[str, list]:
    """One row per worker with a column per year (trained in it or not): a hash of the workers, not
    of every (worker, year) pair, and one join to the base. Needs no more memory than it is given."""
    years_sql, params = _years(years)
    base_sql, base_params = _worker_base(grouping, years)
    columns, column_params = [], []
    for year in years:
        columns.append(f"MAX(CASE WHEN c.d >= %s AND c.d <= %s THEN 1 ELSE 0 END) AS t{int(year)}")
        column_params += [_day(datetime.date(year, 1, 1)), _day(datetime.date(year, 12, 31))]
    pick = " ".join(f"WHEN {int(year)} THEN t.t{int(year)}" for year in years)
    sql = f"""
    WITH {years_sql}, {base_sql},
    trained AS (
        SELECT c.worker_id, {", ".join(columns)}
        FROM ({_completion_dates()}) c
        WHERE c.d >= %s AND c.d <= %s
        GROUP BY c.worker_id
    )
    SELECT b.grp, b.y, SUM(CASE b.y {pick} ELSE 0 END), COUNT(*)
    FROM base b LEFT JOIN trained t ON t.worker_id = b.worker_id
    GROUP BY b.grp, b.y"""
    return sql, params + base_params + column_params + [_day(datetime.date(min(years), 1, 1)),
                                                        _day(datetime.date(max(years), 12, 31))]


FORMULAS["IND-TRAINED-SHARE"] = Formula("IND-TRAINED-SHARE", True, rows=_trained_share_rows)


@formula("IND-LEARNING-ORG-RATE", ratio=True)
def learning_org_rate(grouping: Grouping, years: list[int]) -> tuple[str, list]:
    years_sql, params = _years(years)
    # Grass-roots units: every unit below the level-1 units (depth 3 and deeper), that existed on E.
    sql = f"""
    WITH {years_sql},
    units AS (
        SELECT u.id, yr.y, substr(u.path, 1, %s) AS grp
        FROM membership_unit u CROSS JOIN years yr
        WHERE u.depth >= 3 AND u.path LIKE %s AND (u.founded_on IS NULL OR u.founded_on <= yr.e)
    ),
    standing AS (
        SELECT s.unit_id, yr.y, s.status,
               ROW_NUMBER() OVER (PARTITION BY s.unit_id, yr.y ORDER BY s.year DESC) AS latest
        FROM reporting_learningorgstatus s JOIN years yr ON s.year <= yr.y
    )
    SELECT units.grp, units.y,
           SUM(CASE WHEN st.status IN (%s, %s) THEN 1 ELSE 0 END), COUNT(*)
    FROM units LEFT JOIN standing st ON st.unit_id = units.id AND st.y = units.y AND st.latest = 1
    GROUP BY units.grp, units.y"""
    return sql, params + [grouping.length, grouping.within + "%",
                          LearningOrgStatus.Status.BUILDING, LearningOrgStatus.Status.NAMED]


@formula("IND-CAMPAIGN-COVERAGE", ratio=True)
def campaign_coverage(grouping: Grouping, years: list[int]) -> tuple[str, list]:
    years_sql, params = _years(years)
    sql = f"""
    WITH {years_sql}
    SELECT substr(u.path, 1, %s), yr.y,
           SUM(CASE WHEN c.active THEN 1 ELSE 0 END), COUNT(*)
    FROM membership_unit u CROSS JOIN years yr
    LEFT JOIN reporting_campaignyear c ON c.unit_id = u.id AND c.year = yr.y
    WHERE u.depth = 2 AND u.path LIKE %s
    GROUP BY substr(u.path, 1, %s), yr.y"""
    return sql, params + [grouping.length, grouping.within + "%", grouping.length]


@formula("IND-TEACHERS", ratio=False)
def teachers(grouping: Grouping, years: list[int]) -> tuple[str, list]:
    years_sql, params = _years(years)
    # Teachers of the pool who taught a class running in the year; for a year in which no class
    # runs anywhere yet, the pool's active teachers. The two halves never share a year. (A test of
    # each teacher and year against the classes, EXISTS for each, grew with teachers × classes.)
    sql = f"""
    WITH {years_sql},
    taught AS (
        SELECT DISTINCT k.teacher_id, yr.y
        FROM courses_courseclass k JOIN years yr ON k.starts_on <= yr.e AND k.ends_on >= yr.s
        WHERE k.teacher_id IS NOT NULL
    )
    SELECT substr(u.path, 1, %s), x.y, COUNT(DISTINCT x.teacher_id), NULL
    FROM taught x
    JOIN courses_teacher t ON t.id = x.teacher_id
    JOIN membership_unit u ON u.id = t.unit_id
    WHERE u.path LIKE %s
    GROUP BY substr(u.path, 1, %s), x.y
    UNION ALL
    SELECT substr(u.path, 1, %s), yr.y, COUNT(*), NULL
    FROM courses_teacher t
    JOIN membership_unit u ON u.id = t.unit_id
    CROSS JOIN years yr
    WHERE t.is_active AND u.path LIKE %s AND yr.y NOT IN (SELECT y FROM taught)
    GROUP BY substr(u.path, 1, %s), yr.y"""
    return sql, params + [grouping.length, grouping.within + "%", grouping.length] * 2


# Talent (TAL-4, TAL-5, TAL-6, TAL-1) and innovation (INN-4, INN-2): what issue 11's table counts.
CITY_LEVEL = 1  # talent.models.studios.RecognitionLevel.CITY: 市级


@formula("IND-STUDIOS", ratio=False)
def studios(grouping: Grouping, years: list[int]) -> tuple[str, list]:
    """市级 studios recognised on or before E and not removed on E (a removal dated E counts as removed)."""
    years_sql, params = _years(years)
    sql = f"""
    WITH {years_sql}
    SELECT substr(u.path, 1, %s), yr.y, COUNT(DISTINCT s.id), NULL
    FROM talent_studio s
    JOIN membership_unit u ON u.id = s.unit_id
    JOIN talent_studiorecognition r ON r.studio_id = s.id AND r.level = %s
    JOIN years yr ON r.recognised_on <= yr.e AND (r.removed_on IS NULL OR r.removed_on > yr.e)
    WHERE u.path LIKE %s
    GROUP BY substr(u.path, 1, %s), yr.y"""
    return sql, params + [grouping.length, CITY_LEVEL, grouping.within + "%", grouping.length]


@formula("IND-BASES", ratio=False)
def bases(grouping: Grouping, years: list[int]) -> tuple[str, list]:
    """市级 demonstration bases recognised on or before E and not revoked on E."""
    years_sql, params = _years(years)
    sql = f"""
    WITH {years_sql}
    SELECT substr(u.path, 1, %s), yr.y, COUNT(*), NULL
    FROM talent_demonstrationbase b
    JOIN membership_unit u ON u.id = b.unit_id
    JOIN years yr ON b.recognised_on <= yr.e AND (b.revoked_on IS NULL OR b.revoked_on > yr.e)
    WHERE b.level = %s AND u.path LIKE %s
    GROUP BY substr(u.path, 1, %s), yr.y"""
    return sql, params + [grouping.length, CITY_LEVEL, grouping.within + "%", grouping.length]


def _level_counts(grouping: Grouping, years: list[int], shared: dict | None) -> list[tuple]:
    """Rows (group, year, level 3 or better, level 2 or better, with any level) of the workers of
    P(Y) in each group by their level on E: the best (lowest) certificate issued on or before E and
    still valid on E (through its 有效期至 inclusive; none: no expiry) — talent's rule (TAL-1).
    IND-HIGH-SKILL-SHARE and IND-TECHNICIAN-SHARE differ only in the threshold, so one statement
    answers both, and a run (``shared``) runs it once: it reads every worker of P(Y) and every
    certificate, a quarter of the nightly run at city scale."""
    key = ("levels", grouping, tuple(years))
    if shared is not None and key in shared:
        return shared[key]
    years_sql, params = _years(years)
    base_sql, base_params = _worker_base(grouping, years)
    sql = f"""
    WITH {years_sql}, {base_sql},
    levels AS (
        SELECT c.worker_id, yr.y, MIN(c.level) AS level
        FROM talent_skillcertificate c
        JOIN years yr ON c.issued_on <= yr.e AND (c.valid_until IS NULL OR c.valid_until >= yr.e)
        GROUP BY c.worker_id, yr.y
    )
    SELECT b.grp, b.y, SUM(CASE WHEN l.level <= 3 THEN 1 ELSE 0 END), SUM(CASE WHEN l.level <= 2 THEN 1 ELSE 0 END),
           COUNT(*)
    FROM base b JOIN levels l ON l.worker_id = b.worker_id AND l.y = b.y
    GROUP BY b.grp, b.y"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params + base_params)
        rows = cursor.fetchall()
    if shared is not None:
        shared[key] = rows
    return rows


def _level_share(best: int):
    """Workers of P(Y) in U whose level on E is ``best`` or better, of those with any level on E."""
    column = {3: 2, 2: 3}[best]

    def rows(grouping: Grouping, years: list[int], shared: dict | None = None) -> list[tuple]:
        if not _drilling(grouping):
            return [(row[0], row[1], row[column], row[4]) for row in _level_counts(grouping, years, shared)]
        # A subtree: each of its workers' best level on E, from the certificates' worker index.
        years_sql, params = _years(years)
        base_sql, base_params = _worker_base(grouping, years)
        # Each worker's level in a materialised CTE: as a subquery in FROM, PostgreSQL pulled it up
        # and probed the certificates once for the WHERE and again for the sum.
        sql = f"""
        WITH {years_sql}, {base_sql},
        levels AS MATERIALIZED (
            SELECT b.grp, b.y, (SELECT MIN(c.level) FROM talent_skillcertificate c
                                 WHERE c.worker_id = b.worker_id AND c.issued_on <= yr.e
                                   AND (c.valid_until IS NULL OR c.valid_until >= yr.e)) AS level
            FROM base b JOIN years yr ON yr.y = b.y
        )
        SELECT grp, y, SUM(CASE WHEN level <= %s THEN 1 ELSE 0 END), COUNT(*) FROM levels
        WHERE level IS NOT NULL
        GROUP BY grp, y"""
        return _fetch(grouping, sql, params + base_params + [best])
    return rows


FORMULAS["IND-HIGH-SKILL-SHARE"] = Formula("IND-HIGH-SKILL-SHARE", True, rows=_level_share(3))
FORMULAS["IND-TECHNICIAN-SHARE"] = Formula("IND-TECHNICIAN-SHARE", True, rows=_level_share(2))


def _proposal_rows(numerator: str, denominator: str):
    """INN-2 publishes the one counting function (innovation.proposals.rates); its groups are cut at
    a depth of the tree, ours at a length of the path: the same thing."""
    def rows(grouping: Grouping, years: list[int], shared: dict | None = None) -> list[tuple]:
        from innovation.proposals.rates import proposal_rate_counts
        from membership.models import Unit

        key = ("proposals", grouping, tuple(years))
        counts = shared.get(key) if shared is not None else None
        if counts is None:
            root = Unit.objects.filter(path=grouping.within).first() if grouping.within else None
            counts = list(proposal_rate_counts(root=root, depth=grouping.length // Unit.steplen, years=years))
            if shared is not None:
                shared[key] = counts
        return [(rate.unit_path, rate.year, getattr(rate, numerator), getattr(rate, denominator)) for rate in counts]
    return rows


FORMULAS["IND-PROPOSAL-ADOPTION"] = Formula("IND-PROPOSAL-ADOPTION", True, rows=_proposal_rows("adopted", "decided"))
FORMULAS["IND-PROPOSAL-IMPLEMENTATION"] = Formula("IND-PROPOSAL-IMPLEMENTATION", True,
                                                  rows=_proposal_rows("implemented", "adopted"))


FORMULAS["IND-CREDIT-PILOTS"] = Formula("IND-CREDIT-PILOTS", False, build=_yearly_records(
    "courses_creditpilot", "unit_id", "COUNT(*)", "NULL"))
# "At least 1.5%" includes exactly 1.5%: compared in whole ten-thousandths of 万元 so that SQLite's
# floating point cannot put an exact 1.5% on the wrong side.
FORMULAS["IND-FUND-EXTRACTION"] = Formula("IND-FUND-EXTRACTION", True, build=_yearly_records(
    "reporting_fundsreturn", "unit_id",
    "SUM(CASE WHEN ROUND(r.extracted * 10000) * 1000 >= ROUND(r.payroll * 10000) * 15 THEN 1 ELSE 0 END)", "COUNT(*)"))
FORMULAS["IND-FUND-FRONTLINE"] = Formula("IND-FUND-FRONTLINE", True, build=_yearly_records(
    "reporting_fundsreturn", "unit_id", "SUM(r.frontline)", "SUM(r.spent)"))
# Distinct industry divisions of the competitions of year Y organised in U (every level).
FORMULAS["IND-COMP-INDUSTRIES"] = Formula("IND-COMP-INDUSTRIES", False, build=_yearly_records(
    "talent_competition", "organiser_id", "COUNT(DISTINCT r.industry_id)", "NULL"), additive=False)
FORMULAS["IND-EXCELLENT-ACHIEVEMENTS"] = Formula("IND-EXCELLENT-ACHIEVEMENTS", False, build=_yearly_records(
    "innovation_achievement", "unit_id", "COUNT(*)", "NULL", where="AND r.grade = 'excellent'"))


# The formulas that count every worker of P(Y), of which a run keeps each unit's own figures
# (reporting.models.WorkforceFigure): the columns of each one's numerator and denominator. A run
# computes them a group per unit (UNIT_GROUPS) and adds the units' figures up for the city and the
# level-1 units; a drill-down adds up those of the subtree's units (kept_figures), the run's figures
# in the time of an index range instead of a second pass over the subtree's workers and records.
BY_UNIT = {
    "IND-TRAINED-SHARE": ("trained", "workers"),
    "IND-HIGH-SKILL-SHARE": ("high_skill", "certified"),
    "IND-TECHNICIAN-SHARE": ("technician", "certified"),
}
UNIT_GROUPS = 255  # a grouping length no path reaches: every unit's whole path is its group


def unit_rows(code: str, within: str, years: list[int], shared: dict | None = None) -> list[tuple]:
    """Rows (unit path, year, numerator, denominator) of a BY_UNIT formula, a row per unit with workers."""
    return _rows(FORMULAS[code], Grouping(length=UNIT_GROUPS, within=within), years, shared)


def rolled_up(code: str, rows: list[tuple], grouping: Grouping) -> tuple[list[Figure], list[Figure]]:
    """compute_with_total's answer (the whole's figures, the groups') from a formula's rows (per unit,
    or already per group): each row's figures added to its group's (its path cut to the grouping's
    length) and the whole's."""
    found = FORMULAS[code]
    groups: dict[tuple[str, int], list[int]] = {}
    totals: dict[int, list[int]] = {}
    for path, year, numerator, denominator in rows:
        # Counts stay ints (the fast path at city scale); SQLite's float sums of money as _decimal reads them.
        numerator = numerator if type(numerator) is int else _decimal(numerator)
        denominator = denominator if type(denominator) is int else _decimal(denominator)
        group = groups.setdefault((path[:grouping.length], int(year)), [0, 0])
        group[0] += numerator
        group[1] += denominator
        total = totals.setdefault(int(year), [0, 0])
        total[0] += numerator
        total[1] += denominator

    def figures(items, name):
        return [_figure(found, name(key), year, Decimal(numerator), Decimal(denominator) if found.ratio else None)
                for key, year, (numerator, denominator) in items]

    return (figures(((None, year, sums) for year, sums in sorted(totals.items())), lambda _key: grouping.within),
            figures(((group, year, sums) for (group, year), sums in sorted(groups.items())), lambda key: key))


def kept_figures(code: str, grouping: Grouping, year: int, run_id: int) -> list[Figure] | None:
    """A BY_UNIT formula's figures of ``grouping``'s groups in ``year``, added up from the units'
    figures that run ``run_id`` kept; None where it kept none for that formula and year."""
    from .models import WorkforceFigure

    numerator, denominator = BY_UNIT[code]
    table = WorkforceFigure._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE run_id = %s AND year = %s"
                       f" AND {numerator} IS NOT NULL)", [run_id, year])
        if not cursor.fetchone()[0]:
            return None
        cursor.execute(f"""
            SELECT substr(path, 1, %s), SUM({numerator}), SUM({denominator}) FROM {table}
            WHERE run_id = %s AND year = %s AND path LIKE %s
            GROUP BY substr(path, 1, %s)""", [grouping.length, run_id, year, grouping.within + "%", grouping.length])
        rows = cursor.fetchall()
    found = FORMULAS[code]
    return [_figure(found, group, year, _decimal(n), _decimal(d) if found.ratio else None) for group, n, d in rows]


# Formulas answered by one statement between them (``shared``): a run computes each group in one
# place, in this order. The first groups read every worker of P(Y) of each year and every
# completion or certificate: nine tenths of a run at city scale, so a run with several connections
# starts them first (reporting.services).
STATEMENT_GROUPS = (
    ("IND-TRAINED-SHARE",),
    ("IND-HIGH-SKILL-SHARE", "IND-TECHNICIAN-SHARE"),
    ("IND-PROPOSAL-ADOPTION", "IND-PROPOSAL-IMPLEMENTATION"),
)


@dataclass(frozen=True)
class Figure:
    group: str
    year: int
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None


def _decimal(raw) -> Decimal:
    if raw is None:
        return Decimal(0)
    if isinstance(raw, float):
        # SQLite sums decimals as floats: money has four decimals, counts none.
        return Decimal(repr(raw)).quantize(Decimal("0.0001"))
    return Decimal(raw)


def _rows(found: Formula, grouping: Grouping, years: list[int], shared: dict | None) -> list[tuple]:
    if found.rows is not None:
        return found.rows(grouping, years, shared)
    sql, params = found.build(grouping, years)
    return _fetch(grouping, sql, params)


def _figure(found: Formula, group: str, year, numerator: Decimal, denominator) -> Figure:
    if found.ratio:
        value = (numerator * 100 / denominator).quantize(Decimal("0.01")) if denominator else None
        return Figure(group, int(year), numerator, denominator, value)
    return Figure(group, int(year), numerator, None, numerator.quantize(Decimal("0.01")))


def compute(code: str, grouping: Grouping, years: list[int], shared: dict | None = None) -> list[Figure]:
    """Every group's and year's figure of one formula, in one statement. ``shared``: a dict that
    lives as long as one run, where formulas answered by the same statement keep its rows."""
    found = FORMULAS[code]
    return [_figure(found, group, year, _decimal(numerator), _decimal(denominator) if found.ratio else None)
            for group, year, numerator, denominator in _rows(found, grouping, years, shared)]


def compute_with_total(code: str, grouping: Grouping, years: list[int],
                       shared: dict | None = None) -> tuple[list[Figure], list[Figure]]:
    """The figures of the unit whose subtree ``grouping`` covers (the unit at ``grouping.within``, the
    city for the nightly run) and those of ``grouping``'s groups: the unit's added up from its groups'
    where the formula is additive — one pass over the rows instead of two — else by a second statement."""
    found = FORMULAS[code]
    if not found.additive:
        return (compute(code, Grouping(length=len(grouping.within), within=grouping.within), years),
                compute(code, grouping, years, shared))
    return rolled_up(code, _rows(found, grouping, years, shared), grouping)
