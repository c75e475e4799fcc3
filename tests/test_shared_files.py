"""The shared file pieces: evidence storage, verification codes, QR codes, PDFs."""
import io
import re
from pathlib import Path

import pytest

from extensions import db
from models import EvidenceFile
from services import evidence
from services import pdf
from services.certificate_codes import ALPHABET
from services.certificate_codes import new_code
from services.certificate_codes import normalise_code
from services.errors import ValidationFailed
from services.qr import qr_png
from services.qr import qr_svg

PDF = b"%PDF-1.4\n" + b"0" * 1000
PNG = b"\x89PNG\r\n\x1a\n" + b"1" * 100


def stored_files(app) -> list[Path]:
    return sorted(Path(app.config["UPLOAD_DIR"]).glob("*"))


@pytest.fixture
def person(make_person):
    return make_person("S1", "张三")


def test_evidence_is_stored_under_a_random_name_with_its_sniffed_type(app, person):
    before = set(stored_files(app))
    item = evidence.store_evidence(io.BytesIO(PNG), "../../etc/证明.pdf", person)
    db.session.commit()
    assert item.content_type == "image/png"  # the bytes decide, not the name
    assert item.size == len(PNG)
    assert re.fullmatch(r"[0-9a-f]{32}", item.stored_name)
    assert evidence.evidence_path(item).read_bytes() == PNG
    assert set(stored_files(app)) - before == {evidence.evidence_path(item)}
    assert evidence.download_name(item) == "证明.png"


def test_text_named_pdf_is_refused_and_nothing_is_kept(app, person):
    before = stored_files(app)
    with pytest.raises(ValidationFailed, match="PDF, JPG or PNG"):
        evidence.store_evidence(io.BytesIO(b"hello, not a pdf"), "report.pdf", person)
    assert stored_files(app) == before
    assert db.session.scalar(db.select(db.func.count(EvidenceFile.id))) == 0


def test_a_file_over_the_limit_is_refused_without_reading_it_all(app, person, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_EVIDENCE_BYTES", 4096)
    stream = io.BytesIO(PDF + b"x" * 1_000_000)
    before = stored_files(app)
    with pytest.raises(ValidationFailed, match="larger than"):
        evidence.store_evidence(stream, "big.pdf", person)
    assert stream.tell() < 4096 + 2 * evidence.CHUNK  # stopped soon after the limit
    assert stored_files(app) == before


def test_verification_codes_are_random_grouped_and_typeable():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert re.fullmatch(r"([0-9A-Z]{4}-){3}[0-9A-Z]{4}", code)
    assert set(code.replace("-", "")) <= set(ALPHABET)
    assert normalise_code(code.lower().replace("-", " ")) == code
    assert normalise_code("abc") == ""


def test_qr_codes_come_as_inline_svg_and_png():
    assert qr_svg("https://example.edu.cn/verify/ABCD").startswith("<svg")
    assert qr_png("x").startswith(b"\x89PNG")


def test_pdf_embeds_a_chinese_font(app):
    if pdf.find_font() is None:
        pytest.skip("no CJK font on this machine (apt-get install fonts-noto-cjk)")
    document = pdf.new_document("landscape")
    document.add_page()
    document.cell(text="学生信息员基础认证")
    data = pdf.render(document)
    assert data.startswith(b"%PDF")
    assert b"/FontFile" in data  # embedded, so every viewer shows the same glyphs


def test_pdf_without_a_font_says_what_to_install(app, monkeypatch):
    monkeypatch.setitem(app.config, "PDF_FONT", "/nonexistent/font.ttf")
    with pytest.raises(pdf.PdfUnavailable, match="fonts-noto-cjk"):
        pdf.new_document()
