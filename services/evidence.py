"""Evidence uploads: capped while reading, typed by their first bytes, stored under a
random name outside the web root, and handed out only through `open_evidence`.

The caller checks scope (who may see the person) before serving; this module only
knows files.
"""
import hashlib
import os
import secrets
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from extensions import db
from models import EvidenceFile
from models import Person
from models import User
from services.errors import ValidationFailed

CHUNK = 64 * 1024
#: what each accepted type starts with (the name and the browser's claim are ignored)
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def sniff(head: bytes) -> str | None:
    """The content type the first bytes prove, or None."""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    return None


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_evidence(stream: BinaryIO, filename: str, person: Person,
                   by: User | None = None) -> EvidenceFile:
    """Save an uploaded file for `person`, refusing anything over the limit or not a
    PDF, JPEG or PNG by content. Raises ValidationFailed with one readable problem."""
    limit = current_app.config["MAX_EVIDENCE_BYTES"]
    head = stream.read(16)
    kind = sniff(head)
    if kind is None:
        raise ValidationFailed([_("The evidence must be a PDF, JPG or PNG file.")])
    name = secrets.token_hex(16)
    path = upload_dir() / name
    digest = hashlib.sha256(head)
    size = len(head)
    try:
        with open(path, "xb") as out:
            out.write(head)
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:  # stop reading: never take more than the limit in
                    raise ValidationFailed([_("The evidence file is larger than %(mb)d MB.",
                                              mb=limit // (1024 * 1024))])
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    evidence = EvidenceFile(person_id=person.id, stored_name=name,
                            original_name=printable_name(filename),
                            content_type=kind, size=size, sha256=digest.hexdigest(),
                            uploaded_by_id=by.id if by else None)
    db.session.add(evidence)
    db.session.flush()
    return evidence


def printable_name(filename: str | None) -> str:
    """The upload's own name without folders or control characters (a NUL, which PostgreSQL
    cannot store, came through as a 500), at most 255 characters."""
    name = "".join(ch for ch in os.path.basename(filename or "") if ch.isprintable())
    return name.strip()[:255] or "evidence"


def evidence_path(evidence: EvidenceFile) -> Path:
    """Where the bytes are; the stored name is ours (hex), never the uploader's."""
    return upload_dir() / evidence.stored_name


def download_name(evidence: EvidenceFile) -> str:
    """A safe name for the download: the original stem with the sniffed extension."""
    stem = Path(evidence.original_name).stem or "evidence"
    return stem + EXTENSIONS[evidence.content_type]
