"""Spreadsheet files → raw rows: the first sheet of an .xlsx, or a .csv in the
encodings Excel writes (UTF-8 with or without BOM; GB18030 on Chinese systems)."""
import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from services.errors import DomainError


def source_name(source: Any) -> str:
    """The file name of a path or an upload (werkzeug FileStorage), for its extension."""
    if isinstance(source, str | Path):
        return str(source)
    return getattr(source, "filename", None) or getattr(source, "name", "") or ""


def open_binary(source: Any):
    """A binary, seekable stream over a path or an upload."""
    if isinstance(source, str | Path):
        try:
            return open(source, "rb")
        except OSError as error:
            raise DomainError(_("Cannot open %(path)s: %(reason)s", path=str(source),
                                reason=error.strerror or str(error))) from error
    stream = getattr(source, "stream", source)
    stream.seek(0)
    return stream


def xlsx_rows(source: Any) -> Iterator[list[Any]]:
    """The raw rows of the first sheet of a workbook, one list per spreadsheet row."""
    from openpyxl import load_workbook

    unreadable = _("The file could not be read as an Excel workbook (.xlsx).")
    stream = open_binary(source)
    try:
        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except Exception as error:  # a damaged upload, whatever openpyxl trips on
            raise DomainError(unreadable) from error
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()
            for row in sheet.iter_rows(values_only=True):
                yield list(row)
        except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as error:
            raise DomainError(unreadable) from error
        finally:
            workbook.close()
    finally:
        if isinstance(source, str | Path):
            stream.close()


def decode_csv(data: bytes) -> str:
    """Text of a CSV file: UTF-8 with BOM, UTF-8, else GB18030 (Excel in China)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise DomainError(_("The CSV file is neither UTF-8 nor GB18030 text.")) from error


def csv_rows(source: Any) -> Iterator[list[Any]]:
    """The rows of a CSV file; tab-separated when the first line has tabs but no commas."""
    stream = open_binary(source)
    try:
        text = decode_csv(stream.read())
    finally:
        if isinstance(source, str | Path):
            stream.close()
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise DomainError(_("The CSV file could not be read: %(reason)s", reason=str(error))) from error


#: how a file's name ends → the reader for it
READERS = {".xlsx": xlsx_rows, ".csv": csv_rows}


def raw_rows(source: Any) -> Iterator[list[Any]]:
    """Raw rows of `source`, choosing the reader by the file's extension."""
    suffix = Path(source_name(source)).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise DomainError(_("Unsupported file type %(suffix)s: save the sheet as .xlsx or .csv "
                            "(files with macros, .xlsm, are refused).", suffix=suffix or "?"))
    return reader(source)
