"""Uploads that are not what they claim, or are built to hurt: refused with a message the
user can act on, never a server error, whatever the bytes."""
import io
import os
import zipfile
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage

from services import upload_limits
from services.errors import DomainError
from services.tabular_files import raw_rows
from services.xlsx_zip import OLE2_MAGIC
from tests.import_files import UNIT_HEADERS
from tests.import_files import xlsx_bytes
from tests.xlsx_parts import one_sheet
from tests.xlsx_parts import workbook_parts
from tests.xlsx_parts import zip_bytes

UNREADABLE = "The file could not be read as an Excel workbook (.xlsx)"
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'


def read(content: bytes, name: str = "upload.xlsx") -> list[list]:
    return list(raw_rows(FileStorage(io.BytesIO(content), filename=name)))


def refusal(content: bytes, name: str = "upload.xlsx") -> str:
    with pytest.raises(DomainError) as refused:
        read(content, name)
    return refused.value.message


def with_parts(extra: dict[str, str | bytes]) -> bytes:
    return zip_bytes(workbook_parts([("Sheet1", "xl/worksheets/sheet1.xml", HEADER_ROW)]) | extra)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(app):
    message = refusal(with_parts({"xl/media/image1.png": b"\0" * (5 * 1024 * 1024)}))
    assert message.startswith(UNREADABLE)
    assert "inflates more than 200 times, as zip bombs do" in message


def test_a_workbook_that_unpacks_too_large_is_refused(app, monkeypatch):
    monkeypatch.setattr(upload_limits, "MAX_UNPACKED", 2 * 1024 * 1024)
    message = refusal(with_parts({"xl/media/image1.png": os.urandom(3 * 1024 * 1024)}))
    assert message == f"{UNREADABLE}: it unpacks to more than 2 MB."


def test_a_zip_of_too_many_parts_is_refused(app):
    parts = {f"xl/media/image{n}.png": b"" for n in range(upload_limits.MAX_MEMBERS)}
    message = refusal(with_parts(parts))
    assert message == f"{UNREADABLE}: it holds more than 1000 parts."


def test_macros_are_refused_by_name_and_by_content(app):
    content = with_parts({"xl/vbaProject.bin": b"macro"})
    assert refusal(content, "upload.xlsm").startswith("Unsupported file type .xlsm: macro-enabled")
    assert refusal(content).startswith("Macro-enabled workbooks (.xlsm) are not accepted")


TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
MS = "application/vnd.ms-"


def content_types(declared: str) -> str:
    xml = '<Default Extension="xml" ContentType="application/xml"/>'
    return f'<Types xmlns="{TYPES}">{xml}{declared}</Types>'


@pytest.mark.parametrize("declared", [
    f'<Override PartName="/xl/workbook.xml" ContentType="{MS}excel.sheet.macroEnabled.main+xml"/>',
    f'<Default Extension="dat" ContentType="{MS}office.vbaProject"/>',
    f'<Override PartName="/xl/macrosheets/sheet2.xml" ContentType="{MS}excel.macrosheet+xml"/>',
])
def test_macros_are_refused_by_content_type_whatever_the_parts_are_called(app, declared):
    content = with_parts({"xl/code.dat": b"macro", "[Content_Types].xml": content_types(declared)})
    assert refusal(content).startswith("Macro-enabled workbooks (.xlsm) are not accepted")


