"""The certificate as a printable PDF: A4 landscape, Chinese first with small English,
the holder, program, dates, issuing body, verification code and a QR code to /verify.

Everything is drawn with the embedded CJK font (services.pdf), so it prints the same
everywhere; without such a font new_document raises PdfUnavailable and the page
offers the HTML certificate instead.
"""
from datetime import date
from io import BytesIO

from fpdf import FPDF

from models import Certificate
from services import pdf as pdf_service
from services.qr import qr_png

WIDTH, HEIGHT = 297, 210  # A4 landscape, mm
MARGIN = 25
INK = (33, 37, 41)
ACCENT = (139, 26, 26)  # a seal red for the border and title
MUTED = (108, 117, 125)


def render_certificate(certificate: Certificate, verify_url: str, issuer: str) -> bytes:
    """The certificate's PDF; `verify_url` is printed and encoded in the QR code."""
    doc = pdf_service.new_document("landscape")
    doc.set_auto_page_break(auto=False)
    holder, program = certificate.person.name, certificate.program
    doc.set_title(f"证书 {program.title} {certificate.code}")
    doc.set_author(issuer)
    doc.set_lang("zh-CN")
    doc.add_page()
    draw_border(doc)
    centred(doc, 26, "证　书", 40, ACCENT)
    centred(doc, 45, "CERTIFICATE", 13, ACCENT, spacing=3)
    centred(doc, 62, "兹证明", 14)
    centred(doc, 72, holder, 30)
    centred(doc, 92, "已完成下列认证项目的全部要求，特发此证。", 14)
    centred(doc, 104, program.title, 20)
    english = "has met all the requirements of the program"
    english += f" {program.title_en}" if program.title_en else " above"
    centred(doc, 118, english + " and is hereby certified.", 9, MUTED)
    details(doc, certificate, issuer)
    doc.image(BytesIO(qr_png(verify_url)), x=WIDTH - MARGIN - 36, y=134, w=36, h=36)
    centred(doc, 178, f"扫描二维码或访问以下网址核验 Scan or visit to verify: {verify_url}", 8, MUTED)
    return pdf_service.render(doc)


def draw_border(doc: FPDF) -> None:
    """A double frame with small corner squares: the certificate look, in vector lines."""
    doc.set_draw_color(*ACCENT)
    doc.set_line_width(1.2)
    doc.rect(8, 8, WIDTH - 16, HEIGHT - 16)
    doc.set_line_width(0.3)
    doc.rect(11, 11, WIDTH - 22, HEIGHT - 22)
    doc.set_fill_color(*ACCENT)
    for x, y in ((11, 11), (WIDTH - 15, 11), (11, HEIGHT - 15), (WIDTH - 15, HEIGHT - 15)):
        doc.rect(x, y, 4, 4, style="F")
    doc.set_line_width(0.4)
    doc.line(WIDTH / 2 - 30, 54, WIDTH / 2 + 30, 54)


def centred(doc: FPDF, y: float, text: str, size: float, colour=INK, spacing: float = 0) -> None:
    """One line centred across the page, shrunk until it fits between the margins."""
    room = WIDTH - 2 * MARGIN
    doc.set_font(pdf_service.FAMILY, size=size)
    doc.set_char_spacing(spacing)
    while size > 6 and doc.get_string_width(text) > room:
        size -= 1
        doc.set_font(pdf_service.FAMILY, size=size)
    doc.set_text_color(*colour)
    doc.set_xy(MARGIN, y)
    doc.cell(room, size * 0.5, text, align="C")
    doc.set_char_spacing(0)


def details(doc: FPDF, certificate: Certificate, issuer: str) -> None:
    """The dates, issuing body and code, bottom left, each label in both languages."""
    rows = (
        ("发证日期 Issued", long_date(certificate.issued)),
        ("失效日期 Expires", long_date(certificate.expires)),
        ("发证机构 Issued by", issuer),
        ("验证码 Verification code", certificate.code),
    )
    y = 136
    for label, value in rows:
        doc.set_xy(MARGIN + 5, y)
        doc.set_font(pdf_service.FAMILY, size=9)
        doc.set_text_color(*MUTED)
        doc.cell(50, 8, label)
        doc.set_font(pdf_service.FAMILY, size=12)
        doc.set_text_color(*INK)
        doc.cell(WIDTH - 2 * MARGIN - 100, 8, value)
        y += 9


def long_date(value: date) -> str:
    """2026年9月1日 (2026-09-01): Chinese for the reader, ISO for anyone else."""
    return f"{value.year}年{value.month}月{value.day}日 ({value.isoformat()})"
