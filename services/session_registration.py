"""Registering for a session, with its capacity kept under concurrency.

Registering first takes the session row's write lock with a no-op UPDATE (a row lock on
PostgreSQL, the database write lock on SQLite, where the driver runs plain SELECTs
outside a transaction), then counts the seats taken and inserts. Registrations of one
session therefore queue one behind the other until each commits, and the count each
sees is exact; the (session, person) unique constraint catches the same person
registering twice at once. Walk-ins (present without registering) never take a seat:
capacity limits registrations only. Registration closes when the session starts.
"""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from extensions import db
from models import Attendance
from models import Person
from models import TrainingSession
from models.base import utcnow
from services.errors import Conflict
from services.errors import Forbidden
from services.session_attendance import attendance_row
from services.session_attendance import find_attendance
from services.session_eligibility import is_eligible
from services.session_times import local_date


def lock_session(session: TrainingSession) -> None:
    """Hold the session row's write lock until commit (see the module's docstring)."""
    db.session.execute(update(TrainingSession).where(TrainingSession.id == session.id)
                       .values(capacity=TrainingSession.capacity)
                       .execution_options(synchronize_session=False))


def registered_count(session: TrainingSession) -> int:
    return db.session.scalar(select(func.count(Attendance.id)).where(
        Attendance.session_id == session.id, Attendance.registered_at.is_not(None))) or 0


def register(session: TrainingSession, person: Person, *,
             now: datetime | None = None) -> Attendance:
    """Register the person for an upcoming session meant for them; again is a no-op."""
    now = now or utcnow()
    row = find_attendance(session, person)
    if row is not None and row.registered_at is not None:
        return row
    if session.cancelled_at is not None:
        raise Conflict(_("This session was cancelled."))
    if now >= session.starts_at:
        raise Conflict(_("Registration closed when the session started."))
    if not is_eligible(session, person, local_date(now)):
        raise Forbidden(_("This session is not meant for your roles or units."))
    lock_session(session)
    row = find_attendance(session, person, fresh=True)
    if row is not None and row.registered_at is not None:
        return row
    if session.capacity is not None and registered_count(session) >= session.capacity:
        raise Conflict(_("This session is full."))
    row = attendance_row(session, person)
    row.registered_at = now
    db.session.flush()
    return row


def unregister(session: TrainingSession, person: Person, *, now: datetime | None = None) -> bool:
    """Withdraw a registration before the session starts; False when there was none."""
    now = now or utcnow()
    row = find_attendance(session, person)
    if row is None or row.registered_at is None:
        return False
    if now >= session.starts_at:
        raise Conflict(_("The session has started: registrations can no longer be withdrawn."))
    if row.present_at is None:
        db.session.delete(row)
    else:
        row.registered_at = None
    db.session.flush()
    return True
