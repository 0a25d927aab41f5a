"""REP-2, REP-3: the dashboards. Leadership sees the city and every level-1 unit; a district officer
sees their own district and its drill-down. Everything reads stored values of complete runs, except
the drill-down below a level-1 unit, computed on demand by the same formulas."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from membership import scoping
from portal import frame
from uploads.spreadsheets import xlsx_bytes

from . import disclosure, formulas, records, selectors
from .models import Indicator

PERMISSION = "reporting.view_indicatorvalue"
# The years a drill-down address may name: the formulas build dates of the year and its neighbours,
# which Python cannot represent beyond 1..9999, and no indicator is kept outside these.
YEARS = range(1949, 2101)


def _render(request, template: str, context: dict | Callable[[], dict], *, page_key: str | None = None):
    """The dashboards wear the admin's frame (header, breadcrumbs, log-out, the sidebar of sections).
    The sidebar depends only on who asks — their permissions, subtree and language — so its HTML is
    kept in the cache under those; everything else of the frame is built for each request.

    With ``page_key`` (what the page's body depends on), the whole page is kept per viewer — the key
    and everything the frame shows of them — rendered with markers for the CSRF token and the
    address (portal/frame.py), so that a request costs a few small queries and no template. A page
    with a message waiting is rendered, never kept. ``context`` may be a callable, called only when
    the page is rendered."""
    user = request.user
    viewer = frame.sidebar_viewer(user, scoping.user_root_path(user))
    key = "reporting:sidebar:" + hashlib.sha256(repr(viewer).encode()).hexdigest()
    if page_key is None or frame.messages_waiting(request):
        return _render_now(request, template, context() if callable(context) else context, key)
    full_key = "reporting:page:" + hashlib.sha256(repr((
        page_key, viewer, user.get_username(), user.get_short_name(), user.has_usable_password())).encode()).hexdigest()
    page = cache.get(full_key)
    if page is None:
        page = frame.prepared(_render_now(request, template, {**(context() if callable(context) else context),
                                                              **frame.marked_context(request)}, key).content.decode())
        cache.set(full_key, page, DASHBOARD_CACHE_SECONDS)
    return frame.filled(request, page)


def _render_now(request, template: str, context: dict, sidebar_key: str):
    sidebar = cache.get(sidebar_key)
    if sidebar is None:
        each = admin.site.each_context(request)
        sidebar = str(render_to_string("admin/nav_sidebar.html", each, request))
        cache.set(sidebar_key, sidebar, SIDEBAR_CACHE_SECONDS)
    else:
        each = admin.site.frame_context(request)
    return render(request, template, {**each, **context, "nav_sidebar": mark_safe(sidebar)})


# A change of permissions, subtree or language changes the key; the timeout bounds what is kept
# of a sidebar whose admin pages changed with a deployment.
SIDEBAR_CACHE_SECONDS = 3600


def _require(request):
    if not (request.user.is_staff and request.user.has_perm(PERMISSION)):
        raise PermissionDenied


def _grid(plan, user):
    """indicator -> unit -> year -> value, and the years and units present."""
    values = selectors.stored_values(plan=plan, user=user, units=selectors.dashboard_units(user))
    grid: dict[int, dict[int, dict[int, object]]] = defaultdict(lambda: defaultdict(dict))
    years, units = set(), {}
    for value in values:
        grid[value.indicator_id][value.unit_id][value.year] = value
        years.add(value.year)
        units[value.unit_id] = value.unit
    return grid, sorted(years), units


def _chosen_year(request, years):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year in years:
        return year
    plan_years = [y for y in years if y <= timezone.localdate().year]
    return max(plan_years or years or [timezone.localdate().year])


@login_required
def dashboard(request):
    """The leadership page. Its body changes only when a run completes, so it is kept in the cache
    under the last complete run, the viewer's scope, the page's options and the language
    (selectors.dashboard_cache_key): a request costs a few small queries and the frame's render,
    not reading and laying out every stored value again."""
    _require(request)
    printable = request.GET.get("print") == "1"
    key = selectors.dashboard_cache_key(user=request.user, options=(
        request.GET.get("year", ""), request.GET.get("sort", ""), printable, translation.get_language()))

    def context() -> dict:
        page = cache.get(key)
        if page is None:
            page = _dashboard_body(request, printable)
            cache.set(key, page, DASHBOARD_CACHE_SECONDS)
        return {"plan": page["plan"], "body": mark_safe(page["body"]), "printable": printable,
                "title": _("Indicators dashboard")}
    return _render(request, "reporting/dashboard.html", context, page_key=key)


# A new run changes the key; the timeout only bounds what a cache keeps of pages nobody asks for.
DASHBOARD_CACHE_SECONDS = 24 * 3600


def _dashboard_body(request, printable: bool) -> dict:
    plan = selectors.current_plan()
    if plan is None:
        return {"plan": False, "body": render_to_string("reporting/_dashboard_body.html", {"plan": None}, request)}
    grid, years, units = _grid(plan, request.user)
    year = _chosen_year(request, years)
    indicators = list(plan.indicators.order_by("position", "code"))
    ordered_units = sorted(units.values(), key=lambda u: u.path)
    top = [u for u in ordered_units if u.depth == 1]
    city = top[0] if top else None
    districts = [u for u in ordered_units if u.depth == 2]
    sort = request.GET.get("sort", "")
    descending = sort.startswith("-")
    sort_code = sort.lstrip("-")
    by_code = {i.code: i for i in indicators}
    if sort_code in by_code:
        key_indicator = by_code[sort_code]

        def sort_key(unit):
            found = grid[key_indicator.pk][unit.pk].get(year)
            value = found.value if found is not None else None
            return (value is None, -(value or 0) if descending else (value or 0), unit.path)
        districts.sort(key=sort_key)
    head = []
    for indicator in indicators:
        series = grid[indicator.pk][city.pk] if city else {}
        head.append({"indicator": indicator, "current": series.get(year),
                     "trend": [series.get(y) for y in years]})
    table = [{"unit": unit, "cells": [grid[i.pk][unit.pk].get(year) for i in indicators]} for unit in districts]
    chart = {"years": years, "series": [
        {"code": row["indicator"].code, "name": row["indicator"].name, "measure": row["indicator"].measure,
         "values": [_plain(v.value) if v is not None else None for v in row["trend"]],
         "targets": [_plain(v.target_low) if v is not None else None for v in row["trend"]]} for row in head]}
    run = selectors.runs_serving([year]).get(year)
    body = render_to_string("reporting/_dashboard_body.html", {
        "plan": plan, "year": year, "years": years, "head": head, "table": table, "indicators": indicators,
        "city": city, "sort": sort, "chart": chart, "run": run, "printable": printable,
        # The drill-down's addresses lie below the dashboard's (urls.py): one reverse, not one a cell.
        "base": reverse("reporting:dashboard"),
    }, request)
    return {"plan": True, "body": str(body)}


def _plain(value):
    return None if value is None else float(value)


CHILDREN_PER_PAGE = 100


@login_required
def indicator_detail(request, code: str, unit_id: int, year: int):
    """The drill-down: a unit's value, the units one level below it, and a link to the records."""
    _require(request)
    if year not in YEARS:
        raise Http404
    plan = selectors.current_plan()
    indicator = get_object_or_404(Indicator, plan=plan, code=code)
    unit = selectors.visible_unit(user=request.user, pk=unit_id)
    if unit is None:
        raise Http404
    stored = selectors.stored_value(plan=plan, user=request.user, unit=unit, indicator=indicator, year=year)
    # ?now=1: the units' figures computed from the current records rather than the run's.
    now = request.GET.get("now") == "1"
    children, children_run = selectors.children_figures(indicator=indicator, unit=unit, year=year, user=request.user,
                                                        now=now)
    # A district may have thousands of units below it: a page of them at a time.
    page = Paginator(children, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    ancestors = [a for a in unit.get_ancestors() if scoping.unit_in_scope(request.user, a)]
    return _render(request, "reporting/indicator.html", {
        "indicator": indicator, "unit": unit, "year": year, "stored": stored, "children": page.object_list,
        "page": page, "children_run": children_run, "now": now,
        "keeps_unit_figures": indicator.formula in formulas.BY_UNIT,
        "ancestors": ancestors, "has_records": code in records.RECORDS or indicator.formula in records.RECORDS,
        "title": f"{indicator.name} · {unit.name} · {year}",
    })


@login_required
def indicator_records(request, code: str, unit_id: int, year: int):
    _require(request)
    if year not in YEARS:
        raise Http404
    plan = selectors.current_plan()
    indicator = get_object_or_404(Indicator, plan=plan, code=code)
    unit = selectors.visible_unit(user=request.user, pk=unit_id)
    if unit is None:
        raise Http404
    builder = records.RECORDS.get(indicator.formula)
    if builder is None:
        raise Http404
    found = builder(unit, year, request.user)
    page = Paginator(found.rows, 50).get_page(request.GET.get("page"))
    return _render(request, "reporting/records.html", {
        "indicator": indicator, "unit": unit, "year": year, "columns": found.columns, "page": page,
        "rows": [found.cells(row) for row in page.object_list],
        "title": _("Records behind %(indicator)s") % {"indicator": indicator.name},
    })


@login_required
def dashboard_xlsx(request):
    _require(request)
    plan = selectors.current_plan()
    if plan is None:
        raise Http404
    values = selectors.stored_values(plan=plan, user=request.user, units=selectors.dashboard_units(request.user))
    serving = selectors.runs_serving(sorted({v.year for v in values}))
    headers = [_("Code"), _("Indicator"), _("Unit"), _("Unit code"), _("Year"), _("Numerator"), _("Denominator"),
               _("Value"), _("Target"), _("Met"), _("Computed at")]
    met_words = {True: _("Met"), False: _("Not met"), None: ""}
    rows = [[v.indicator.code, v.indicator.name, v.unit.name, v.unit.code, v.year, _number(v.numerator),
             _number(v.denominator), _number(v.value), v.target_text, met_words[v.met],
             timezone.localtime(serving[v.year].finished_at).strftime("%Y-%m-%d %H:%M") if v.year in serving else ""]
            for v in values]
    response = HttpResponse(xlsx_bytes([(_("Indicators"), headers, rows)], text_columns=(3,)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="indicators-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@login_required
def funds_disclosure(request, pk: int, file_format: str):
    if not request.user.has_perm("reporting.view_fundsreturn"):
        raise PermissionDenied
    funds = selectors.visible_funds_return(user=request.user, pk=pk)
    if funds is None:
        raise Http404
    name = f"funds-{funds.unit.code}-{funds.year}"
    if file_format == "xlsx":
        response = HttpResponse(disclosure.disclosure_xlsx(funds),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    elif file_format == "pdf":
        response = HttpResponse(disclosure.disclosure_pdf(funds), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    else:
        raise Http404
    return response



