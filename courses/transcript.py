"""EDU-8: a worker's own record as a PDF transcript and as an xlsx."""
from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from uploads.spreadsheets import xlsx_bytes


def _kind_labels() -> dict[str, str]:
    return {"class": _("Class"), "training": _("Training"), "certificate": _("Certificate"), "activity": _("Activity")}


def transcript_xlsx(*, worker, entries, account) -> bytes:
    headers = [_("Date"), _("Type"), _("Title"), _("Detail"), _("Hours"), _("Credits"), _("Status")]
    kinds = _kind_labels()
    rows = [[e.on, kinds[e.kind], e.title, e.detail, e.hours, e.credits, e.status] for e in entries]
    summary = [[_("Credits earned"), account.earned], [_("Credits converted"), account.converted],
               [_("Balance"), account.balance]]
    ledger = [[e.earned_on, e.get_source_kind_display(), e.cause, e.credits] for e in account.entries]
    return xlsx_bytes([(_("Learning record"), headers, rows), (_("Credit account"), [worker.name, ""], summary),
                       (_("Credit entries"), [_("Date"), _("Source"), _("Cause"), _("Credits")], ledger)])


def _pdf_text(text: str) -> str:
    """STSong-Light lacks the middle dot the web page uses between fields; XML-escape for Paragraph."""
    from xml.sax.saxutils import escape

    return escape(text.replace(" · ", "，").replace("·", "，"))


def transcript_pdf(*, worker, entries, account) -> bytes:
    """Chinese text with reportlab's built-in STSong-Light CID font: readers supply the glyphs,
    so no font file is shipped or fetched."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title = ParagraphStyle("title", fontName="STSong-Light", fontSize=16, leading=22)
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=9, leading=12)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                 title=_("Lifelong learning record"))
    kinds = _kind_labels()
    data = [[_("Date"), _("Type"), _("Title"), _("Detail"), _("Hours"), _("Credits")]]
    data += [[str(e.on), kinds[e.kind], Paragraph(_pdf_text(e.title), body), Paragraph(_pdf_text(e.detail), body),
              "" if e.hours is None else str(e.hours), "" if e.credits is None else str(e.credits)] for e in entries]
    table = Table(data, colWidths=[22 * mm, 16 * mm, 50 * mm, 60 * mm, 14 * mm, 14 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "STSong-Light", 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde8f0")),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story = [
        Paragraph(_("Lifelong learning record"), title),
        # STSong-Light has no middle dot (·): commas separate the header fields.
        Paragraph(_pdf_text(f"{worker.name}，{worker.id_number_masked}，{worker.unit.name}"), body),
        Paragraph(_("Credits earned %(earned)s, converted %(converted)s, balance %(balance)s")
                  % {"earned": account.earned, "converted": account.converted, "balance": account.balance}, body),
        Paragraph(_("Printed %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}, body),
        Spacer(1, 6 * mm), table,
    ]
    document.build(story)
    return buffer.getvalue()
