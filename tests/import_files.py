"""Roster files as admins make them: Excel workbooks and CSV in the encodings Excel uses."""
import csv
import io
from pathlib import Path

from openpyxl import Workbook

UNIT_HEADERS = ["code", "name", "kind", "parent", "students"]
UNIT_HEADERS_ZH = ["单位编码", "单位名称", "类型", "上级编码", "学生人数"]
PEOPLE_HEADERS = ["number", "name", "role", "unit", "email", "phone", "start", "end"]
PEOPLE_HEADERS_ZH = ["工号/学号", "姓名", "角色", "单位编码", "邮箱", "手机", "开始日期", "结束日期"]

#: a small university whose children come before their parents
UNITS = [
    ["D1", "1号寝室", "dorm", "K1", ""],
    ["D2", "2号寝室", "dorm", "K1", 6],
    ["K1", "心理1班", "class", "C1", 30],
    ["K2", "心理2班", "class", "C1", ""],
    ["C1", "教育学院", "college", "U1", ""],
    ["C2", "理学院", "college", "U1", ""],
    ["B1", "1号楼", "building", "U1", ""],
    ["U1", "示范大学", "university", "", 31000],
]


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    """A CSV file's bytes; encoding "utf-8-sig" adds the BOM Excel writes."""
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    """An Excel workbook whose first sheet holds `rows` (numbers and dates as cells)."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([None if cell == "" else cell for cell in row])
    workbook.create_sheet("Notes").append(["ignored: only the first sheet is read"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_file(directory: Path, name: str, rows: list[list], encoding: str = "utf-8") -> Path:
    """Write `rows` to directory/name as .xlsx or .csv, by the name's extension."""
    path = directory / name
    path.write_bytes(xlsx_bytes(rows) if name.endswith((".xlsx", ".xlsm")) else csv_bytes(rows, encoding))
    return path
