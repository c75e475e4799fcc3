"""Units and people as plain data (SPEC §7), each in a fixed number of queries.

Whatever the size of a unit — a college with thousands of classes — describing it
takes the same statements: one for the parent's code, one for the children, one for
the assignments, each selecting only the columns the payload shows.
"""
from datetime import date

from sqlalchemy import Date
from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy.engine import Connection

from extensions import db
from models import Assignment
from models import Person
from models import Role
from models import Unit
from models import User
from services import scope
from services.roster import active_clause
from services.staffing import unit_students

# The statements are built once (building one costs more than SQLite takes to run it)
# and run on the connection: plain rows need none of the ORM's result machinery.
PARENT_CODE = select(Unit.code).where(Unit.id == bindparam("parent_id"))
CHILDREN = (select(Unit.code, Unit.name, Unit.kind)
            .where(Unit.parent_id == bindparam("unit_id")).order_by(Unit.code))
ASSIGNMENTS = (
    select(Person.number, Person.name, Role.code, Assignment.start, Assignment.end)
    .join(Person, Person.id == Assignment.person_id)
    .join(Role, Role.id == Assignment.role_id)
    .where(Assignment.unit_id == bindparam("unit_id"))
    .order_by(Role.code, Person.number, Assignment.start, Assignment.id)
)
ACTIVE_ASSIGNMENTS = ASSIGNMENTS.where(active_clause(bindparam("on", type_=Date)))


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def parent_code(connection: Connection, unit: Unit) -> str | None:
    """The parent's code, without loading the parent row."""
    if unit.parent_id is None:
        return None
    return connection.scalar(PARENT_CODE, {"parent_id": unit.parent_id})


def children(connection: Connection, unit: Unit) -> list[dict]:
    """The unit's direct children, sorted by code."""
    rows = connection.execute(CHILDREN, {"unit_id": unit.id})
    return [{"code": code, "name": name, "kind": kind} for code, name, kind in rows]


def unit_assignments(connection: Connection, unit: Unit, on: date,
                     history: bool = False) -> list[dict]:
    """Assignments at the unit itself: those active on `on`, or all of them (`history`)."""
    if history:
        rows = connection.execute(ASSIGNMENTS, {"unit_id": unit.id})
    else:
        rows = connection.execute(ACTIVE_ASSIGNMENTS, {"unit_id": unit.id, "on": on})
    return [
        {"number": number, "name": name, "role": role, "start": iso(start), "end": iso(end)}
        for number, name, role, start, end in rows
    ]


def describe_unit(unit: Unit, on: date, history: bool = False) -> dict:
    """`GET /units/CODE`: the unit, its parent's code, its children and who holds what there.

    `students` is students(U) of SPEC §5 — the unit's own count, else the sum below it —
    the figure the coverage rules use.
    """
    connection = db.session.connection()
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "students": unit_students(unit),
        "parent": parent_code(connection, unit),
        "children": children(connection, unit),
        "assignments": unit_assignments(connection, unit, on, history),
    }


def describe_person(person: Person, user: User | None = None) -> dict:
    """`GET /people/NUMBER`: the person and the assignments they have held, by start.

    Given a `user`, only assignments at units in that user's scope are listed: the
    person is visible through them, and what they do elsewhere is not the caller's.
    """
    stmt = (
        select(Role.code, Unit.code, Assignment.start, Assignment.end)
        .join(Role, Role.id == Assignment.role_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.person_id == person.id)
        .order_by(Assignment.start, Assignment.id)
    )
    if user is not None:
        stmt = stmt.where(scope.unit_filter(user))
    rows = db.session.execute(stmt)
    return {
        "number": person.number,
        "name": person.name,
        "assignments": [
            {"role": role, "unit": unit, "start": iso(start), "end": iso(end)}
            for role, unit, start, end in rows
        ],
    }
