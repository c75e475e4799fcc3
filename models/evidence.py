"""Uploaded evidence files (certificates of attendance, qualification scans).

The bytes live outside the web root under a random name; this row says whose they
are and what they were, so that only people in scope are ever served them.
"""
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from extensions import db
from models.base import utcnow
from models.org import Person

EVIDENCE_TYPES = ("application/pdf", "image/jpeg", "image/png")


class EvidenceFile(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: whose evidence it is: scope follows this person
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    #: random file name under UPLOAD_DIR, never derived from user input
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    #: the name the uploader's file had, for the download's Content-Disposition only
    original_name: Mapped[str] = mapped_column(String(255))
    #: sniffed from the content: application/pdf | image/jpeg | image/png
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
