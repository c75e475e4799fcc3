"""The hour ledger, in-person training sessions with their attendance, and the
mental-health course delivered to classes (S10)."""
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
from models.org import Unit

HOUR_SOURCES = ("module", "manual", "session", "import")
HOUR_STATUSES = ("pending", "approved", "rejected")
ATTENDANCE_METHODS = ("qr", "list", "import")


class HourEntry(db.Model):
    """One line of a person's training record; totals are always sums over these rows."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    date: Mapped[date] = mapped_column(Date)
    hours: Mapped[float]
    #: what kind of training: module, workshop, case_seminar, supervision, …
    activity: Mapped[str] = mapped_column(String(32))
    #: module | manual | session | import
    source: Mapped[str] = mapped_column(String(16))
    #: what earned it, e.g. "silent-dorm@2" for a module version, "session:12";
    #: unique per person and source (NULL for manual entries, which may repeat)
    source_ref: Mapped[str | None] = mapped_column(String(200))
    #: pending | approved | rejected
    status: Mapped[str] = mapped_column(String(16), default="pending")
    description: Mapped[str] = mapped_column(Text, default="")
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_file.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None]
    #: why it was rejected (shown to the learner)
    review_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
    evidence: Mapped[EvidenceFile | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    __table_args__ = (
        UniqueConstraint("person_id", "source", "source_ref"),
        CheckConstraint("hours > 0", name="hours"),
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        Index("ix_hour_entry_person_date", "person_id", "date"),
        Index("ix_hour_entry_status_date", "status", "date"),
    )


class TrainingSession(db.Model):
    """An in-person workshop or seminar: people register, attend, and earn its hours."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the unit that runs it: its subtree's trainers and admins manage it, its people may register
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    #: naive UTC, like every stored time
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    hours: Mapped[float]
    #: the ledger activity its hours are filed under (workshop, case_seminar, …)
    activity: Mapped[str] = mapped_column(String(32), default="workshop")
    #: role codes it is meant for; empty = anyone in the unit's subtree
    roles: Mapped[list] = mapped_column(JSON, default=list)
    #: how many may register; None = no limit
    capacity: Mapped[int | None]
    #: random secret the rotating QR check-in codes are derived from
    checkin_secret: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship()

    __table_args__ = (
        CheckConstraint("hours > 0", name="hours"),
        CheckConstraint("ends_at > starts_at", name="window"),
    )


class Attendance(db.Model):
    """A person's registration for and presence at a session: one row per pair, so a
    second check-in finds the first and never doubles the hours."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    registered_at: Mapped[datetime | None]
    #: when marked present; None = registered only (or unmarked again)
    present_at: Mapped[datetime | None]
    #: qr | list | import
    method: Mapped[str | None] = mapped_column(String(16))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    session: Mapped[TrainingSession] = relationship()
    person: Mapped[Person] = relationship()

    __table_args__ = (UniqueConstraint("session_id", "person_id"),)


class CourseDelivery(db.Model):
    """Hours of the students' mental-health course taught to one class (S10: 32–36 a year)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: a unit of kind class
    class_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    date: Mapped[date] = mapped_column(Date)
    hours: Mapped[float]
    topic: Mapped[str] = mapped_column(String(200))
    #: who taught it, when they are in the roster
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    class_unit: Mapped[Unit] = relationship(foreign_keys=[class_id])
    teacher: Mapped[Person | None] = relationship()

    __table_args__ = (
        CheckConstraint("hours > 0", name="hours"),
        Index("ix_course_delivery_class_date", "class_id", "date"),
    )
