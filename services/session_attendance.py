"""Taking a session's attendance; attendance turns into approved hours.

One Attendance row per session and person (unique), so a second registration, tick or
check-in finds the first (registering is in session_registration.py). Being present
credits one HourEntry (source "session", source_ref "session:ID", unique per person): a
retry, a double click or two phones scanning at once never doubles the hours. Removing
someone's attendance rejects that entry ("attendance removed"); marking them again
approves the same entry again.
"""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from extensions import db
from models import Attendance
from models import HourEntry
from models import Person
from models import TrainingSession
from models import User
from models.base import utcnow
from models.hours import ATTENDANCE_METHODS
from services import audit
from services import certification
from services import scope
from services.errors import Conflict
from services.errors import Forbidden
from services.errors import NotFound
from services.pagination import Page
from services.pagination import paginate
from services.session_eligibility import in_subtree
from services.session_window import opens_at
from services.training_sessions import MANAGE_KINDS
from services.training_sessions import check_may_manage
from services.training_sessions import session_date
from services.training_sessions import session_ref
from services.unit_tree import text_match


def find_attendance(session: TrainingSession, person: Person, *,
                    fresh: bool = False) -> Attendance | None:
    stmt = select(Attendance).where(Attendance.session_id == session.id,
                                    Attendance.person_id == person.id)
    if fresh:
        stmt = stmt.execution_options(populate_existing=True)
    return db.session.scalar(stmt)


def attendance_row(session: TrainingSession, person: Person) -> Attendance:
    """The person's row for the session, created if missing; a concurrent twin wins quietly."""
    row = find_attendance(session, person)
    if row is not None:
        return row
    row = Attendance(session_id=session.id, person_id=person.id)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        row = find_attendance(session, person, fresh=True)
    return row


def counts(session: TrainingSession) -> tuple[int, int]:
    """(registered, present) in one query."""
    registered, present = db.session.execute(
        select(func.count(Attendance.registered_at), func.count(Attendance.present_at))
        .where(Attendance.session_id == session.id)).one()
    return registered or 0, present or 0


def find_entry(person: Person, ref: str) -> HourEntry | None:
    return db.session.scalar(select(HourEntry).where(
        HourEntry.person_id == person.id, HourEntry.source == "session",
        HourEntry.source_ref == ref).execution_options(populate_existing=True))


def credit(session: TrainingSession, person: Person, by: User | None, now: datetime) -> bool:
    """Approve the session's hours for the person once; True when the ledger changed."""
    ref = session_ref(session)
    entry = find_entry(person, ref)
    if entry is None:
        entry = HourEntry(person_id=person.id, date=session_date(session), hours=session.hours,
                          activity=session.activity, source="session", source_ref=ref,
                          status="approved", description=session.title,
                          created_by_id=by.id if by else None,
                          reviewed_by_id=by.id if by else None, reviewed_at=now)
        try:
            with db.session.begin_nested():  # a concurrent check-in may win the unique constraint
                db.session.add(entry)
        except IntegrityError:
            entry = find_entry(person, ref)
        else:
            return True
    if entry.status == "approved":
        return False
    entry.status = "approved"
    entry.review_reason = ""
    entry.reviewed_by_id = by.id if by else None
    entry.reviewed_at = now
    return True


def check_marking(session: TrainingSession, person: Person, now: datetime,
                  by: User | None = None) -> None:
    if by is not None and by.person_id == person.id:
        # the ledger's rule: nobody approves their own hours, and attendance credits them
        raise Forbidden(_("You cannot mark your own attendance; another trainer or an admin can."))
    if session.cancelled_at is not None:
        raise Conflict(_("This session was cancelled."))
    if now < opens_at(session):
        raise Conflict(_("Attendance can be taken from 30 minutes before the session starts."))
    if not in_subtree(session, person, session_date(session)):
        raise Forbidden(_("%(name)s (%(number)s) is not in the unit running this session.",
                          name=person.name, number=person.number))


