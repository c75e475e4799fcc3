"""The roles a person holds today, as plain values for the dashboard.

`roster.current_roles` loads Assignment entities with their role and unit, which pages
that change assignments need. The dashboard only shows them, once per view: one Core
row each (services/core_reads.py) costs a fraction of three entities each.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam
from sqlalchemy import select

from models import Assignment
from models import Role
from models import Unit
from services.core_reads import read
from services.roster import active_clause


@dataclass(frozen=True)
class RoleRef:
    code: str
    kind: str
    name: str
    name_en: str

    def label(self, locale: str) -> str:
        """As Role.label: English where asked for and given."""
        return self.name_en if locale.startswith("en") and self.name_en else self.name


@dataclass(frozen=True)
class UnitRef:
    code: str
    name: str


@dataclass(frozen=True)
class RoleHeld:
    """One active assignment: the same attribute paths as an Assignment (a.role.label(),
    a.unit.name, a.start), so a template reads either."""
    role: RoleRef
    unit: UnitRef
    start: date
    end: date | None


ROLES_HELD = (select(Role.code, Role.kind, Role.name, Role.name_en, Unit.code, Unit.name,
                     Assignment.start, Assignment.end)
              .join(Role, Role.id == Assignment.role_id)
              .join(Unit, Unit.id == Assignment.unit_id)
              .where(Assignment.person_id == bindparam("person_id"),
                     active_clause(bindparam("on")))
              .order_by(Assignment.start, Assignment.id))


def roles_held(person_id: int, on: date | None = None) -> list[RoleHeld]:
    """The person's assignments active on `on` (default today), oldest first (as
    roster.current_roles orders them; ties in the order they were made)."""
    return [RoleHeld(RoleRef(code, kind, name, name_en or ""), UnitRef(unit_code, unit_name),
                     start, end)
            for code, kind, name, name_en, unit_code, unit_name, start, end
            in read(ROLES_HELD, {"person_id": person_id, "on": on or date.today()})]
