"""The four-level network: units, roles, people and who holds which role where."""
from datetime import date
from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from extensions import db
from models.base import utcnow

UNIT_KINDS = ("province", "university", "college", "class", "dorm", "building")
#: The kind of parent each kind of unit must have (None: a root). A university may also
#: sit under a province (OPTIONAL_PARENT), the education department's own unit.
PARENT_KIND = {
    "province": None,
    "university": None,
    "college": "university",
    "class": "college",
    "dorm": "class",
    "building": "university",
}
OPTIONAL_PARENT = {"university": "province"}
ROLE_KINDS = ("student", "staff")


class Role(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    #: student | staff
    kind: Mapped[str] = mapped_column(String(16))
    #: hours of training a holder needs per 12 months when no certification program
    #: covering the role sets `hours` (roles.yaml `annual_hours`)
    annual_hours: Mapped[float | None]

    __table_args__ = (CheckConstraint("kind IN ('student', 'staff')", name="kind"),)

    def label(self, locale: str) -> str:
        return self.name_en if locale.startswith("en") and self.name_en else self.name


class StaffingRule(db.Model):
    """How many holders of a role a unit of a kind requires (content/staffing.yaml)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_kind: Mapped[str] = mapped_column(String(16))
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id"))
    min: Mapped[int] = mapped_column(default=1)
    #: required = max(min, ceil(students / per_students)) when set
    per_students: Mapped[int | None]

    role: Mapped[Role] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("unit_kind", "role_id"),)

    def required_for(self, students: int | None) -> int:
        if not self.per_students:
            return self.min
        return max(self.min, -(-(students or 0) // self.per_students))


class Unit(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: university | college | class | dorm | building
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    #: students counted at this unit; None means "sum of the children"
    students: Mapped[int | None]
    #: Ancestor ids, the unit's own id at its own level, so a subtree is one filter.
    province_id: Mapped[int | None] = mapped_column(index=True)
    university_id: Mapped[int | None] = mapped_column(index=True)
    college_id: Mapped[int | None] = mapped_column(index=True)
    class_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id])

    __table_args__ = (
        CheckConstraint(
            "kind IN ('province', 'university', 'college', 'class', 'dorm', 'building')",
            name="kind"
        ),
        CheckConstraint("students IS NULL OR students >= 0", name="students"),
        Index("ix_unit_name", "name"),
    )


class Person(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: staff or student number (工号/学号)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignments: Mapped[list["Assignment"]] = relationship(
        back_populates="person", order_by="Assignment.start"
    )


class Assignment(db.Model):
    """A person holding a role at a unit from start to end (None: still holds it)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="assignments")
    role: Mapped[Role] = relationship()
    unit: Mapped[Unit] = relationship()

    __table_args__ = (
        CheckConstraint('"end" IS NULL OR "end" >= start', name="dates"),
        Index("ix_assignment_unit_role", "unit_id", "role_id"),
        # One open assignment per person, role and unit, even under simultaneous requests.
        Index("uq_assignment_open", "person_id", "role_id", "unit_id", unique=True,
              sqlite_where=text('"end" IS NULL'), postgresql_where=text('"end" IS NULL')),
    )

    def is_active(self, on: date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)
