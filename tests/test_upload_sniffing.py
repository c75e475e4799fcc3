"""Uploads are judged by their bytes and capped by their kind: a question file that is
really a picture or a workbook is refused, one past its limit is refused after reading
no more than the limit, and a CSV likewise (tests/test_xlsx_safety.py covers workbooks)."""
import io

import pytest
from sqlalchemy import func
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from extensions import db
from models import Question
from services import upload_limits
from services.errors import DomainError
from services.evidence import download_name
from services.evidence import store_evidence
from services.moodle_xml import parse_moodle_xml
from services.question_import import import_questions
from services.tabular_files import raw_rows
from services.upload_reading import read_at_most

GIFT = "::问题一:: 发现异常应？ {=报告辅导员 ~等待}\n"
PAGE = "/author/questions/import"


@pytest.fixture
def trainer(app, auth, make_unit, make_user):
    make_unit("U1")
    make_user("trainer@example.edu.cn", grant=("trainer", "U1"), locale="en")
    auth.login("trainer@example.edu.cn")


def upload(auth, name: str, content: bytes):
    return auth.post(PAGE, {"bank": "moodle-rec", "competency": "recognition",
                            "file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def questions() -> int:
    return db.session.scalar(select(func.count(Question.id)))


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n" + bytes(64), b"%PDF-1.7\n%\xe2\xe3",
                                     b"PK\x03\x04" + bytes(64), b"::a:: b {=c ~d}\x00\x00"])
def test_a_binary_file_named_gift_is_refused_by_its_bytes(trainer, auth, content):
    response = upload(auth, "bank.gift", content)
    assert response.status_code == 422
    assert "The file is not a text file" in response.get_data(as_text=True)
    assert questions() == 0


class Counting(io.BytesIO):
    """A stream that remembers how many bytes were asked of it."""

    asked = 0

    def read(self, size=-1):
        data = super().read(size)
        self.asked += len(data)
        return data


def test_an_upload_past_its_kinds_limit_is_refused_having_read_no_more(app, monkeypatch):
    stream = Counting(b"x" * 5000)
    with pytest.raises(DomainError) as refused:
        read_at_most(stream, 1024)
    assert stream.asked == 1025
    assert refused.value.message.startswith("The file is larger than 1 KB: split it")
    assert read_at_most(io.BytesIO(b"x" * 1024), 1024) == b"x" * 1024


def test_the_question_page_refuses_a_file_past_the_question_limit(trainer, auth, monkeypatch):
    monkeypatch.setattr(upload_limits, "MAX_QUESTION_FILE", 256 * 1024)
    response = upload(auth, "bank.gift", (GIFT * 5_000).encode("utf-8"))  # ~300 KB
    assert response.status_code == 422
    assert "The file is larger than 256 KB" in response.get_data(as_text=True)
    assert questions() == 0


def test_the_question_cli_refuses_a_file_past_the_question_limit(app, runner, tmp_path, monkeypatch):
    monkeypatch.setattr(upload_limits, "MAX_QUESTION_FILE", 1024 * 1024)
    path = tmp_path / "bank.gift"
    path.write_text(GIFT * 40_000, encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(path), "--bank", "big"])
    assert result.exit_code == 1
    assert "The file is larger than 1 MB" in result.output
    assert questions() == 0


def test_a_csv_past_its_limit_is_refused(app, monkeypatch):
    monkeypatch.setattr(upload_limits, "MAX_CSV_FILE", 1024 * 1024)
    content = b"code,name\n" + b"U1,University\n" * 100_000
    with pytest.raises(DomainError, match="The file is larger than 1 MB"):
        list(raw_rows(FileStorage(io.BytesIO(content), filename="units.csv")))


@pytest.mark.parametrize("content", [b"%PDF-1.7\nnumber,name\n", b"GIF89a,x\n", b"\xff\xd8\xff\xe0,x\n"])
def test_a_pdf_or_picture_named_csv_is_refused_by_its_bytes(app, content):
    with pytest.raises(DomainError, match="The file is named .csv but is not text"):
        list(raw_rows(FileStorage(io.BytesIO(content), filename="units.csv")))


def test_gift_in_utf16_reads(app):
    result = import_questions(GIFT.encode("utf-16"), "gift", "utf16-bank")
    assert result.created == 1


def test_moodle_xml_in_gb18030_reads_and_an_unknown_encoding_is_a_problem(app):
    text = ('<?xml version="1.0" encoding="GB18030"?>\n<quiz><question type="essay"><name><text>论述'
            '</text></name></question></quiz>')
    assert parse_moodle_xml(text.encode("gb18030")).skipped == [("论述", "essay")]
    for declared in (b"x-no-such", b"gb18030"):
        data = b'<?xml version="1.0" encoding="' + declared + b'"?><quiz>\xff\xff\xff</quiz>'
        problems = parse_moodle_xml(data).problems
        assert problems and "is not text in the encoding it declares" in problems[0]


def test_a_nul_character_in_utf16_text_is_refused(app):
    with pytest.raises(DomainError, match="is not text"):
        list(raw_rows(FileStorage(io.BytesIO("code\nU\x001\n".encode("utf-16")), filename="units.csv")))
    with pytest.raises(DomainError, match="not text"):
        import_questions(("::a\x00:: q {=b ~c}").encode("utf-16"), "gift", "nul-bank")
    assert questions() == 0


def test_an_evidence_file_name_keeps_only_printable_characters(app, make_unit, make_person):
    person = make_person("S001", role="dorm_informant", unit=make_unit("U1"))
    stored = store_evidence(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "../证书\x00\x07.pdf", person)
    assert (stored.original_name, download_name(stored)) == ("证书.pdf", "证书.pdf")
    assert store_evidence(io.BytesIO(b"%PDF-1.4\n"), "\x00", person).original_name == "evidence"
