"""Reading a table from an Excel workbook or a CSV file, as admins save them.

Every import (roster, certificates, answer sheets, hours) reads its file through
`read_table`: the first sheet of an `.xlsx`, or a `.csv` in UTF-8 (with or without
a BOM) or GB18030, the encoding Excel uses when saving CSV on a Chinese system.
Headers are matched to fields through aliases (English and Chinese), ignoring case,
surrounding spaces and full-width forms. Rows come back numbered as the spreadsheet
shows them (the header is row 1) with values normalised: text stripped, Excel's
31000.0 turned into "31000", dates as `date` objects.
"""
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from typing import Any

from flask_babel import gettext as _

from services.errors import ValidationFailed
from services.tabular_files import raw_rows

#: how many rows may sit above the header (titles, notes)
HEADER_SEARCH = 10


@dataclass(frozen=True)
class Column:
    """One logical field and the header texts that name it; the first alias is the
    English name, the second (if any) the Chinese one used in messages."""

    field: str
    aliases: tuple[str, ...]
    required: bool = True

    def label(self, chinese: bool) -> str:
        return self.aliases[1] if chinese and len(self.aliases) > 1 else self.aliases[0]


@dataclass
class Table:
    """A table's header row and its data rows, read lazily."""

    #: field → the header text exactly as written in the file
    headers: dict[str, str]
    rows: Iterator[tuple[int, dict[str, Any]]]
    #: header texts that matched no column (ignored)
    ignored: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        """The header of field `name` as the file writes it (its English name if absent)."""
        return self.headers.get(name, name)


def problem(row: int, column: str, message: str) -> str:
    """One problem in the fixed form `row N, column C: message` (SPEC §3; not translated)."""
    return f"row {row}, column {column}: {message}"


def normalise_header(text: Any) -> str:
    """Header text compared without case, spaces or full-width forms (ＮＡＭＥ, ／)."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).casefold()


def normalise_cell(value: Any) -> Any:
    """A cell as the importers want it: stripped text, whole numbers as text, dates as dates."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date() if value.time() == time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, time):
        return value.isoformat()
    return str(value).strip()


def match_headers(number: int, row: list[Any], columns: list[Column]) -> tuple[dict[str, int], dict[str, str],
                                                                  list[str], list[str]]:
    """Map fields to positions in the header row; return positions, texts, ignored, problems."""
    by_alias = {normalise_header(a): c for c in columns for a in c.aliases}
    positions: dict[str, int] = {}
    texts: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[str] = []
    for index, cell in enumerate(row):
        text = str(normalise_cell(cell))
        if not text:
            continue
        column = by_alias.get(normalise_header(text))
        if column is None:
            ignored.append(text)
        elif column.field in positions:
            problems.append(problem(number, text, _("duplicate column")))
        else:
            positions[column.field] = index
            texts[column.field] = text
    chinese = any(not t.isascii() for t in texts.values())
    for column in columns:
        if column.required and column.field not in positions:
            problems.append(problem(number, column.label(chinese), _("missing column")))
    return positions, texts, ignored, problems


def read_table(source: Any, columns: list[Column]) -> Table:
    """Open `source` (a path or an upload) and match its header row to `columns`.

    The header is the first row naming at least one column, within the first
    HEADER_SEARCH rows (so a title row above it is skipped), else the first non-empty
    row. A missing required column or a repeated one raises ValidationFailed before
    any data row is read; an unreadable file or an unsupported type raises DomainError.
    """
    rows = raw_rows(source)
    number, header = find_header(rows, columns)
    if header is None:
        raise ValidationFailed(["row 1: " + _("the file has no header row")])
    positions, texts, ignored, problems = match_headers(number, header, columns)
    if not positions and not problems:
        problems = [f"row {number}: " + _("no column of this file is one this import reads")]
    if problems:
        rows.close()
        raise ValidationFailed(problems)
    return Table(headers=texts, rows=data_rows(rows, positions, columns, number), ignored=ignored)


def find_header(rows: Iterator[list[Any]], columns: list[Column]) -> tuple[int, list[Any] | None]:
    """(row number, cells) of the header row; consumes the rows up to it."""
    aliases = {normalise_header(a) for c in columns for a in c.aliases}
    first: tuple[int, list[Any] | None] = (0, None)
    for number, row in enumerate(rows, start=1):
        texts = [normalise_cell(cell) for cell in row]
        if any(isinstance(t, str) and normalise_header(t) in aliases for t in texts):
            return number, row
        if first[1] is None and any(t != "" for t in texts):
            first = (number, row)
        if number >= HEADER_SEARCH:
            break
    return first


def data_rows(rows: Iterator[list[Any]], positions: dict[str, int], columns: list[Column],
              header_number: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """(spreadsheet row number, field → value) for every non-empty row after the header."""
    fields = [c.field for c in columns]
    for number, row in enumerate(rows, start=header_number + 1):
        values = {}
        for name in fields:
            index = positions.get(name)
            values[name] = normalise_cell(row[index]) if index is not None and index < len(row) else ""
        if any(values.values()):
            yield number, values


def parse_date(value: Any) -> date:
    """A date from a cell: an Excel date, 2026-09-01, 2026/9/1, 2026.9.1 or 2026年9月1日.

    Raises ValueError for anything else.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if len(text) == 10 and text[4] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    for mark in ("年", "月", "/", "."):
        text = text.replace(mark, "-")
    text = text.rstrip("日").split(" ")[0].split("T")[0]
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError(value)
    return date(int(parts[0]), int(parts[1]), int(parts[2]))


def parse_count(value: Any) -> int:
    """A whole number ≥ 0 from a cell ("31000", "1,200"); ValueError otherwise."""
    text = str(value).strip().replace(",", "")
    if not text.isdigit():
        raise ValueError(value)
    return int(text)
