"""Searching the audit log, scoped: an admin sees the events about records in their units.

An event belongs to a unit through its target (AuditEvent keeps no unit column): a
unit by code, a person by number, a user through their person or their grants, and so
on in TARGET_SCOPES; an admin also sees what they did themselves (their imports).
Other events (content edits, failed sign-ins of unknown names, system jobs) are for
superadmins only.
"""
import json
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement
from sqlalchemy import Select
from sqlalchemy import String
from sqlalchemy import and_
from sqlalchemy import cast
from sqlalchemy import false
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import true
from sqlalchemy.orm import joinedload

from extensions import db
from models import Assignment
from models import AuditEvent
from models import Certificate
from models import Grant
from models import HourEntry
from models import Person
from models import Qualification
from models import TrainingSession
from models import Unit
from models import User
from services import scope
from services.errors import DomainError
from services.pagination import paginate
from services.session_times import to_utc

#: who may search the audit log of their units
AUDIT_KINDS = scope.WRITE_KINDS
#: rows an export holds at most
EXPORT_LIMIT = 100_000


def _units(user: User) -> Select:
    return select(Unit.id).where(scope.unit_filter(user, AUDIT_KINDS))


def _people(user: User) -> Select:
    return select(Person.id).where(scope.person_filter(user, AUDIT_KINDS))


def _users(user: User) -> Select:
    return select(cast(User.id, String)).where(or_(
        User.person_id.in_(_people(user)),
        User.id.in_(select(Grant.user_id).where(Grant.unit_id.in_(_units(user)))),
    ))


#: target_type → the target ids (as stored: codes, numbers or ids) inside a user's scope
TARGET_SCOPES: dict[str, Callable[[User], Select]] = {
    "unit": lambda u: select(Unit.code).where(Unit.id.in_(_units(u))),
    "person": lambda u: select(Person.number).where(Person.id.in_(_people(u))),
    "user": _users,
    "assignment": lambda u: select(cast(Assignment.id, String)).where(
        Assignment.unit_id.in_(_units(u))),
    "training_session": lambda u: select(cast(TrainingSession.id, String)).where(
        TrainingSession.unit_id.in_(_units(u))),
    "certificate": lambda u: select(Certificate.code).where(Certificate.person_id.in_(_people(u))),
    "hourentry": lambda u: select(cast(HourEntry.id, String)).where(
        HourEntry.person_id.in_(_people(u))),
    "qualification": lambda u: select(cast(Qualification.id, String)).where(
        Qualification.person_id.in_(_people(u))),
}


def may_search(user: User | None) -> bool:
    """Superadmins and admins of a unit read the audit log (of their scope)."""
    return scope.has_any_grant(user, AUDIT_KINDS)


def visible(user: User) -> ColumnElement[bool]:
    """A WHERE clause on AuditEvent: the events about records in the user's scope."""
    if user.is_superadmin:
        return true()
    if not may_search(user):
        return false()
    return or_(AuditEvent.actor_id == user.id,
               *(and_(AuditEvent.target_type == kind, AuditEvent.target_id.in_(ids(user)))
                 for kind, ids in TARGET_SCOPES.items()))


@dataclass
class AuditFilters:
    action: str | None = None
    actor: str | None = None
    target: str | None = None
    since: date | None = None
    until: date | None = None
    q: str | None = None

    @classmethod
    def from_args(cls, args) -> "AuditFilters":
        """Filters from a query string; a malformed date is a clear 400."""
        text = {k: (args.get(k) or "").strip()[:200] or None
                for k in ("action", "actor", "target", "q")}
        return cls(**text, since=_day(args.get("since")), until=_day(args.get("until")))


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(_("Dates are written YYYY-MM-DD.")) from None


def _contains(column, text: str) -> ColumnElement[bool]:
    return column.icontains(text, autoescape=True)


def filtered(user: User, f: AuditFilters) -> Select:
    """The user's visible events matching the filters, newest first."""
    stmt = select(AuditEvent).where(visible(user))
    if f.action:
        stmt = stmt.where(AuditEvent.action.startswith(f.action, autoescape=True))
    if f.actor:
        actors = (select(User.id).outerjoin(Person, Person.id == User.person_id)
                  .where(or_(_contains(User.email, f.actor), _contains(User.name, f.actor),
                             Person.number == f.actor)))
        stmt = stmt.where(AuditEvent.actor_id.in_(actors))
    if f.target:
        kind, sep, ident = f.target.partition(":")
        stmt = stmt.where(and_(AuditEvent.target_type == kind.strip().lower(),
                               AuditEvent.target_id == ident.strip()) if sep
                          else AuditEvent.target_id == f.target)
    if f.since:
        stmt = stmt.where(AuditEvent.at >= to_utc(datetime.combine(f.since, time())))
    if f.until:
        stmt = stmt.where(AuditEvent.at < to_utc(datetime.combine(f.until + timedelta(1), time())))
    if f.q:
        # JSON keeps non-ASCII text as \uXXXX escapes: look for both spellings
        escaped = json.dumps(f.q)[1:-1]
        detail = cast(AuditEvent.detail, String)
        stmt = stmt.where(or_(_contains(AuditEvent.action, f.q), _contains(AuditEvent.target_id, f.q),
                              _contains(AuditEvent.ip, f.q), _contains(detail, f.q),
                              _contains(detail, escaped)))
    return stmt.order_by(AuditEvent.id.desc())


def search(user: User, f: AuditFilters, page=1):
    """A page of the events the user may see that match `f`."""
    return paginate(filtered(user, f).options(joinedload(AuditEvent.actor)), page)


def action_names(user: User) -> list[str]:
    """The distinct actions the user can see, for the filter menu."""
    stmt = select(AuditEvent.action).where(visible(user)).distinct().order_by(AuditEvent.action)
    return list(db.session.scalars(stmt))


EXPORT_HEADERS = ["time (UTC)", "actor", "action", "target type", "target", "ip", "details"]


def export_rows(user: User, f: AuditFilters) -> Iterator[list]:
    """Rows for the xlsx/csv export of the matching events (at most EXPORT_LIMIT)."""
    stmt = filtered(user, f).options(joinedload(AuditEvent.actor)).limit(EXPORT_LIMIT)
    for event in db.session.scalars(stmt).yield_per(1000):
        actor = event.actor.email or event.actor.name if event.actor else ""
        yield [event.at.isoformat(sep=" ", timespec="seconds"), actor, event.action,
               event.target_type or "", event.target_id or "", event.ip or "",
               json.dumps(event.detail, ensure_ascii=False, sort_keys=True)]
