"""Official documents as PDF: an A4 page laid out after GB/T 9704-2012 (党政机关公文格式).

The Chinese text uses reportlab's `STSong-Light`, one of the Adobe CID fonts every conforming PDF
reader supplies (Adobe-GB1). The PDF names the font and does not embed it, so rendering needs no
font file on the server (no `fonts-noto-cjk`, no TTF in the repository) and a notice is a few KB.
Text is written through the predefined `UniGB-UCS2-H` encoding, which maps each code back to its
Unicode character, so text extractors (pypdf, pdfminer.six) read the Chinese back: the tests check
the title, 文号 and addressee that way. The price is that glyph shapes come from the reader's own
substitute for 宋体; for a document whose legal content is its text, that is the right trade.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    HRFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
    paragraph,
)

FONT = "STSong-Light"
#: GB/T 9704-2012 5.2.1: 天头 37 mm, 订口 28 mm; a 156 × 225 mm text block on A4.
MARGINS = {
    "topMargin": 37 * mm,
    "bottomMargin": 35 * mm,
    "leftMargin": 28 * mm,
    "rightMargin": 26 * mm,
}
RED = colors.HexColor("#c00000")


@dataclass(frozen=True)
class Document:
    """What an official document shows, already in the record's language."""

    issuer: str
    number: str
    title: str
    addressee_line: str  # 主送机关, with its colon
    paragraphs: Sequence[str]
    facts: Sequence[tuple[str, str]]
    signed_on: str


#: GB/T 15834-2011 (标点符号用法): these marks never begin a line. reportlab's CJK wrap reads its
#: list of such marks from `reportlab.lib.textsplit`, which is Japanese and lacks the full-width
#: comma, colon, semicolon, question and exclamation marks and the closing 书名号 and quotes.
#: With them listed, a mark that would begin a line hangs in the right margin instead.
#: (Code points, not text: they are typesetting data, not words for a translator.)
NO_LINE_START = "".join(
    map(chr, (0xFF0C, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF01, 0x300B, 0x3009, 0x201D, 0x2019))
)


@functools.cache
def _prepare() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    # Extend the lists the wrapping code reads: module globals, so once per process. A paragraph
    # of one style wraps in `textsplit.dumbSplit`, one of several in `paragraph.cjkFragSplit`.
    for module in (textsplit, paragraph):
        known = module.ALL_CANNOT_START
        module.ALL_CANNOT_START = known + "".join(c for c in NO_LINE_START if c not in known)


def _style(name: str, size: float, **kwargs: object) -> ParagraphStyle:
    # wordWrap="CJK" breaks lines between any two characters, as Chinese typesetting does.
    return ParagraphStyle(
        name, fontName=FONT, fontSize=size, leading=size * 1.75, wordWrap="CJK", **kwargs
    )


def render_pdf(document: Document) -> bytes:
    """The document as PDF bytes. Deterministic: the same document gives the same bytes."""
    _prepare()
    # 二号 = 22 pt for the title and the issuer's mark, 三号 = 16 pt for the text (GB/T 9704 5.2.2).
    issuer = _style("issuer", 22, alignment=TA_CENTER, textColor=RED)
    number = _style("number", 16, alignment=TA_CENTER)
    title = _style("title", 22, alignment=TA_CENTER, spaceBefore=12, spaceAfter=12)
    text = _style("text", 16, alignment=TA_LEFT)
    para = _style("para", 16, alignment=TA_LEFT, firstLineIndent=32)
    cell = _style("cell", 12, alignment=TA_LEFT)
    sign = _style("sign", 16, alignment=TA_RIGHT, rightIndent=32)

    story: list[object] = [
        Paragraph(escape(document.issuer), issuer),
        Spacer(0, 6 * mm),
        Paragraph(escape(document.number), number),
        HRFlowable(width="100%", thickness=1.5, color=RED, spaceBefore=2 * mm, spaceAfter=6 * mm),
        Paragraph(escape(document.title), title),
        Paragraph(escape(document.addressee_line), text),
    ]
    story += [Paragraph(escape(p), para) for p in document.paragraphs]
    if document.facts:
        rows = [
            [Paragraph(escape(label), cell), Paragraph(escape(value), cell)]
            for label, value in document.facts
        ]
        table = Table(rows, colWidths=[36 * mm, None], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
                ]
            )
        )
        story += [Spacer(0, 4 * mm), table]
    story += [
        Spacer(0, 14 * mm),
        Paragraph(escape(document.issuer), sign),
        Paragraph(escape(document.signed_on), sign),
    ]

    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"{document.number} {document.title}",
        author=document.issuer,
        creator="EcoLoop",
        invariant=True,
        **MARGINS,
    ).build(story)
    return out.getvalue()
