"""MEM-3: a worker's whole record on the officer's worker page, in sections that apps contribute.

Membership owns the worker but not what the worker did: courses knows enrolments, training records,
credits and course certificates; the talent app will know skill certificates. Each app registers a
``WorkerSection`` here (from its admin module, which Django imports at start-up), and the worker's
admin change page renders every section the viewer may see, in ``order``.

A section's ``rows`` returns the rows of one worker, already limited to what the viewer may see
(``scoping.visible_to``) and with the ``select_related`` its template needs, so the page costs a
fixed number of queries per section whatever the length of the record. Sections are read-only:
changing a fact happens on that fact's own admin page, linked from the row.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.http import HttpRequest

from .models import Worker


@dataclass(frozen=True)
class WorkerSection:
    """``key`` names the section (also its HTML id), ``title`` is shown as its heading,
    ``template`` renders ``section`` (this object) and ``rows`` (what ``rows`` returned).
    ``permission`` ("app_label.codename") hides the section from users without it."""

    key: str
    title: Any
    template: str
    rows: Callable[[HttpRequest, Worker], Any]
    order: int = 100
    permission: str = ""


@dataclass(frozen=True)
class RenderedSection:
    section: WorkerSection
    rows: Any


_SECTIONS: dict[str, WorkerSection] = {}


def register_worker_section(section: WorkerSection) -> None:
    """For any app: add (or replace, by key) a section of the worker page."""
    _SECTIONS[section.key] = section


def worker_sections() -> list[WorkerSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


def worker_record(request: HttpRequest, worker: Worker) -> list[RenderedSection]:
    """The sections of ``worker``'s record that ``request.user`` may see, each with its rows."""
    return [RenderedSection(section=section, rows=section.rows(request, worker))
            for section in worker_sections()
            if not section.permission or request.user.has_perm(section.permission)]
