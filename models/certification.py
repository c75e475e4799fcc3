"""Certification programs (content/certifications.yaml), the certificates they issue,
and the external qualifications a program may require (S9)."""
from datetime import date
from datetime import datetime

from sqlalchemy import JSON
from sqlalchemy import CheckConstraint
from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from extensions import db
from models.accounts import User
from models.base import utcnow
from models.evidence import EvidenceFile
from models.org import Person

CERTIFICATE_SOURCES = ("evaluated", "import")
QUALIFICATION_STATUSES = ("pending", "verified", "rejected")


class Program(db.Model):
    """What a role's holders must do to be certified, and for how long it lasts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    #: role codes whose holders count as certified by it
    roles: Mapped[list] = mapped_column(JSON, default=list)
    #: {"modules": [slug], "quizzes": [slug], "hours": float, "qualifications": [type]}
    requires: Mapped[dict] = mapped_column(JSON, default=dict)
    #: the same shape, for renewing; None = renew by meeting `requires` again
    renewal: Mapped[dict | None] = mapped_column(JSON)
    hours_window_months: Mapped[int] = mapped_column(default=12)
    valid_months: Mapped[int]
    renew_window_days: Mapped[int] = mapped_column(default=60)
    #: the issuing body printed on certificates; empty = the ISSUER setting
    issuer: Mapped[str] = mapped_column(String(200), default="")
    #: the file as written, for `content export` round trips
    source: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (CheckConstraint("valid_months > 0", name="valid_months"),)


class Certificate(db.Model):
    """One period of certification; renewals are new rows, nothing is ever deleted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the unguessable verification code printed on it and behind its QR code
    code: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id"), index=True)
    #: valid when issued <= today < expires and not revoked
    issued: Mapped[date] = mapped_column(Date)
    expires: Mapped[date] = mapped_column(Date, index=True)
    #: evaluated | import
    source: Mapped[str] = mapped_column(String(16), default="evaluated")
    #: the certificate this one renews
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
    program: Mapped[Program] = relationship(lazy="joined")
    revoked_by: Mapped[User | None] = relationship()

    __table_args__ = (
        # one certificate per person, program and period start: two evaluations racing
        # each other cannot both issue
        UniqueConstraint("person_id", "program_id", "issued"),
        CheckConstraint("expires > issued", name="period"),
        Index("ix_certificate_person_program_expires", "person_id", "program_id", "expires"),
    )


class Qualification(db.Model):
    """An external professional qualification a person holds (S9), verified by an admin."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    #: a code from content/qualification_types.yaml, e.g. psych_counselor
    type: Mapped[str] = mapped_column(String(64))
    issuer: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_file.id"))
    #: pending | verified | rejected
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None]
    review_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
    evidence: Mapped[EvidenceFile | None] = relationship()

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'verified', 'rejected')", name="status"),
    )


class QualificationType(db.Model):
    """The catalogue of external qualifications (content/qualification_types.yaml)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