def mark_present(session: TrainingSession, person: Person, method: str, *,
                 by: User | None = None, now: datetime | None = None) -> bool:
    """Mark the person present and credit the session's hours, once; True when newly marked.

    Walk-ins need no registration but must be in the session's unit subtree on its date.
    """
    if method not in ATTENDANCE_METHODS:
        raise ValueError(method)
    now = now or utcnow()
    if by is not None:
        check_may_manage(by, session)
    check_marking(session, person, now, by)
    row = attendance_row(session, person)
    result = db.session.execute(
        update(Attendance).where(Attendance.id == row.id, Attendance.present_at.is_(None))
        .values(present_at=now, method=method, marked_by_id=by.id if by else None)
        .execution_options(synchronize_session=False))
    db.session.expire(row)
    if credit(session, person, by, now):
        db.session.flush()
        certification.reevaluate(person)
    return result.rowcount == 1


def unmark(session: TrainingSession, person: Person, *, by: User | None = None,
           now: datetime | None = None) -> bool:
    """Remove the person's attendance and reject the hours it credited; True when it changed."""
    now = now or utcnow()
    if by is not None:
        check_may_manage(by, session)
    row = find_attendance(session, person, fresh=True)
    if row is None or row.present_at is None:
        return False
    row.present_at = None
    row.method = None
    row.marked_by_id = by.id if by else None
    entry = find_entry(person, session_ref(session))
    if entry is not None and entry.status != "rejected":
        entry.status = "rejected"
        entry.review_reason = _("attendance removed")  # what the learner reads on the entry
        entry.reviewed_by_id = by.id if by else None
        entry.reviewed_at = now
    db.session.flush()
    certification.reevaluate(person)
    return True


def take_attendance(session: TrainingSession, present: set[int], listed: set[int], *,
                    by: User | None, now: datetime | None = None) -> tuple[int, int]:
    """Apply a page of tick boxes: of the `listed` people, those in `present` are marked,
    the others unmarked; returns (newly marked, unmarked)."""
    if by is not None:
        check_may_manage(by, session)
    rows = db.session.scalars(select(Attendance).options(joinedload(Attendance.person)).where(
        Attendance.session_id == session.id, Attendance.person_id.in_(listed or [-1]))
        .order_by(Attendance.id))
    marked = unmarked = 0
    for row in list(rows):
        if row.person_id in present and row.present_at is None:
            marked += mark_present(session, row.person, "list", by=by, now=now)
        elif row.person_id not in present and row.present_at is not None:
            unmarked += unmark(session, row.person, by=by, now=now)
    if marked or unmarked:
        audit.record("session.attendance", by=by, target=("training_session", session.id),
                     method="list", marked=marked, unmarked=unmarked)
    return marked, unmarked


def add_walk_in(session: TrainingSession, number: str, *, by: User | None,
                now: datetime | None = None) -> tuple[Person, bool]:
    """Mark someone present by their number (a walk-in); (person, newly marked)."""
    if by is not None:
        check_may_manage(by, session)
    person = scope.get_person(by, number.strip(), MANAGE_KINDS) if by is not None else \
        db.session.scalar(select(Person).where(Person.number == number.strip()))
    if person is None:
        raise NotFound(_("No such person."))
    new = mark_present(session, person, "list", by=by, now=now)
    if new:
        audit.record("session.attendance", by=by, target=("training_session", session.id),
                     method="list", marked=1, number=person.number)
    return person, new


def attendance_page(session: TrainingSession, page=1, q: str | None = None,
                    per_page: int = 100) -> Page:
    """A page of the session's list (registered or present), by number, people loaded."""
    stmt = (select(Attendance).join(Person, Person.id == Attendance.person_id)
            .options(joinedload(Attendance.person))
            .where(Attendance.session_id == session.id,
                   Attendance.registered_at.is_not(None) | Attendance.present_at.is_not(None)))
    match = text_match(q, Person.number, Person.name)
    if match is not None:
        stmt = stmt.where(match)
    return paginate(stmt.order_by(Person.number), page, per_page)
