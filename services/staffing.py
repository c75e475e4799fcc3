"""Required roles at a unit: students(U), required, assigned, vacancies (SPEC §5).

Only U itself is looked at here; subtree roll-ups belong to coverage. A fixed number of
queries whatever the size of the unit.
"""
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from functools import cache

from sqlalchemy import Select
from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import aliased

from extensions import db
from models import Assignment
from models import Person
from models import Role
from models import StaffingRule
from models import Unit
from services import scope
from services.core_reads import read
from services.roster import active_clause

#: the levels that have an ancestor column on Unit, top down
LEVELS = ("province", "university", "college", "class")


@dataclass
class RoleStaffing:
    """One required role at a unit: how many it needs and who holds it."""

    role: Role
    required: int
    holders: list[Person] = field(default_factory=list)

    @property
    def assigned(self) -> int:
        return len(self.holders)

    @property
    def vacancies(self) -> int:
        return max(0, self.required - self.assigned)


def unit_students(unit: Unit) -> int:
    """students(U) of SPEC §5: the unit's own count, else the sum over its children.

    Applied recursively this sums every descendant whose own count is set and that has
    no counted unit between it and `unit` (that unit's figure already includes it): one
    query over the subtree through the ancestor columns, whatever its size. A building is
    a child of its university like any other, as SPEC §5 is written: a university whose
    buildings carry counts should carry its own count too, or residents count twice.
    """
    if unit.students is not None:
        return unit.students
    if unit.kind not in LEVELS:
        return 0  # dorms and buildings have no children
    return int(read(students_below(unit.kind), {"unit_id": unit.id}).scalar() or 0)


@cache
def students_below(kind: str) -> Select:
    """unit_students' statement for a unit of `kind`, built once per kind (building it is
    most of its cost) and given the unit's id as `unit_id`."""
    unit_id = bindparam("unit_id")
    column = scope.ANCESTOR_COLUMNS[kind]
    stmt = (
        select(func.coalesce(func.sum(Unit.students), 0))
        .select_from(Unit)
        .where(column == unit_id, Unit.id != unit_id, Unit.students.is_not(None))
    )
    for level in LEVELS[LEVELS.index(kind) + 1:]:
        between = aliased(Unit)
        column = getattr(Unit, f"{level}_id")
        stmt = stmt.outerjoin(between, (between.id == column) & (between.id != Unit.id))
        stmt = stmt.where(between.students.is_(None))
    return stmt


def unit_staffing(unit: Unit, on: date | None = None, *,
                  students: int | None = None) -> list[RoleStaffing]:
    """The roles `unit`'s kind requires with their holders on `on`, sorted by role code.

    Three queries at most (rules, students when a rule counts them, holders).
    """
    on = on or date.today()
    rules = list(db.session.scalars(select(StaffingRule).where(StaffingRule.unit_kind == unit.kind)))
    if not rules:
        return []
    if students is None and any(rule.per_students for rule in rules):
        students = unit_students(unit)
    rows = {rule.role_id: RoleStaffing(rule.role, rule.required_for(students)) for rule in rules}
    holders = db.session.execute(
        select(Assignment.role_id, Person)
        .join(Person, Person.id == Assignment.person_id)
        .where(Assignment.unit_id == unit.id, Assignment.role_id.in_(rows), active_clause(on))
        .distinct()
        .order_by(Person.number)
    )
    for role_id, person in holders:
        rows[role_id].holders.append(person)
    return sorted(rows.values(), key=lambda row: row.role.code)
