"""Who a training session is for.

A session belongs to a unit; it is for the people holding an active assignment anywhere
in that unit's subtree, and, when it names target roles, only through an assignment of
one of those roles. Attendance is looser: anyone in the subtree may be marked present
(a walk-in), whatever their role, since they did sit in the room.

Units keep their ancestors' ids, so "the sessions above my units" is one IN over a
handful of ids per assignment, and "a role among the session's roles" is a LIKE on the
JSON list's text (quoted, so `"informant"` never matches a longer code).
"""
from datetime import date

from sqlalchemy import ColumnElement
from sqlalchemy import Text
from sqlalchemy import and_
from sqlalchemy import cast
from sqlalchemy import false
from sqlalchemy import or_

from models import Assignment
from models import Person
from models import TrainingSession
from models import Unit
from services.roster import current_roles
from services.scope import covers


def ancestor_ids(unit: Unit) -> set[int]:
    """The unit itself and every unit above it (a dorm's class, college, university, province)."""
    ids = {unit.id, unit.province_id, unit.university_id, unit.college_id, unit.class_id}
    return {i for i in ids if i is not None}


def role_matches(session: TrainingSession, role_code: str) -> bool:
    return not session.roles or role_code in session.roles


def in_subtree(session: TrainingSession, person: Person, on: date) -> bool:
    """Whether the person holds any role, on `on`, at a unit inside the session's unit."""
    return any(covers(session.unit, a.unit) for a in current_roles(person, on))


def is_eligible(session: TrainingSession, person: Person, on: date) -> bool:
    """Whether the session is meant for the person: in the subtree through a target role."""
    return any(covers(session.unit, a.unit) and role_matches(session, a.role.code)
               for a in current_roles(person, on))


def roles_clause(role_code: str) -> ColumnElement[bool]:
    """A WHERE clause on TrainingSession: no target roles, or `role_code` among them."""
    text = cast(TrainingSession.roles, Text)
    return or_(TrainingSession.roles.is_(None), text.in_(("[]", "null")),
               text.contains(f'"{role_code}"', autoescape=True))


def eligible_clause(assignments: list[Assignment]) -> ColumnElement[bool]:
    """A WHERE clause on TrainingSession matching the sessions these assignments make one
    eligible for (pass the person's current ones)."""
    clauses = [and_(TrainingSession.unit_id.in_(ancestor_ids(a.unit)), roles_clause(a.role.code))
               for a in assignments]
    return or_(*clauses) if clauses else false()
