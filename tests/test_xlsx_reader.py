"""Reading workbooks as Excel, WPS and openpyxl write them: the values an import sees."""
import io
from datetime import date
from datetime import datetime
from datetime import time

import pytest
from openpyxl import Workbook
from openpyxl import load_workbook

from services.tabular import normalise_cell
from services.tabular_files import raw_rows
from services.xlsx_dates import is_date_code
from tests.xlsx_parts import one_sheet
from tests.xlsx_parts import workbook_parts
from tests.xlsx_parts import zip_bytes


def rows_of(tmp_path, content: bytes, name: str = "book.xlsx") -> list[list]:
    path = tmp_path / name
    path.write_bytes(content)
    return list(raw_rows(path))


def trimmed(row) -> list:
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return row


def openpyxl_book() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["number", "name", "students", "ratio", "joined"])
    sheet.append(["S1", "  张三 ", 31000, 31000.0, date(2026, 9, 1)])
    sheet.append([20230001.0, None, 2.5, True, datetime(2026, 9, 1, 8, 30)])
    sheet["B6"] = "after two empty rows"
    sheet["E6"] = "with a gap before it"
    formats = {"A8": "yyyy-mm-dd", "B8": 'yyyy"年"m"月"d"日"', "C8": "mm-dd-yy", "D8": "d-mmm-yy",
               "E8": "[$-804]yyyy/m/d", "F8": "yyyy/m/d h:mm", "G8": "h:mm",
               "A9": "0.00", "B9": '0 "days"', "C9": "[Red]#,##0", "D9": "@"}
    for ref, number_format in formats.items():
        sheet[ref] = 0.5 if number_format == "h:mm" else 46266.25 if "h" in number_format else 46266
        sheet[ref].number_format = number_format
    book.create_sheet("Notes").append(["only the first sheet is read"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_from_openpyxl_reads_as_openpyxl_reads_it(app, tmp_path):
    content = openpyxl_book()
    rows = rows_of(tmp_path, content)
    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    assert [trimmed(r) for r in rows] == [trimmed(r) for r in sheet.iter_rows(values_only=True)]
    assert [normalise_cell(v) for v in rows[1]] == ["S1", "张三", "31000", "31000", date(2026, 9, 1)]
    assert [normalise_cell(v) for v in rows[2]] == ["20230001", "", "2.5", "TRUE",
                                                    datetime(2026, 9, 1, 8, 30)]
    assert rows[3:5] == [[], []]
    assert rows[5] == [None, "after two empty rows", None, None, "with a gap before it"]
    assert rows[7] == [datetime(2026, 9, 1)] * 5 + [datetime(2026, 9, 1, 6), time(12)]
    assert rows[8] == [46266] * 4


def test_shared_strings_rich_text_and_every_cell_type(app, tmp_path):
    shared = ["<si><t>number</t></si>", '<si><t xml:space="preserve"> S1 </t></si>',
              "<si><r><t>张</t></r><r><rPr><b/></rPr><t>三</t></r>"
              '<rPh sb="0" eb="1"><t>zhang</t></rPh></si>']
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>name</t></is></c></row>'
            '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="C3" t="s"><v>2</v></c><c r="D3" t="b"><v>1</v></c>'
            '<c r="E3" t="e"><v>#N/A</v></c><c r="F3" t="str"><v>from a formula</v></c>'
            '<c t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c><c r="I3" t="d">'
            '<v>2026-09-01T08:30:00</v></c><c r="J3"><f>1+1</f></c><c r="K3" t="n"><v>1.5E3</v></c></row>'
            '<row><c r="B4" t="inlineStr"/></row>')
    assert rows_of(tmp_path, one_sheet(rows, shared=shared)) == [
        ["number", None, "name"], [],
        [" S1 ", None, "张三", True, "#N/A", "from a formula", "ab", None, datetime(2026, 9, 1, 8, 30),
         None, 1500.0],
        [None, None]]


def test_the_first_sheet_is_the_first_tab_whatever_its_part_is_called(app, tmp_path):
    def text(value: str) -> str:
        return f'<row r="1"><c r="A1" t="inlineStr"><is><t>{value}</t></is></c></row>'

    content = zip_bytes(workbook_parts([("Roster", "xl/worksheets/sheet3.xml", text("roster")),
                                        ("Notes", "xl/worksheets/sheet1.xml", text("notes"))]))
    assert rows_of(tmp_path, content) == [["roster"]]


STYLES = ('<numFmts count="2">'
          '<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
          '<numFmt numFmtId="165" formatCode="0.0 &quot;d&quot;"/></numFmts>'
          '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4">'
          '<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>')


@pytest.mark.parametrize("date1904, serial", [(False, 46266), (True, 44804)])
def test_dates_count_from_the_workbooks_own_epoch(app, tmp_path, date1904, serial):
    rows = (f'<row r="1"><c r="A1" s="1"><v>{serial}</v></c><c r="B1" s="2"><v>{serial}.5</v></c>'
            f'<c r="C1" s="3"><v>{serial}</v></c><c r="D1" s="0"><v>{serial}</v></c>'
            f'<c r="E1" s="1"><v>-1</v></c><c r="F1" s="9"><v>{serial}</v></c></row>')
    assert rows_of(tmp_path, one_sheet(rows, styles=STYLES, date1904=date1904)) == [
        [datetime(2026, 9, 1), datetime(2026, 9, 1, 12), serial, serial, -1, serial]]


def test_early_1900_dates_skip_excels_29_february(app, tmp_path):
    rows = '<row><c s="1"><v>1</v></c><c s="1"><v>59</v></c><c s="1"><v>61</v></c></row>'
    assert rows_of(tmp_path, one_sheet(rows, styles=STYLES)) == [
        [datetime(1900, 1, 1), datetime(1900, 2, 28), datetime(1900, 3, 1)]]


@pytest.mark.parametrize("code, is_date", [
    ("yyyy-mm-dd", True), ("[$-804]yyyy/m/d", True), ("h:mm:ss", True), ('yyyy"年"m"月"', True),
    ("0.00", False), ('0 "days"', False), ("[Red]#,##0", False), ("#,##0_);[Red](#,##0)", False),
    ("General", False), ("@", False), ("0\\d", False),
])
def test_which_custom_number_formats_are_dates(code, is_date):
    assert is_date_code(code) is is_date

