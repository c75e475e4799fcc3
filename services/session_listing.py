"""The lists of sessions: what a learner may attend, what they signed up for, and what a
trainer or admin runs. Each is one paginated query (counts included), whatever the size."""
from datetime import datetime

from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from models import Attendance
from models import Person
from models import TrainingSession
from models import Unit
from models import User
from models.base import utcnow
from services import scope
from services.pagination import Page
from services.pagination import paginate
from services.roster import current_roles
from services.session_eligibility import eligible_clause
from services.session_times import local_date
from services.unit_tree import text_match

UPCOMING, PAST = "upcoming", "past"


def with_unit():
    """Select sessions with their unit loaded in the same query."""
    return (select(TrainingSession).join(Unit, Unit.id == TrainingSession.unit_id)
            .options(contains_eager(TrainingSession.unit)))


def search(stmt, q: str | None):
    match = text_match(q, TrainingSession.title, TrainingSession.place)
    return stmt if match is None else stmt.where(match)


def upcoming_for(person: Person, q: str | None = None, page=1, *,
                 now: datetime | None = None) -> Page:
    """Rows (session, registered_at, present_at) of the sessions not yet over that are meant
    for the person, soonest first; the two times are None when they are not listed."""
    now = now or utcnow()
    mine = and_(Attendance.session_id == TrainingSession.id, Attendance.person_id == person.id)
    stmt = (with_unit().add_columns(Attendance.registered_at, Attendance.present_at)
            .outerjoin(Attendance, mine)
            .where(TrainingSession.cancelled_at.is_(None), TrainingSession.ends_at >= now,
                   eligible_clause(current_roles(person, local_date(now)))))
    return paginate(search(stmt, q).order_by(TrainingSession.starts_at, TrainingSession.id), page)


def listed_for(person: Person, page=1) -> Page:
    """Rows (session, registered_at, present_at) of the sessions the person registered for
    or attended, latest first."""
    stmt = (with_unit().add_columns(Attendance.registered_at, Attendance.present_at)
            .join(Attendance, Attendance.session_id == TrainingSession.id)
            .where(Attendance.person_id == person.id,
                   Attendance.registered_at.is_not(None) | Attendance.present_at.is_not(None)))
    return paginate(stmt.order_by(TrainingSession.starts_at.desc(), TrainingSession.id.desc()),
                    page, per_page=20)


def managed_sessions(user: User, q: str | None = None, page=1, *, show: str = UPCOMING,
                     now: datetime | None = None) -> Page:
    """Rows (session, registered, present) of the sessions run by units in the user's scope:
    those not yet over soonest first, or past ones latest first."""
    now = now or utcnow()
    registered = (select(func.count(Attendance.id))
                  .where(Attendance.session_id == TrainingSession.id,
                         Attendance.registered_at.is_not(None))
                  .correlate(TrainingSession).scalar_subquery())
    present = (select(func.count(Attendance.id))
               .where(Attendance.session_id == TrainingSession.id,
                      Attendance.present_at.is_not(None))
               .correlate(TrainingSession).scalar_subquery())
    stmt = (with_unit().add_columns(registered.label("registered"), present.label("present"))
            .where(scope.unit_filter(user, scope.READ_KINDS)))
    if show == PAST:
        stmt = stmt.where(TrainingSession.ends_at < now).order_by(
            TrainingSession.starts_at.desc(), TrainingSession.id.desc())
    else:
        stmt = stmt.where(TrainingSession.ends_at >= now).order_by(
            TrainingSession.starts_at, TrainingSession.id)
    return paginate(search(stmt, q), page)