def test_a_plain_workbooks_content_types_pass(app):
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    content = with_parts({"[Content_Types].xml": content_types(
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>')})
    assert read(content) == [["code"]]


@pytest.mark.parametrize("content", [os.urandom(512), b"", b"PK\x03\x04" + os.urandom(512),
                                     zip_bytes({"word/document.xml": "<w/>"}),
                                     b"code,name\nU1,University\n"])
def test_bytes_that_are_not_a_workbook_are_refused_clearly(app, content):
    assert refusal(content) == f"{UNREADABLE}."


def test_an_old_xls_or_a_password_protected_workbook_is_explained(app):
    message = refusal(OLE2_MAGIC + os.urandom(512))
    assert "it is an old .xls file or is protected by a password" in message


@pytest.mark.parametrize("rows", [
    '<row r="1048577"><c r="A1048577"><v>1</v></c></row>',
    '<row><c r="XFE1"><v>1</v></c></row>',
    '<row><c r="A1" t="s"><v>7</v></c></row>',
    '<row><c r="A1"><v>twelve</v></c></row>',
    '<row><c r="A1"><v>1</v></c>',
])
def test_a_damaged_sheet_is_refused(app, rows):
    assert refusal(one_sheet(rows)) == f"{UNREADABLE}."


def test_xml_entities_and_dtds_are_refused(app):
    laughs = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
              '<worksheet><sheetData><row><c t="inlineStr"><is><t>&b;</t></is></c></row></sheetData>'
              '</worksheet>')
    assert refusal(with_parts({"xl/worksheets/sheet1.xml": laughs})) == f"{UNREADABLE}."


def test_a_row_of_too_many_elements_is_refused(app, monkeypatch):
    monkeypatch.setattr(upload_limits, "MAX_ELEMENTS_BETWEEN", 100)
    assert refusal(one_sheet("<row>" + "<c><v>1</v></c>" * 60 + "</row>")) == f"{UNREADABLE}."
    rows = read(one_sheet(("<row>" + "<c><v>1</v></c>" * 20 + "</row>") * 500))
    assert rows == [[1] * 20] * 500


def test_a_workbook_named_csv_or_a_binary_csv_is_refused(app):
    workbook = xlsx_bytes([UNIT_HEADERS])
    assert refusal(workbook, "units.csv") == ("The file is named .csv but is an Excel workbook: name it "
                                              ".xlsx, or save it as CSV, and upload it again.")
    assert "is an old Excel file (.xls)" in refusal(OLE2_MAGIC + b"\0" * 100, "units.csv")
    assert "is not text" in refusal(b"code,name\n\0\0\0", "units.csv")


def test_a_utf16_csv_reads(app):
    assert read("code\tname\nU1\t大学\n".encode("utf-16"), "units.csv") == [["code", "name"], ["U1", "大学"]]


def test_an_upload_page_refuses_a_zip_bomb_with_the_reason(app, auth, make_user):
    make_user("root@example.edu.cn", grant=("superadmin", None), locale="en")
    auth.login("root@example.edu.cn")
    bomb = with_parts({"xl/media/image1.png": b"\0" * (5 * 1024 * 1024)})
    response = auth.post("/import", {"kind": "units", "file": (io.BytesIO(bomb), "units.xlsx")},
                         content_type="multipart/form-data")
    assert response.status_code == 422
    assert "as zip bombs do" in response.get_data(as_text=True)


def outcome(content: bytes, name: str = "upload.xlsx") -> str:
    """'read' or 'refused': anything else raised fails the property."""
    try:
        read(content, name)
    except DomainError as refused:
        assert refused.message
        return "refused"
    return "read"


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PART_NAMES = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
              "xl/sharedStrings.xml", "xl/styles.xml", "[Content_Types].xml"]
xml_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


@FUZZ
@given(prefix=st.sampled_from([b"", b"PK\x03\x04", OLE2_MAGIC, b"\xef\xbb\xbf"]),
       data=st.binary(max_size=600), name=st.sampled_from(["upload.xlsx", "upload.csv"]))
def test_any_bytes_are_read_or_refused(app, prefix, data, name):
    assert outcome(prefix + data, name) in ("read", "refused")


@FUZZ
@given(parts=st.dictionaries(st.sampled_from(PART_NAMES), st.one_of(st.binary(max_size=200), xml_text),
                             max_size=6))
def test_any_zip_of_workbook_parts_is_read_or_refused(app, parts):
    assert outcome(zip_bytes(parts)) in ("read", "refused")


KINDS = ["", ' t="n"', ' t="s"', ' t="b"', ' t="e"', ' t="str"', ' t="inlineStr"', ' t="d"', ' t="z"']
REFS = st.one_of(st.just(""), st.from_regex(r' r="[A-E][1-9]"', fullmatch=True),
                 st.from_regex(r' r="[A-Z]{1,4}[0-9]{0,8}"', fullmatch=True),
                 xml_text.map(lambda t: f" r={quoteattr(t)}"))
VALUES = st.one_of(st.integers().map(lambda n: f"<v>{n}</v>"), st.floats().map(lambda n: f"<v>{n!r}</v>"),
                   st.from_regex(r"<v>-?[0-9]{1,7}(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?</v>", fullmatch=True),
                   xml_text.map(lambda t: f"<v>{escape(t)}</v>"),
                   xml_text.map(lambda t: f"<is><t>{escape(t)}</t></is>"), st.just("<v/>"), st.just(""))
cell = st.builds(lambda kind, ref, style, value: f"<c{kind}{ref}{style}>{value}</c>", st.sampled_from(KINDS),
                 REFS, st.sampled_from(["", ' s="0"', ' s="1"', ' s="2"', ' s="-1"']), VALUES)
row = st.builds(lambda r, cells: f"<row{r}>{''.join(cells)}</row>",
                st.sampled_from(["", "", "", ' r="0"', ' r="3"', ' r="-2"', ' r="x"', ' r="2000000"']),
                st.lists(cell, max_size=5))


@FUZZ
@given(rows=st.lists(row, max_size=5), date1904=st.booleans())
def test_any_sheet_of_odd_cells_is_read_or_refused(app, rows, date1904):
    styles = '<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="22"/></cellXfs>'
    content = one_sheet("".join(rows), shared=["<si><t>a</t></si>"], styles=styles, date1904=date1904)
    assert outcome(content) in ("read", "refused")


def test_a_real_zip_error_mid_sheet_is_refused(app):
    content = bytearray(xlsx_bytes([UNIT_HEADERS, *[["U1", "大学" * 50]] * 2000]))
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    middle = sheet.header_offset + 30 + len(sheet.filename) + sheet.compress_size // 2
    content[middle:middle + 64] = bytes(64)
    assert outcome(bytes(content)) == "refused"
