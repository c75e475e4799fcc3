"""In-person training sessions: scheduling, editing and cancelling them, and who may see one.

Trainers and admins whose grant covers a session's unit manage it; auditors in scope may
read it (the attendance list included) but change nothing; a learner sees a session only
when it is meant for them or they are on its list. Anyone else gets NotFound, exactly as
for a session that does not exist. Registration and attendance live in
session_attendance.py, QR check-in in session_checkin.py, the Excel import in
session_import.py, the lists in session_listing.py.
"""
import secrets
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import joinedload

from extensions import db
from models import Attendance
from models import HourEntry
from models import Person
from models import Role
from models import TrainingSession
from models import Unit
from models import User
from models.base import utcnow
from services import audit
from services import certification
from services import scope
from services.errors import Conflict
from services.errors import Forbidden
from services.errors import NotFound
from services.errors import ValidationFailed
from services.session_activities import activity_codes
from services.session_eligibility import is_eligible
from services.session_times import local_date
from services.session_times import to_local
from services.session_times import to_utc

#: the grants that may schedule sessions and take attendance
MANAGE_KINDS = ("admin", "trainer")
#: a session's hours: half-hour steps, at most a (long) day
MAX_HOURS = 12.0
#: the years a session may be in (a year-1 date cannot even be converted to UTC)
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


@dataclass
class SessionFields:
    """What a trainer types: times are local wall-clock times (naive)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    hours: float
    activity: str = "workshop"
    description: str = ""
    place: str = ""
    roles: list[str] = field(default_factory=list)
    capacity: int | None = None

    @classmethod
    def of(cls, session: TrainingSession) -> "SessionFields":
        """A session's fields as its edit form shows them (local times)."""
        return cls(title=session.title, starts_at=to_local(session.starts_at),
                   ends_at=to_local(session.ends_at), hours=session.hours,
                   activity=session.activity, description=session.description,
                   place=session.place, roles=list(session.roles or []), capacity=session.capacity)


def check_fields(fields: SessionFields) -> None:
    """Raise ValidationFailed listing every rule the fields break."""
    problems = []
    if not fields.title.strip():
        problems.append(_("A session needs a title."))
    if not all(EARLIEST_YEAR <= moment.year <= LATEST_YEAR for moment in (fields.starts_at, fields.ends_at)):
        problems.append(_("Sessions must take place between %(first)d and %(last)d.",
                          first=EARLIEST_YEAR, last=LATEST_YEAR))
    elif fields.ends_at <= fields.starts_at:
        problems.append(_("A session must end after it starts."))
    hours = fields.hours
    if hours is None or not 0 < hours <= MAX_HOURS or round(hours * 2) != hours * 2:
        limit = f"{MAX_HOURS:g}"
        problems.append(_("Hours must be in half-hour steps, more than 0 and at most %(max)s.",
                          max=limit))
    if fields.activity not in activity_codes():
        problems.append(_("Unknown activity: %(code)s.", code=fields.activity))
    if fields.capacity is not None and fields.capacity < 1:
        problems.append(_("The capacity must be at least 1, or empty for no limit."))
    known = set(db.session.scalars(select(Role.code).where(Role.code.in_(fields.roles or ["-"]))))
    for code in fields.roles:
        if code not in known:
            problems.append(_("Unknown role: %(code)s.", code=code))
    if problems:
        raise ValidationFailed(problems)


def check_may_manage(user: User | None, session: TrainingSession) -> None:
    """NotFound outside the user's scope; Forbidden for readers (auditors) in scope."""
    if not scope.can(user, scope.READ_KINDS, session.unit):
        raise NotFound(_("No such session."))
    if not scope.can(user, MANAGE_KINDS, session.unit):
        raise Forbidden(_("Only the unit's trainers and admins may change this session."))


def may_manage(user: User | None, session: TrainingSession) -> bool:
    return scope.can(user, MANAGE_KINDS, session.unit)


def may_read_attendance(user: User | None, session: TrainingSession) -> bool:
    return scope.can(user, scope.READ_KINDS, session.unit)


def apply(session: TrainingSession, fields: SessionFields) -> None:
    session.title = fields.title.strip()
    session.description = (fields.description or "").strip()
    session.place = (fields.place or "").strip()
    session.starts_at = to_utc(fields.starts_at)
    session.ends_at = to_utc(fields.ends_at)
    session.hours = float(fields.hours)
    session.activity = fields.activity
    session.roles = sorted(set(fields.roles or []))
    session.capacity = fields.capacity


