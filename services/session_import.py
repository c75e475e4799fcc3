"""Attendance from a spreadsheet: a column of staff/student numbers, everyone on it present.

The whole file is checked before anything is written: a missing number, a number given
twice, a number nobody has, and a person outside the session's unit (on the session's
date) are each reported as `row N, column C: message`, and any problem means nobody is
marked. A number outside the importer's own scope reads as unknown, so a file reveals
nothing about other units. Then everyone is marked present (method "import"), which
credits their hours once; people already present are counted, not marked again, so
importing the same file twice changes nothing.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import Attendance
from models import Person
from models import TrainingSession
from models import Unit
from models import User
from models.base import utcnow
from services import audit
from services import scope
from services.errors import Conflict
from services.errors import ValidationFailed
from services.import_support import chunks
from services.roster import active_clause
from services.session_attendance import mark_present
from services.session_window import opens_at
from services.tabular import Column
from services.tabular import problem
from services.tabular import read_table
from services.training_sessions import MANAGE_KINDS
from services.training_sessions import check_may_manage
from services.training_sessions import session_date

NUMBER = Column("number", ("number", "工号/学号", "工号", "学号", "学号/工号", "工号或学号"))


@dataclass
class AttendanceImport:
    """How many the file marked present now, and how many were present already."""

    new: int = 0
    already_present: int = 0
    dry_run: bool = False


def read_numbers(source: Any) -> tuple[dict[str, int], str, list[str]]:
    """number → its row, the column's header, and the problems of the rows themselves."""
    table = read_table(source, [NUMBER])
    header = table.header("number")
    rows: dict[str, int] = {}
    problems: list[str] = []
    for row, values in table.rows:
        number = str(values["number"]).strip()
        if not number:
            problems.append(problem(row, header, _("the number is missing")))
        elif number in rows:
            problems.append(problem(row, header, _("%(number)s is listed twice (first on row "
                                                   "%(row)d)", number=number, row=rows[number])))
        else:
            rows[number] = row
    return rows, header, problems


def members(session: TrainingSession, numbers: list[str]) -> dict[str, Person]:
    """Of `numbers`, the people with a role in the session's unit subtree on its date."""
    day = session_date(session)
    inside = (select(Assignment.person_id).join(Unit, Unit.id == Assignment.unit_id)
              .where(scope.subtree_filter(session.unit), active_clause(day)))
    found: dict[str, Person] = {}
    for chunk in chunks(numbers):
        for person in db.session.scalars(select(Person).where(Person.number.in_(chunk),
                                                              Person.id.in_(inside))):
            found[person.number] = person
    return found


def visible(numbers: list[str], by: User | None) -> set[str]:
    """Of `numbers`, those of people the importer may see (all of them for the CLI)."""
    seen: set[str] = set()
    for chunk in chunks(numbers):
        stmt = select(Person.number).where(Person.number.in_(chunk))
        if by is not None:
            stmt = stmt.where(scope.person_filter(by, MANAGE_KINDS))
        seen.update(db.session.scalars(stmt))
    return seen


def import_attendance(session: TrainingSession, source: Any, *, by: User | None,
                      dry_run: bool = False, now: datetime | None = None) -> AttendanceImport:
    """Mark everyone the file lists present, or nobody if any row has a problem."""
    now = now or utcnow()
    if by is not None:
        check_may_manage(by, session)
    if session.cancelled_at is not None:
        raise Conflict(_("This session was cancelled."))
    if now < opens_at(session):
        raise Conflict(_("Attendance can be taken from 30 minutes before the session starts."))
    rows, header, problems = read_numbers(source)
    people = members(session, list(rows))
    missing = [n for n in rows if n not in people]
    known = visible(missing, by) if missing else set()
    for number in missing:
        message = (_("%(number)s is not in %(unit)s", number=number, unit=session.unit.name)
                   if number in known else _("no person has the number %(number)s", number=number))
        problems.append(problem(rows[number], header, message))
    if problems:
        problems.sort(key=lambda text: int(text.split(",", 1)[0].removeprefix("row ")))
        raise ValidationFailed(problems)
    result = AttendanceImport(dry_run=dry_run)
    if dry_run:
        present = already_present(session, [p.id for p in people.values()])
        result.already_present = len(present)
        result.new = len(people) - len(present)
        return result
    for number in sorted(rows, key=rows.get):
        if mark_present(session, people[number], "import", by=by, now=now):
            result.new += 1
        else:
            result.already_present += 1
    audit.record("session.attendance", by=by, target=("training_session", session.id),
                 method="import", marked=result.new, already=result.already_present)
    return result


def already_present(session: TrainingSession, person_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for chunk in chunks(person_ids):
        found.update(db.session.scalars(select(Attendance.person_id).where(
            Attendance.session_id == session.id, Attendance.person_id.in_(chunk),
            Attendance.present_at.is_not(None))))
    return found
