"""Invitations: a login with a one-time activation link for everyone in a unit.

`flask users invite --unit CODE` covers the people with an assignment active today
anywhere in the unit's subtree. Running it again is safe:

- people whose account is activated (or switched off) are skipped;
- people invited earlier whose link still works are skipped too, so sheets already
  handed out keep working — unless `reissue` is asked for, which gives them a new
  link and makes the old one stop working;
- people invited earlier whose link has lapsed get a new link automatically.
No one ever gets a second account.
"""
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from typing import IO

from flask_babel import gettext as _
from flask_babel import to_user_timezone
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import Person
from models import Role
from models import Unit
from models import User
from models.base import utcnow
from services import accounts
from services import audit
from services import exports
from services.errors import DomainError
from services.errors import NotFound
from services.roster import active_clause
from services.scope import subtree_filter

#: placeholders in an IN (...) list per statement, well under SQLite's limit
CHUNK = 500
SHEET_HEADERS = ("工号/学号", "姓名", "单位", "角色", "邮箱", "激活链接", "有效期至")


@dataclass
class Invitation:
    """One person's activation link, with what a sheet for distribution shows."""

    number: str
    name: str
    email: str | None
    units: list[str]
    roles: list[str]
    token: str = ""
    expires: datetime | None = None


@dataclass
class InviteResult:
    unit: Unit
    invitations: list[Invitation] = field(default_factory=list)
    #: of the invitations, those replacing an earlier link
    reissued: int = 0
    #: people skipped because they already have a working login
    with_login: int = 0
    #: people skipped because an earlier link of theirs still works
    still_invited: int = 0


@dataclass
class Candidate:
    person_id: int
    number: str
    name: str
    email: str | None
    units: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    user_id: int | None = None
    has_password: bool = False
    user_active: bool = True
    link_expires: datetime | None = None


def candidates(unit: Unit, on: date) -> list[Candidate]:
    """People active in the subtree on `on`, with their roles, units and any login."""
    rows = db.session.execute(
        select(Person.id, Person.number, Person.name, Person.email, Role.name, Unit.code,
               Unit.name, User.id, User.password_hash.is_not(None), User.active,
               User.activation_expires)
        .join(Assignment, Assignment.person_id == Person.id)
        .join(Role, Role.id == Assignment.role_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .outerjoin(User, User.person_id == Person.id)
        .where(subtree_filter(unit), active_clause(on))
        .order_by(Person.number, Role.code, Unit.code)
    )
    people: dict[int, Candidate] = {}
    for pid, number, name, email, role, unit_code, unit_name, uid, has_pw, active, expires in rows:
        person = people.get(pid)
        if person is None:
            person = people[pid] = Candidate(pid, number, name, email, user_id=uid,
                                             has_password=bool(has_pw), user_active=active is not False,
                                             link_expires=expires)
        label = f"{unit_name} ({unit_code})"
        if label not in person.units:
            person.units.append(label)
        if role not in person.roles:
            person.roles.append(role)
    return list(people.values())


def clean_email(raw: str | None) -> str | None:
    email = (raw or "").strip().lower()
    return email if "@" in email and len(email) <= 254 else None


def emails_in_use(emails: set[str]) -> set[str]:
    """Which of `emails` a login already has."""
    taken: set[str] = set()
    ordered = sorted(emails)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        taken.update(db.session.scalars(select(User.email).where(User.email.in_(chunk))))
    return taken


def pending_users(user_ids: list[int]) -> dict[int, User]:
    found: dict[int, User] = {}
    for start in range(0, len(user_ids), CHUNK):
        chunk = user_ids[start:start + CHUNK]
        found.update((u.id, u) for u in db.session.scalars(select(User).where(User.id.in_(chunk))))
    return found


def invite_unit(code: str, *, valid_days: int, reissue: bool = False, on: date | None = None,
                by: User | None = None) -> InviteResult:
    """Give everyone active in the unit's subtree without a login an activation link."""
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise NotFound(_("No unit with code %(code)s.", code=code))
    now = utcnow()
    result = InviteResult(unit)
    fresh: list[Candidate] = []
    again: list[Candidate] = []
    for person in candidates(unit, on or date.today()):
        if person.user_id is None:
            fresh.append(person)
        elif person.has_password or not person.user_active:
            result.with_login += 1
        elif person.link_expires is not None and person.link_expires > now and not reissue:
            result.still_invited += 1
        else:
            again.append(person)

    taken = emails_in_use({e for p in fresh if (e := clean_email(p.email))})
    new_users: list[tuple[Candidate, User]] = []
    for person in fresh:
        email = clean_email(person.email)
        if email in taken:
            email = None
        elif email:
            taken.add(email)
        new_users.append((person, User(email=email, name=person.name[:100],
                                       person_id=person.person_id)))
    db.session.add_all(user for _p, user in new_users)

    existing = pending_users([p.user_id for p in again])
    pairs = new_users + [(p, existing[p.user_id]) for p in again]
    for person, user in pairs:
        token = accounts.issue_activation(user, valid_days)
        result.invitations.append(Invitation(person.number, person.name, user.email, person.units,
                                             person.roles, token, user.activation_expires))
    result.reissued = len(again)
    result.invitations.sort(key=lambda i: i.number)
    db.session.flush()
    audit.record("users.invited", by=by, target=unit, invited=len(result.invitations),
                 reissued=result.reissued, with_login=result.with_login,
                 still_invited=result.still_invited)
    return result


def activation_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/activate/{token}"


def local_time(value: datetime | None) -> datetime | None:
    """A stored UTC time as the server's local wall-clock time (xlsx has no zones)."""
    return to_user_timezone(value).replace(tzinfo=None) if value else None


def write_sheet(target: str | IO[bytes], result: InviteResult, base_url: str) -> None:
    """Write the links to an xlsx for distribution; a path that cannot be written is an error."""
    rows = (
        (i.number, i.name, "; ".join(i.units), "; ".join(i.roles), i.email,
         activation_link(base_url, i.token), local_time(i.expires))
        for i in result.invitations
    )
    try:
        exports.write_xlsx(target, [("激活链接", SHEET_HEADERS, rows)])
    except OSError as error:
        raise DomainError(_("Cannot write %(path)s: %(reason)s", path=str(target),
                            reason=error.strerror or str(error))) from error
