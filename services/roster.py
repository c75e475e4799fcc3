"""Who holds which role where: reading and changing assignments.

Every read here issues a fixed number of queries whatever the size of the unit, so a
page built from them does too. Changes keep history: assignments end, never vanish.
"""
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm import joinedload

from extensions import db
from models import Assignment
from models import Person
from models import Role
from models import Unit
from models import User
from models.base import MAX_ID
from services import audit
from services import scope
from services.errors import Conflict
from services.errors import DomainError
from services.errors import Forbidden
from services.errors import NotFound
from services.pagination import Page
from services.pagination import paginate


def active_clause(on: date):
    """A WHERE clause for assignments active on `on` (start ≤ on, no end or end ≥ on)."""
    return (Assignment.start <= on) & (Assignment.end.is_(None) | (Assignment.end >= on))


#: built once: building it costs more than running it
CURRENT_ROLES = (select(Assignment)
                 .options(joinedload(Assignment.role), joinedload(Assignment.unit))
                 .where(Assignment.person_id == bindparam("person_id"),
                        active_clause(bindparam("on")))
                 .order_by(Assignment.start))


def current_roles(person: Person, on: date | None = None) -> list[Assignment]:
    """The person's assignments active on `on` (default today)."""
    return list(db.session.scalars(CURRENT_ROLES, {"person_id": person.id,
                                                   "on": on or date.today()}))


def all_roles() -> list[Role]:
    """The role catalogue by code, for the add-assignment form."""
    return list(db.session.scalars(select(Role).order_by(Role.code)))


def current_roles_of(people: list[Person], on: date | None = None) -> dict[int, list[Assignment]]:
    """The active assignments of a page of people, in one query: person id → assignments."""
    on = on or date.today()
    found: dict[int, list[Assignment]] = {p.id: [] for p in people}
    if not found:
        return found
    for assignment in db.session.scalars(
        select(Assignment)
        .options(joinedload(Assignment.role), joinedload(Assignment.unit))
        .where(Assignment.person_id.in_(found), active_clause(on))
        .order_by(Assignment.start)
    ):
        found[assignment.person_id].append(assignment)
    return found


def search_people(user: User | None, q: str | None, page=1, per_page: int | None = None) -> Page:
    """A page of the people in `user`'s scope by number prefix or name, by number."""
    stmt = select(Person).where(scope.person_filter(user)).order_by(Person.number)
    q = (q or "").strip()[:100]
    if q:
        stmt = stmt.where(Person.number.istartswith(q, autoescape=True)
                          | Person.name.icontains(q, autoescape=True))
    return paginate(stmt, page, per_page)


def unit_assignments(unit: Unit, page=1, *, ended: bool = False, on: date | None = None,
                     per_page: int | None = None) -> Page:
    """A page of the assignments at `unit`: current and upcoming, or (`ended`) history."""
    on = on or date.today()
    stmt = (
        select(Assignment)
        .join(Assignment.person)
        .join(Assignment.role)
        .options(contains_eager(Assignment.person), contains_eager(Assignment.role))
        .where(Assignment.unit_id == unit.id)
    )
    if ended:
        stmt = stmt.where(Assignment.end < on).order_by(Assignment.end.desc(), Person.number)
    else:
        stmt = stmt.where(Assignment.end.is_(None) | (Assignment.end >= on))
        stmt = stmt.order_by(Role.code, Person.number)
    return paginate(stmt, page, per_page)


def person_assignments(person: Person, user: User | None = None) -> list[Assignment]:
    """A person's assignments, newest first, with role and unit: one query.

    Given a `user`, only those at units in the user's scope: an admin sees where a
    person serves in their own units, not (say) which dorm elsewhere they report from.
    """
    stmt = (
        select(Assignment)
        .join(Assignment.unit)
        .options(joinedload(Assignment.role), contains_eager(Assignment.unit))
        .where(Assignment.person_id == person.id)
        .order_by(Assignment.start.desc(), Assignment.id.desc())
    )
    if user is not None:
        stmt = stmt.where(scope.unit_filter(user))
    return list(db.session.scalars(stmt))


