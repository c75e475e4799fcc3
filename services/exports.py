"""Spreadsheets out: xlsx (and csv) that open cleanly in Excel and cannot run formulas.

Formula safety ("CSV injection", OWASP): a cell whose text starts with = + - @, a
tab or a carriage return would be read as a formula by a spreadsheet program.

- xlsx: such text is written as a *string* cell (openpyxl would otherwise store
  "=…" as a formula) carrying Excel's quotePrefix flag — exactly what Excel itself
  stores when a person types a leading apostrophe. The text stays intact (a file
  exported here imports back unchanged), Excel shows it as text, and it stays text
  when someone edits the cell.
- csv has no cell types, so there the OWASP advice applies: prepend an apostrophe.

Rows are streamed (openpyxl write-only mode), so a sheet of 100,000 rows does not
sit in memory; column widths are estimated from the header and the first rows.
openpyxl (with Pillow, about 9 MB) is imported by the first export, not by every worker.
"""
from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from collections.abc import Sequence
from itertools import chain
from itertools import islice
from typing import IO
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    from openpyxl import Workbook

#: the control characters an xlsx cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE)
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

#: the first characters that make a spreadsheet program treat text as a formula
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: rows looked at to size the columns
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH = 6
MAX_WIDTH = 60
#: characters Excel forbids in sheet titles
_BAD_TITLE_RE = re.compile(r"[\[\]:*?/\\]")

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def is_formula_like(value: Any) -> bool:
    """Whether a spreadsheet program could take `value` for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def clean_text(value: str) -> str:
    """Drop control characters that XML (and so xlsx) cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def display_width(value: Any) -> int:
    """Approximate column width: CJK characters take two columns."""
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """A width per column that fits the header and the sampled rows, within limits."""
    widths = [display_width(h) for h in headers]
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], display_width(value))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


def sheet_title(title: str, taken: set[str]) -> str:
    """A title Excel accepts: no []:*?/\\, at most 31 characters, unique in the book."""
    base = _BAD_TITLE_RE.sub("_", clean_text(title)).strip("'")[:31] or "Sheet"
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def safe_cell(sheet, value: Any) -> Any:
    """A write-only cell for `value` that can never become a formula."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        value = clean_text(value)
        if is_formula_like(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cell.quotePrefix = True
            return cell
    return value


def write_sheet(book: Workbook, title: str, headers: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> None:
    """Append one sheet: bold frozen header, sized columns, formula-safe cells."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    for index, width in enumerate(column_widths(headers, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        text = clean_text(str(header))
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        cell.quotePrefix = is_formula_like(text)  # headers may name roles or questions
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in chain(sample, rows):
        sheet.append([safe_cell(sheet, value) for value in row])


def write_xlsx(target: str | os.PathLike | IO[bytes], sheets: Sequence[Sheet]) -> None:
    """Write `sheets` — (title, headers, rows) each — to a path or binary stream."""
    if isinstance(target, str | os.PathLike):
        with open(target, "wb") as stream:  # an unwritable path fails before any work
            write_xlsx(stream, sheets)
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    taken: set[str] = set()
    for title, headers, rows in sheets:
        write_sheet(book, sheet_title(title, taken), headers, rows)
    if not sheets:
        book.create_sheet("Sheet")
    book.save(target)


def csv_value(value: Any) -> Any:
    """A csv field that no spreadsheet program will evaluate (OWASP: prefix "'")."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return "" if value is None else value


def write_csv(stream: IO[str], headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write UTF-8 csv with a BOM, so Excel in China opens Chinese text correctly."""
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow([csv_value(h) for h in headers])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
