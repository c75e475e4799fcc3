"""Approved hours of a year, rolled up by unit and by role: set-based SQL, fixed query count.

Who counts: people holding a role at a unit in the subtree at some time during the
year (assignment start ≤ 31 Dec and no end or end ≥ 1 Jan). What counts: their approved
entries dated in that calendar year, from every source, whatever role earned them. A
person holding roles under two children counts in both children, once in the total.

Roll-up uses the Unit ancestor columns: under a university the child is `college_id`
(a building is its own child), under a college `class_id`, under a class the dorm.
People placed directly at the chosen unit form their own row ("at this unit itself").
"""
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from sqlalchemy import ColumnElement
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import HourEntry
from models import Person
from models import Role
from models import Unit
from services.pagination import Page
from services.pagination import paginate
from services.scope import subtree_filter


@dataclass
class Figures:
    people: int
    #: people with at least one approved hour in the year
    with_hours: int
    hours: float

    @property
    def average(self) -> float:
        return self.hours / self.people if self.people else 0.0


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def active_in_year(year: int) -> ColumnElement[bool]:
    """Assignments held at some time during the year."""
    first, last = year_bounds(year)
    return (Assignment.start <= last) & or_(Assignment.end.is_(None), Assignment.end >= first)


def person_hours(year: int):
    """Subquery: person_id, approved hours dated in the year."""
    first, last = year_bounds(year)
    return (select(HourEntry.person_id, func.sum(HourEntry.hours).label("hours"))
            .where(HourEntry.status == "approved", HourEntry.date >= first, HourEntry.date <= last)
            .group_by(HourEntry.person_id).subquery("person_hours"))


def child_key(unit: Unit) -> ColumnElement:
    """For a Unit row in `unit`'s subtree: the id of the direct child of `unit` holding it
    (or `unit`'s own id for `unit` itself)."""
    if unit.kind == "province":
        return func.coalesce(Unit.university_id, Unit.id)
    if unit.kind == "university":
        return func.coalesce(Unit.college_id, Unit.id)
    if unit.kind == "college":
        return func.coalesce(Unit.class_id, Unit.id)
    return Unit.id


def _summed(pairs, year: int, *group):
    """people, people with hours and hours over distinct (group…, person) pairs."""
    hours = person_hours(year)
    return (select(*[pairs.c[g] for g in group],
                   func.count(pairs.c.person_id).label("people"),
                   func.count(hours.c.person_id).label("with_hours"),
                   func.coalesce(func.sum(hours.c.hours), 0.0).label("hours"))
            .select_from(pairs).outerjoin(hours, hours.c.person_id == pairs.c.person_id)
            .group_by(*[pairs.c[g] for g in group]))


def _held(unit: Unit, year: int, *columns):
    """Distinct (columns…, person_id) of assignments in the subtree held during the year."""
    return (select(*columns, Assignment.person_id).distinct()
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(subtree_filter(unit), active_in_year(year)))


def unit_total(unit: Unit, year: int) -> Figures:
    """The whole subtree, each person once."""
    pairs = _held(unit, year).subquery("pairs")
    people, with_hours, hours = db.session.execute(_summed(pairs, year)).one()
    return Figures(people or 0, with_hours or 0, float(hours or 0))


def _by_child_stmt(unit: Unit, year: int):
    pairs = _held(unit, year, child_key(unit).label("child_id")).subquery("pairs")
    sums = _summed(pairs, year, "child_id").subquery("sums")
    return (select(Unit, func.coalesce(sums.c.people, 0), func.coalesce(sums.c.with_hours, 0),
                   func.coalesce(sums.c.hours, 0.0))
            .outerjoin(sums, sums.c.child_id == Unit.id)
            .where(or_(Unit.parent_id == unit.id, (Unit.id == unit.id) & (sums.c.people > 0)))
            .order_by((Unit.id != unit.id), Unit.code))


def _figures(row) -> tuple[Unit, Figures]:
    return row[0], Figures(int(row[1]), int(row[2]), float(row[3]))


def by_child(unit: Unit, year: int, page=1) -> Page:
    """A page of rows (unit, Figures) for `unit` itself and its direct children, by code.

    Children with nobody in them are listed with zeros; `unit` itself only when people
    are placed directly at it.
    """
    found = paginate(_by_child_stmt(unit, year), page)
    found.items = [_figures(row) for row in found.items]
    return found


def all_children(unit: Unit, year: int):
    """Every row of `by_child`, unpaginated, for the export."""
    for row in db.session.execute(_by_child_stmt(unit, year)):
        yield _figures(row)


def by_role(unit: Unit, year: int) -> list[tuple[Role, Figures]]:
    """Rows (role, Figures) for every role held in the subtree during the year, by code."""
    pairs = _held(unit, year, Assignment.role_id.label("role_id")).subquery("pairs")
    sums = _summed(pairs, year, "role_id").subquery("sums")
    rows = db.session.execute(select(Role, sums.c.people, sums.c.with_hours, sums.c.hours)
                              .join(sums, sums.c.role_id == Role.id).order_by(Role.code))
    return [(role, Figures(int(p), int(w), float(h))) for role, p, w, h in rows]


def person_rows(unit: Unit, year: int):
    """(number, name, roles, units, hours) per person in the subtree, by number, streamed.

    One query ordered by person; the roles and units of consecutive rows are joined here.
    """
    held = _held(unit, year, Role.name.label("role"), Unit.code.label("unit_code"),
                 Unit.name.label("unit_name")).join(Role, Role.id == Assignment.role_id) \
        .subquery("held")
    hours = person_hours(year)
    stmt = (select(Person.number, Person.name, held.c.role, held.c.unit_code, held.c.unit_name,
                   func.coalesce(hours.c.hours, 0.0))
            .join(held, held.c.person_id == Person.id)
            .outerjoin(hours, hours.c.person_id == Person.id)
            .order_by(Person.number, held.c.role, held.c.unit_code)
            .execution_options(yield_per=1000))
    for (number, name), rows in groupby(db.session.execute(stmt), key=lambda r: (r[0], r[1])):
        rows = list(rows)
        roles = list(dict.fromkeys(r[2] for r in rows))
        units = list(dict.fromkeys(f"{r[4]} ({r[3]})" for r in rows))
        yield number, name, "、".join(roles), "、".join(units), float(rows[0][5])