def get_assignment(user: User | None, assignment_id: int) -> Assignment:
    """The assignment if its unit is in the user's scope, else NotFound as if missing."""
    assignment = None
    if 0 < assignment_id <= MAX_ID:
        assignment = db.session.scalar(
            select(Assignment)
            .options(joinedload(Assignment.person), joinedload(Assignment.role),
                     joinedload(Assignment.unit))
            .where(Assignment.id == assignment_id)
        )
    if assignment is None or not scope.can(user, scope.READ_KINDS, assignment.unit):
        raise NotFound(_("No such assignment."))
    return assignment


def check_may_edit(user: User | None, unit: Unit) -> None:
    """Only admins change assignments: readers of the unit get 403, others 404.

    `user` None is the system itself (an import run from the shell).
    """
    if user is None or scope.can(user, scope.WRITE_KINDS, unit):
        return
    if scope.can(user, scope.READ_KINDS, unit):
        raise Forbidden(_("Only an administrator of this unit may change its assignments."))
    raise NotFound(_("No such unit."))


def check_dates(start: date | None, end: date | None) -> None:
    if start is None:
        raise DomainError(_("Give a start date."))
    if end is not None and end < start:
        raise DomainError(_("The end date cannot be before the start date."))


def check_no_overlap(person: Person, role: Role, unit: Unit, start: date, end: date | None,
                     exclude: Assignment | None = None) -> None:
    """Refuse a second assignment of the same role at the same unit for overlapping dates."""
    stmt = select(Assignment.id).where(
        Assignment.person_id == person.id,
        Assignment.role_id == role.id,
        Assignment.unit_id == unit.id,
        Assignment.end.is_(None) | (Assignment.end >= start),
    )
    if end is not None:
        stmt = stmt.where(Assignment.start <= end)
    if exclude is not None:
        stmt = stmt.where(Assignment.id != exclude.id)
    if db.session.scalar(stmt.limit(1)) is not None:
        raise Conflict(_("%(name)s already holds %(role)s at %(unit)s for these dates.",
                         name=person.name, role=role.label(str(get_locale())), unit=unit.name))


def describe(assignment: Assignment) -> dict:
    """The audit detail of an assignment: codes and ISO dates, as the API gives them."""
    return {
        "person": assignment.person.number,
        "role": assignment.role.code,
        "unit": assignment.unit.code,
        "start": assignment.start.isoformat(),
        "end": assignment.end.isoformat() if assignment.end else None,
    }


def assign_role(person: Person, role: Role, unit: Unit, start: date, *,
                by: User | None) -> Assignment:
    """Give `person` `role` at `unit` from `start`; a second identical one is refused."""
    check_may_edit(by, unit)
    check_dates(start, None)
    check_no_overlap(person, role, unit, start, None)
    assignment = Assignment(person=person, role=role, unit=unit, start=start)
    db.session.add(assignment)
    try:
        db.session.flush()
    except IntegrityError as error:  # a concurrent twin won the race (see uq on open rows)
        raise Conflict(_("%(name)s already holds %(role)s at %(unit)s for these dates.",
                         name=person.name, role=role.label(str(get_locale())), unit=unit.name)) from error
    audit.record("assignment.created", by=by, target=assignment, **describe(assignment))
    return assignment


def update_assignment(assignment: Assignment, start: date, end: date | None, *,
                      by: User | None) -> Assignment:
    """Correct an assignment's dates; nothing is recorded when nothing changes."""
    check_may_edit(by, assignment.unit)
    check_dates(start, end)
    if (assignment.start, assignment.end) == (start, end):
        return assignment
    check_no_overlap(assignment.person, assignment.role, assignment.unit, start, end,
                     exclude=assignment)
    before = describe(assignment)
    assignment.start, assignment.end = start, end
    db.session.flush()
    audit.record("assignment.updated", by=by, target=assignment, **describe(assignment),
                 was_start=before["start"], was_end=before["end"])
    return assignment


def end_assignment(assignment: Assignment, end: date | None = None, *,
                   by: User | None) -> Assignment:
    """End an open assignment on `end` (default today); it stays in the history."""
    check_may_edit(by, assignment.unit)
    end = end or date.today()
    if assignment.end is not None:
        raise Conflict(_("This assignment already has an end date; edit it instead."))
    check_dates(assignment.start, end)
    assignment.end = end
    db.session.flush()
    audit.record("assignment.ended", by=by, target=assignment, **describe(assignment))
    return assignment
