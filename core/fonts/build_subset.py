"""Build core/fonts/NotoSansSC-Subset.ttf, the CJK font the PDF transcript embeds (EDU-8).

reportlab embeds TrueType (glyf) fonts only, and the CID fonts it ships (STSong-Light) are not
embedded at all, so a PDF read on a machine without a Chinese font showed empty boxes. This
takes the Simplified Chinese face of Noto Sans CJK (SIL Open Font License 1.1, see OFL.txt),
keeps GB2312 (every hanzi of common names and titles, 6763), ASCII, Latin-1 and the CJK
punctuation, plus every character of the programme's own Chinese texts, and converts its
cubic CFF outlines to quadratic TrueType ones. Run it again when the source font changes:

    pip install fonttools
    python core/fonts/build_subset.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUTPUT = HERE / "NotoSansSC-Subset.ttf"
FAMILY = "Noto Sans SC Subset"


def characters() -> set[str]:
    chars = {chr(code) for code in range(0x20, 0x7F)} | {chr(code) for code in range(0xA0, 0x180)}
    chars |= {chr(code) for code in range(0x2000, 0x206F)} | {chr(code) for code in range(0x3000, 0x303F)}
    chars |= {chr(code) for code in range(0xFF01, 0xFF5F)} | set("·×÷–—‘’“”…‰※℃№Ⅰ ⅡⅢⅣⅤⅥⅦⅧⅨⅩ①②③④⑤⑥⑦⑧⑨⑩")
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for pattern in ("locale/**/*.po", "**/seed*.py", "**/migrations/*seed*.py", "templates/**/*.html"):
        for path in ROOT.glob(pattern):
            if ".venv" not in path.parts:
                chars |= {c for c in path.read_text(encoding="utf-8") if ord(c) > 0x2E7F}
    return chars


def simplified_face(source: Path) -> TTFont:
    if source.suffix.lower() == ".ttc":
        for font in TTCollection(str(source)).fonts:
            if "SC" in font["name"].getDebugName(1).split():
                return font
        raise SystemExit("no SC face in the collection")
    return TTFont(str(source))


def to_truetype(font: TTFont) -> None:
    """CFF (cubic) outlines to glyf (quadratic), which reportlab can embed."""
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in font.getGlyphOrder():
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 2.0
    font["post"].extraNames = []
    font["post"].mapping = {}
    font["post"].glyphOrder = font.getGlyphOrder()
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcBBoxes = True


def main(source: str) -> None:
    font = simplified_face(Path(source))
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(characters())))
    subsetter.subset(font)
    to_truetype(font)
    for record in font["name"].names:
        # OFL: a modified version does not keep the Reserved Font Name "Noto".
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "")
    font.save(str(OUTPUT))
    print(OUTPUT, OUTPUT.stat().st_size)


if __name__ == "__main__":
    main(sys.argv[1])
