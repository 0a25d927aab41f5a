"""MEM-6: an enterprise's training-fund disclosure sheet for one year (厂务公开, the workers' congress),
as xlsx and as a PDF with the embedded CJK font."""
from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import FONT_NAME, pdf_text, register_font
from uploads.spreadsheets import xlsx_bytes

from .models import FundsReturn


def _percent(share) -> str:
    return "" if share is None else f"{share * 100:.2f}%"


def _lines(funds: FundsReturn) -> list[tuple[str, str]]:
    return [
        (_("Enterprise union"), funds.unit.name),
        (_("Unit code"), funds.unit.code),
        (_("Year"), str(funds.year)),
        (_("Payroll (10,000 yuan)"), f"{funds.payroll:.4f}".rstrip("0").rstrip(".")),
        (_("Amount extracted (10,000 yuan)"), f"{funds.extracted:.4f}".rstrip("0").rstrip(".")),
        (_("Extraction (% of payroll)"), _percent(funds.extraction_share)),
        (_("Amount spent (10,000 yuan)"), f"{funds.spent:.4f}".rstrip("0").rstrip(".")),
        (_("Spent on front-line workers (10,000 yuan)"), f"{funds.frontline:.4f}".rstrip("0").rstrip(".")),
        (_("Front-line share of spending"), _percent(funds.frontline_share)),
        (_("Against the rules"), "；".join(funds.flags()) or _("None")),
    ]


def disclosure_title(funds: FundsReturn) -> str:
    return _("Training-fund disclosure %(year)s: %(unit)s") % {"year": funds.year, "unit": funds.unit.name}


def disclosure_xlsx(funds: FundsReturn) -> bytes:
    rows = _lines(funds) + [(_("Rules"), _("At least 1.5% and at most 2.5% of payroll extracted; at least 60% of "
                                         "spending on front-line workers"))]
    return xlsx_bytes([(_("Disclosure"), [_("Item"), _("Value")], rows)])


def disclosure_pdf(funds: FundsReturn) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_font()
    title = ParagraphStyle("title", fontName=FONT_NAME, fontSize=15, leading=21)
    body = ParagraphStyle("body", fontName=FONT_NAME, fontSize=10, leading=14)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                                 title=disclosure_title(funds), initialFontName=FONT_NAME)
    table = Table([[Paragraph(pdf_text(label), body), Paragraph(pdf_text(value), body)]
                   for label, value in _lines(funds)], colWidths=[60 * mm, 105 * mm])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT_NAME, 10),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef3f7")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story = [
        Paragraph(pdf_text(disclosure_title(funds)), title),
        Paragraph(pdf_text(_("For the enterprise's public affairs board and its workers' congress")), body),
        Spacer(1, 5 * mm), table, Spacer(1, 5 * mm),
        Paragraph(pdf_text(_("Rules: at least 1.5% and at most 2.5% of payroll extracted; at least 60% of spending "
                              "on front-line workers.")), body),
        Paragraph(pdf_text(_("Printed %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}), body),
    ]
    document.build(story)
    return buffer.getvalue()
