"""The units and people behind a subtree's coverage figures (SPEC §5): the (unit, role)
pairs with vacancies, and the holders behind assigned / certified / expiring /
uncertified — paginated, searchable lists built on the same subqueries as the figures."""
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from sqlalchemy import or_
from sqlalchemy import select

from extensions import db
from models import Role
from models import StaffingRule
from models import Unit
from services.coverage import EXPIRING_DAYS
from services.coverage import checked_day
from services.coverage import holder_rows
from services.coverage import unit_rule_rows


@dataclass
class Vacancy:
    unit: str
    name: str
    kind: str
    role: str
    required: int
    assigned: int

    @property
    def vacancies(self) -> int:
        return self.required - self.assigned

    def as_dict(self) -> dict:
        return {"unit": self.unit, "name": self.name, "kind": self.kind, "role": self.role,
                "required": self.required, "assigned": self.assigned, "vacancies": self.vacancies}


def vacancies(root: Unit, as_of: date | None = None, role: str | None = None, page=1,
              per_page: int | None = None, q: str | None = None):
    """The (unit, role) pairs behind the subtree's `vacancies`, by unit code then role: a Page
    of Vacancy. `role` narrows to one role code (unknown → an empty page)."""
    from services.pagination import paginate

    as_of = checked_day(as_of)
    rules = list(db.session.scalars(select(StaffingRule)))
    rows = unit_rule_rows(root, as_of, rules)
    stmt = (select(rows.c.code, rows.c.name, rows.c.kind, Role.code, rows.c.required,
                   rows.c.assigned)
            .join(Role, Role.id == rows.c.role_id)
            .where(rows.c.required > rows.c.assigned)
            .order_by(rows.c.code, Role.code))
    if role:
        stmt = stmt.where(Role.code == role)
    if q:
        pattern = f"%{q}%"
        stmt = stmt.where(or_(rows.c.code.like(pattern), rows.c.name.like(pattern)))
    found = paginate(stmt, page, per_page)
    found.items = [Vacancy(*row) for row in found.items]
    return found


#: which holders a list shows: the people behind `certified`, `expiring`, `uncertified`
HOLDER_FILTERS = ("assigned", "certified", "expiring", "uncertified")


def holders(root: Unit, as_of: date | None = None, which: str = "assigned",
            role: str | None = None, q: str | None = None, page=1, per_page: int | None = None):
    """A Page of (Person, Unit, role code, best expiry) behind one of the subtree's figures,
    by unit code then number; `q` searches name or number."""
    from models import Person
    from services.pagination import paginate

    as_of = checked_day(as_of)
    rows = holder_rows(root, as_of)
    stmt = (select(Person, Unit, Role.code, rows.c.best)
            .join(Person, Person.id == rows.c.person_id)
            .join(Unit, Unit.id == rows.c.unit_id)
            .join(Role, Role.id == rows.c.role_id)
            .order_by(Unit.code, Person.number, Role.code))
    if which == "certified":
        stmt = stmt.where(rows.c.best.is_not(None))
    elif which == "expiring":
        stmt = stmt.where(rows.c.best < as_of + timedelta(days=EXPIRING_DAYS))
    elif which == "uncertified":
        stmt = stmt.where(rows.c.best.is_(None))
    if role:
        stmt = stmt.where(Role.code == role)
    if q:
        pattern = f"%{q}%"
        stmt = stmt.where(or_(Person.name.like(pattern), Person.number.like(pattern)))
    return paginate(stmt, page, per_page)
