"""The hour ledger: every hour of training a person has earned, from any source."""
from datetime import date
from datetime import datetime

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
from models.base import utcnow
from models.org import Person

HOUR_SOURCES = ("module", "manual", "session", "import")
HOUR_STATUSES = ("pending", "approved", "rejected")


class HourEntry(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    date: Mapped[date] = mapped_column(Date)
    hours: Mapped[float]
    #: what kind of training: module, workshop, case_seminar, supervision, …
    activity: Mapped[str] = mapped_column(String(32))
    #: module | manual | session | import
    source: Mapped[str] = mapped_column(String(16))
    #: what earned it, e.g. "silent-dorm@2" for a module version; unique per person and source
    source_ref: Mapped[str | None] = mapped_column(String(200))
    #: pending | approved | rejected
    status: Mapped[str] = mapped_column(String(16), default="pending")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()

    __table_args__ = (
        UniqueConstraint("person_id", "source", "source_ref"),
        CheckConstraint("hours > 0", name="hours"),
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        Index("ix_hour_entry_person_date", "person_id", "date"),
    )
