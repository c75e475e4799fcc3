"""PDF documents with Chinese text: the font is embedded (subset), so every viewer
shows the same glyphs.

The font is PDF_FONT when set, else the first CJK font found among the usual system
places (Debian's fonts-noto-cjk, WenQuanYi, macOS, Windows). Without one a PDF cannot
show Chinese, so `cjk_font()` raises PdfUnavailable and pages offer print instead.

fpdf2 (with Pillow, about 17 MB) is imported when a PDF is made, not when a worker starts:
most workers never make one.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _

from services.errors import DomainError

if TYPE_CHECKING:
    from fpdf import FPDF

#: (path, index in the collection for .ttc) — Simplified Chinese first
CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
)
FAMILY = "cjk"


class PdfUnavailable(DomainError):
    status = 503
    code = "pdf_unavailable"


def find_font() -> tuple[str, int] | None:
    """The CJK font to embed, or None when the machine has none."""
    configured = current_app.config.get("PDF_FONT")
    if configured:
        return (configured, 0) if Path(configured).is_file() else None
    for path, index in CANDIDATES:
        if Path(path).is_file():
            return path, index
    return None


def new_document(orientation: str = "portrait") -> FPDF:
    """An A4 FPDF with the CJK font registered as family "cjk" and selected."""
    found = find_font()
    if found is None:
        raise PdfUnavailable(_("PDF needs a font with Chinese characters on the server "
                               "(install fonts-noto-cjk or set PDF_FONT); use the "
                               "browser's print instead."))
    path, index = found
    from fpdf import FPDF

    pdf = FPDF(orientation="L" if orientation == "landscape" else "P", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font(FAMILY, fname=path, collection_font_number=index)
    pdf.set_font(FAMILY, size=11)
    return pdf


def render(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
