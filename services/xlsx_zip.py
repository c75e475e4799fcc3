"""Opening an uploaded .xlsx as a zip, refusing anything but a plain workbook.

The checks come before any part is unpacked: the file's first bytes (a zip, not an
old .xls or a password-protected workbook, both OLE2 containers), the number of parts
the zip's directory claims (read from its last record, before zipfile indexes them),
the sizes the parts claim and how much each inflates, and macros (a vbaProject.bin
part, as in .xlsm, or any part [Content_Types].xml calls macro-enabled). Claimed sizes
can be trusted: zipfile never inflates a part past its claimed size, and a part that
lies fails its CRC check.
"""
import struct
import zipfile
from collections.abc import Iterator
from typing import IO
from typing import Any

from defusedxml.ElementTree import iterparse
from flask_babel import gettext as _

from services import upload_limits as limits
from services.errors import DomainError

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END_OF_DIRECTORY = b"PK\x05\x06"
#: the part every workbook has, and the one we start from
WORKBOOK = "xl/workbook.xml"
#: the part that names each part's content type
CONTENT_TYPES = "[Content_Types].xml"
#: content types (lower-cased fragments) of macro-bearing parts: .xlsm's workbook, VBA, XLM sheets
MACRO_TYPES = ("macroenabled", "vbaproject", "macrosheet", "ms-excel.intlmacrosheet")


def unreadable() -> DomainError:
    """The error for bytes that are not a workbook (damaged, or another kind of file)."""
    return DomainError(_("The file could not be read as an Excel workbook (.xlsx)."))


def open_workbook_zip(stream: IO[bytes]) -> zipfile.ZipFile:
    """The workbook's zip, once its first bytes, size, parts and macros pass the checks."""
    stream.seek(0)
    magic = stream.read(len(OLE2_MAGIC))
    if magic == OLE2_MAGIC:
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx): it is an old "
                            ".xls file or is protected by a password. Save it from Excel as .xlsx "
                            "without a password."))
    if not magic.startswith(ZIP_MAGIC):
        raise unreadable()
    count = claimed_members(stream)
    if count is None:
        raise unreadable()
    if count > limits.MAX_MEMBERS:
        raise too_many_members()
    archive = zipfile.ZipFile(stream)
    try:
        check_members(archive.infolist())
        check_content_types(archive)
    except BaseException:
        archive.close()
        raise
    return archive


def claimed_members(stream: IO[bytes]) -> int | None:
    """How many parts the end-of-directory record claims (None without one); 65,535 means
    more (zip64)."""
    stream.seek(0, 2)
    size = stream.tell()
    start = max(0, size - 22 - 65_535)
    stream.seek(start)
    tail = stream.read(size - start)
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or len(tail) - at < 22:
        return None
    return struct.unpack_from("<H", tail, at + 10)[0]


def check_members(members: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb (too many parts, too large, too compressible), macros, or no workbook."""
    if len(members) > limits.MAX_MEMBERS:
        raise too_many_members()
    if sum(m.file_size for m in members) > limits.MAX_UNPACKED:
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx): it unpacks to "
                            "more than %(size)d MB.", size=limits.MAX_UNPACKED // (1024 * 1024)))
    for member in members:
        if (member.file_size > limits.RATIO_FLOOR
                and member.file_size > limits.MAX_RATIO * max(member.compress_size, 1)):
            raise DomainError(_("The file could not be read as an Excel workbook (.xlsx): a part of it "
                                "inflates more than %(ratio)d times, as zip bombs do.",
                                ratio=limits.MAX_RATIO))
    names = {m.filename for m in members}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise macros_refused()
    if WORKBOOK not in names:
        raise unreadable()


def check_content_types(archive: zipfile.ZipFile) -> None:
    """Refuse macros however their part is named: [Content_Types].xml says what each part is
    (a macro-enabled workbook, a VBA project, an Excel 4 macro sheet)."""
    if CONTENT_TYPES not in archive.NameToInfo:
        return
    for _event, element in xml_events(archive, CONTENT_TYPES, limit=limits.MAX_SMALL_PART):
        kind = (element.get("ContentType") or "").lower()
        if any(word in kind for word in MACRO_TYPES):
            raise macros_refused()


def macros_refused() -> DomainError:
    """The error for a workbook that carries macros, whatever its name."""
    return DomainError(_("Macro-enabled workbooks (.xlsm) are not accepted: save the sheet as .xlsx "
                         "or .csv, without macros."))


def too_many_members() -> DomainError:
    """The error for a zip of more parts than any spreadsheet needs."""
    return DomainError(_("The file could not be read as an Excel workbook (.xlsx): it holds more than "
                         "%(count)d parts.", count=limits.MAX_MEMBERS))


def open_part(archive: zipfile.ZipFile, name: str, limit: int | None = None) -> IO[bytes]:
    """A part's unpacked bytes as a stream; a missing part, or one larger than `limit`, is unreadable."""
    try:
        member = archive.getinfo(name)
    except KeyError:
        raise unreadable() from None
    if limit is not None and member.file_size > limit:
        raise unreadable()
    return archive.open(member)


def xml_events(archive: zipfile.ZipFile, name: str, events: tuple[str, ...] = ("end",),
               limit: int | None = None) -> Iterator[tuple[str, Any]]:
    """(event, element) pairs of a part's XML; DTDs, entities and external references are refused."""
    with open_part(archive, name, limit) as part:
        yield from iterparse(part, events=events, forbid_dtd=True)
