"""A person's record of learning (SPEC §7 transcript): completed modules, submitted quiz
attempts, certificates and hours — one query for each, whatever the history's length.

Certificate status is one of SPEC's three values, valid | expired | revoked, on `as_of`. A
renewal that starts later (certification's "upcoming") is listed as "valid" with its
future `issued` date: the person is certified without a gap, and the dates say when the
new period begins. `as_of` changes only the statuses; every record is listed.
Hours: `total` is the sum of approved entries; `entries` lists every entry (pending and
rejected too, with their status), oldest first.
"""
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime

from sqlalchemy import select

from extensions import db
from models import Attempt
from models import HourEntry
from models import Module
from models import ModuleVersion
from models import Person
from models import Progress
from models import Quiz
from models import User
from services import scope
from services.academic_year import academic_year
from services.certification import certificate_status
from services.certification import person_certificates


@dataclass
class YearHours:
    """One academic year's hours on the transcript page."""

    year: int
    approved: float = 0.0
    pending: float = 0.0


@dataclass
class Transcript:
    """The records behind both the JSON and the page (which also shows titles)."""

    person: Person
    as_of: date
    modules: list = field(default_factory=list)
    attempts: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    entries: list = field(default_factory=list)

    @property
    def total_hours(self) -> float:
        return sum(e.hours for e in self.entries if e.status == "approved")

    def hours_by_year(self) -> list[YearHours]:
        """Approved and pending hours per academic year, newest first."""
        years: dict[int, YearHours] = {}
        for entry in self.entries:
            key = academic_year(entry.date)
            row = years.setdefault(key, YearHours(key))
            if entry.status == "approved":
                row.approved += entry.hours
            elif entry.status == "pending":
                row.pending += entry.hours
        return sorted(years.values(), key=lambda y: y.year, reverse=True)


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601; stored times are naive UTC, so they carry a Z."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    return value.isoformat()


def public_status(certificate, as_of: date) -> str:
    """valid | expired | revoked (an upcoming renewal counts as valid, see above)."""
    status = certificate_status(certificate, as_of)
    return "valid" if status == "upcoming" else status


def collect(person: Person, as_of: date | None = None) -> Transcript:
    """Load everything the transcript shows, in four queries."""
    record = Transcript(person, as_of or date.today())
    record.modules = list(db.session.execute(
        select(Module.slug, ModuleVersion.version, ModuleVersion.title, Progress.completed_at,
               Progress.score)
        .join(ModuleVersion, ModuleVersion.id == Progress.module_version_id)
        .join(Module, Module.id == ModuleVersion.module_id)
        .where(Progress.person_id == person.id, Progress.completed_at.is_not(None))
        .order_by(Progress.completed_at, Progress.id)))
    record.attempts = list(db.session.execute(
        select(Quiz.slug, Quiz.title, Attempt.submitted_at, Attempt.score, Attempt.passed)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.person_id == person.id, Attempt.submitted_at.is_not(None))
        .order_by(Attempt.submitted_at, Attempt.id)))
    record.certificates = sorted(person_certificates(person), key=lambda c: (c.issued, c.id))
    record.entries = list(db.session.scalars(
        select(HourEntry).where(HourEntry.person_id == person.id)
        .order_by(HourEntry.date, HourEntry.id)))
    return record


def as_json(record: Transcript) -> dict:
    """The SPEC §7 shape of a collected transcript."""
    return {
        "person": {"number": record.person.number, "name": record.person.name},
        "modules": [{"slug": m.slug, "version": m.version, "completed_at": iso(m.completed_at),
                     "score": m.score} for m in record.modules],
        "attempts": [{"quiz": a.slug, "submitted_at": iso(a.submitted_at), "score": a.score,
                      "passed": bool(a.passed)} for a in record.attempts],
        "certificates": [{"code": c.code, "program": c.program.code,
                          "status": public_status(c, record.as_of), "issued": iso(c.issued),
                          "expires": iso(c.expires)} for c in record.certificates],
        "hours": {"total": record.total_hours,
                  "entries": [{"date": iso(e.date), "hours": e.hours, "activity": e.activity,
                               "status": e.status} for e in record.entries]},
    }


def build_transcript(person: Person, as_of: date | None = None) -> dict:
    """The person's transcript exactly as SPEC §7 gives it (ISO strings, oldest first)."""
    return as_json(collect(person, as_of))


def readable_person(user: User | None, number: str) -> Person:
    """The person whose transcript `user` asks for: themselves, or someone in their read
    scope; anyone else is NotFound."""
    if user is not None and user.person is not None and user.person.number == number:
        return user.person
    return scope.get_person(user, number)
