"""PDFs that read the same on any machine: every PDF the portal prints (transcripts, disclosure sheets)
embeds this font, a subset of Noto Sans CJK SC (SIL OFL 1.1, see fonts/OFL.txt; built by
fonts/build_subset.py). reportlab's CID fonts (STSong-Light) are never embedded: readers substitute
whatever they have, or show boxes."""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-Subset.ttf"
FONT_NAME = "NotoSansSCSubset"


def pdf_text(text: str) -> str:
    """XML-escape for a reportlab Paragraph."""
    return escape(text)


def register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH)))
