"""EDU-8: a worker's own record as a PDF transcript and as an xlsx."""
from __future__ import annotations

import hashlib
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import FONT_NAME, pdf_text, register_font
from uploads.spreadsheets import xlsx_bytes


def _kind_labels() -> dict[str, str]:
    return {"class": _("Class"), "training": _("Training"), "certificate": _("Certificate"), "activity": _("Activity"),
            "courseware": _("Courseware")}


def transcript_xlsx(*, worker, entries, account) -> bytes:
    headers = [_("Date"), _("Type"), _("Title"), _("Detail"), _("Hours"), _("Credits"), _("Status")]
    kinds = _kind_labels()
    rows = [[e.on, kinds[e.kind], e.title, e.detail, e.hours, e.credits, e.status] for e in entries]
    summary = [[_("Credits earned"), account.earned], [_("Credits converted"), account.converted],
               [_("Balance"), account.balance]]
    ledger = [[e.earned_on, e.get_source_kind_display(), e.cause, e.credits] for e in account.entries]
    return xlsx_bytes([(_("Learning record"), headers, rows), (_("Credit account"), [worker.name, ""], summary),
                       (_("Credit entries"), [_("Date"), _("Source"), _("Cause"), _("Credits")], ledger)])




def transcript_digest(*, worker, entries, account) -> str:
    """SHA-256 of what a transcript lists (its items and sums), stored with its verification code."""
    lines = [f"{worker.pk}|{worker.name}"]
    lines += [f"{e.on}|{e.kind}|{e.title}|{e.detail}|{e.hours}|{e.credits}" for e in entries]
    lines.append(f"{account.earned}|{account.converted}|{account.balance}")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def transcript_pdf(*, worker, entries, account, issue, check_url: str) -> bytes:
    """The record with the embedded CJK font, and the verification code of ``issue`` (a
    TranscriptIssue) that the public check page at ``check_url`` confirms."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_font()
    title = ParagraphStyle("title", fontName=FONT_NAME, fontSize=16, leading=22)
    body = ParagraphStyle("body", fontName=FONT_NAME, fontSize=9, leading=12)
    buffer = io.BytesIO()
    # The canvas starts in the embedded font too: its default, Helvetica, is never embedded.
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                 title=_("Lifelong learning record"), initialFontName=FONT_NAME)
    kinds = _kind_labels()
    data = [[_("Date"), _("Type"), _("Title"), _("Detail"), _("Hours"), _("Credits")]]
    data += [[str(e.on), kinds[e.kind], Paragraph(pdf_text(e.title), body), Paragraph(pdf_text(e.detail), body),
              "" if e.hours is None else str(e.hours), "" if e.credits is None else str(e.credits)] for e in entries]
    table = Table(data, colWidths=[22 * mm, 16 * mm, 50 * mm, 60 * mm, 14 * mm, 14 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT_NAME, 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde8f0")),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story = [
        Paragraph(_("Lifelong learning record"), title),
        Paragraph(pdf_text(f"{worker.name} · {worker.id_number_masked} · {worker.unit.name}"), body),
        Paragraph(_("Credits earned %(earned)s, converted %(converted)s, balance %(balance)s")
                  % {"earned": account.earned, "converted": account.converted, "balance": account.balance}, body),
        Paragraph(_("Printed %(when)s") % {"when": timezone.localtime(issue.issued_at).strftime("%Y-%m-%d %H:%M")}, body),
        Paragraph(pdf_text(_("Verification code %(code)s: check it at %(url)s")
                            % {"code": issue.code, "url": check_url}), body),
        Spacer(1, 6 * mm), table,
    ]
    document.build(story)
    return buffer.getvalue()
