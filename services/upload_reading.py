"""Reading an upload's bytes no further than its kind allows, and telling text from
binary by the bytes themselves (the name and the browser's claim prove nothing)."""
from typing import IO

from flask_babel import gettext as _

from services.errors import DomainError

#: what common binary files start with: zip (xlsx, docx), OLE2 (xls, doc), PDF, PNG, JPEG, GIF
BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """The stream's bytes, refusing it once more than `limit` have been read (never more)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(_("The file is larger than %(size)s: split it, or remove what is not "
                            "needed, and upload it again.", size=size_text(limit)))
    return data


def size_text(size: int) -> str:
    """A byte count as people read it: 16 MB, 256 KB."""
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} MB"
    return f"{size // 1024} KB"


def looks_binary(data: bytes) -> bool:
    """Whether bytes are not text: a known binary format, or NULs outside UTF-16."""
    return data.startswith(BINARY_MAGIC) or (b"\x00" in data and not data.startswith(UTF16_BOMS))