def create_session(unit: Unit, fields: SessionFields, *, by: User | None) -> TrainingSession:
    """Schedule a session run by `unit`; `by` must be a trainer or admin of the unit."""
    if by is not None and not scope.can(by, MANAGE_KINDS, unit):
        raise NotFound(_("No such unit."))
    check_fields(fields)
    session = TrainingSession(unit=unit, checkin_secret=secrets.token_urlsafe(32),
                              created_by_id=by.id if by else None)
    apply(session, fields)
    db.session.add(session)
    db.session.flush()
    audit.record("session.created", by=by, target=("training_session", session.id),
                 unit=unit.code, title=session.title, starts_at=session.starts_at.isoformat())
    return session


def update_session(session: TrainingSession, fields: SessionFields, *,
                   by: User | None) -> TrainingSession:
    """Change a session; hours already credited for it follow the new hours, activity,
    date and title, so the ledger never disagrees with the session."""
    if by is not None:
        check_may_manage(by, session)
    if session.cancelled_at is not None:
        raise Conflict(_("This session was cancelled; it can no longer be changed."))
    check_fields(fields)
    apply(session, fields)
    db.session.flush()
    people = resync_credits(session)
    audit.record("session.updated", by=by, target=("training_session", session.id),
                 title=session.title, starts_at=session.starts_at.isoformat(),
                 hours=session.hours, credits=len(people) or None)
    return session


def resync_credits(session: TrainingSession) -> list[int]:
    """Rewrite the ledger entries this session credited; re-evaluate their people."""
    ref = session_ref(session)
    people = list(db.session.scalars(select(HourEntry.person_id).where(
        HourEntry.source == "session", HourEntry.source_ref == ref)))
    if not people:
        return []
    db.session.execute(
        update(HourEntry).where(HourEntry.source == "session", HourEntry.source_ref == ref)
        .values(hours=session.hours, activity=session.activity, date=session_date(session),
                description=session.title)
        .execution_options(synchronize_session=False))
    db.session.expire_all()
    for person in db.session.scalars(select(Person).where(Person.id.in_(people))):
        certification.reevaluate(person)
    return people


def cancel_session(session: TrainingSession, *, by: User | None,
                   now: datetime | None = None) -> TrainingSession:
    """Cancel a session nobody has attended yet (idempotent); registrations stay listed."""
    if by is not None:
        check_may_manage(by, session)
    if session.cancelled_at is not None:
        return session
    present = db.session.scalar(select(Attendance.id).where(
        Attendance.session_id == session.id, Attendance.present_at.is_not(None)).limit(1))
    if present is not None:
        raise Conflict(_("People have already attended this session: remove their attendance "
                         "before cancelling it."))
    session.cancelled_at = now or utcnow()
    audit.record("session.cancelled", by=by, target=("training_session", session.id),
                 title=session.title)
    return session


def session_ref(session: TrainingSession) -> str:
    """What the ledger files a session's credit under: one credit per person and session."""
    return f"session:{session.id}"


def session_date(session: TrainingSession) -> date:
    """The date a session's hours carry: its local start date."""
    return local_date(session.starts_at)


def find_session(session_id: int) -> TrainingSession | None:
    return db.session.scalar(select(TrainingSession).options(joinedload(TrainingSession.unit))
                             .where(TrainingSession.id == session_id))


def require_session(session_id: int) -> TrainingSession:
    """The session with this id, for the CLI (which sees everything), else NotFound."""
    session = find_session(session_id)
    if session is None:
        raise NotFound(_("No session with id %(id)d.", id=session_id))
    return session


def get_session(user: User | None, session_id: int, *, on: date | None = None) -> TrainingSession:
    """The session if the user may see it: in scope, meant for them, or on its list."""
    session = find_session(session_id)
    if session is None or user is None:
        raise NotFound(_("No such session."))
    if may_read_attendance(user, session):
        return session
    person = user.person
    if person is not None:
        listed = db.session.scalar(select(Attendance.id).where(
            Attendance.session_id == session.id, Attendance.person_id == person.id))
        if listed is not None or is_eligible(session, person, on or local_date(utcnow())):
            return session
    raise NotFound(_("No such session."))
