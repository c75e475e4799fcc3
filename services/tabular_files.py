"""Spreadsheet files → raw rows: the first sheet of an .xlsx, or a .csv in the
encodings Excel writes (UTF-8 with or without BOM; GB18030 on Chinese systems; UTF-16
with a BOM, Excel's "Unicode text"). A file must be what its name says: a workbook
named .csv, or an .xlsx that is not a plain workbook, is refused with a message the
user can act on, never a server error."""
import csv
import io
import lzma
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from services import upload_limits as limits
from services.errors import DomainError
from services.upload_reading import looks_binary
from services.upload_reading import read_at_most
from services.xlsx_reader import xlsx_rows as workbook_rows
from services.xlsx_zip import OLE2_MAGIC
from services.xlsx_zip import ZIP_MAGIC
from services.xlsx_zip import unreadable

#: what a damaged workbook raises from zipfile, the decompressors, the XML parser or the reader
#: (defusedxml's refusals are ValueErrors, expat's ParseError a SyntaxError)
DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError, OSError,
           RuntimeError, ValueError, LookupError, OverflowError, SyntaxError)


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
    stream = open_binary(source)
    try:
        yield from workbook_rows(stream)
    except DAMAGED as error:
        raise unreadable() from error
    finally:
        if isinstance(source, str | Path):
            stream.close()


def csv_text(data: bytes) -> str:
    """The text of a CSV file, refusing a workbook or any binary file merely named .csv."""
    if data.startswith(ZIP_MAGIC):
        raise DomainError(_("The file is named .csv but is an Excel workbook: name it .xlsx, or save "
                            "it as CSV, and upload it again."))
    if data.startswith(OLE2_MAGIC):
        raise DomainError(_("The file is named .csv but is an old Excel file (.xls): save it as .xlsx "
                            "or .csv and upload it again."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise DomainError(_("The CSV file starts as UTF-16 text but is not.")) from error
        if "\x00" in text:  # a NUL character: no spreadsheet writes one, PostgreSQL cannot store it
            raise not_text()
        return text
    if looks_binary(data):  # a PDF, a picture, anything with NULs
        raise not_text()
    return decode_csv(data)


def not_text() -> DomainError:
    """The error for a binary file named .csv."""
    return DomainError(_("The file is named .csv but is not text: save the sheet as .csv or .xlsx "
                         "and upload it again."))


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
        text = csv_text(read_at_most(stream, limits.MAX_CSV_FILE))
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
    if suffix == ".xlsm":
        raise DomainError(_("Unsupported file type .xlsm: macro-enabled workbooks are not accepted; "
                            "save the sheet as .xlsx or .csv, without macros."))
    reader = READERS.get(suffix)
    if reader is None:
        raise DomainError(_("Unsupported file type %(suffix)s: save the sheet as .xlsx or .csv "
                            "(files with macros, .xlsm, are refused).", suffix=suffix or "?"))
    return reader(source)
