"""Coverage (SPEC §5): is every required role filled, and by someone certified?

Computed live and set-based for any `as_of`: one statement aggregates every (unit, rule)
pair of the subtree — required from the rule and the unit's students, assigned and
certified from active assignments and valid certificates — grouped by the root's direct
child each unit lies under, and a second counts compliant units the same way. The query
count is fixed whatever the size of the subtree; no Python loop runs over units.
"""
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import false
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import true
from sqlalchemy import union_all
from sqlalchemy.orm import aliased

from extensions import db
from models import Assignment
from models import Certificate
from models import Program
from models import Role
from models import StaffingRule
from models import Unit
from services import scope
from services.errors import DomainError
from services.roster import active_clause
from services.staffing import LEVELS

#: "expiring" = certified, with the best certificate ending before as_of + this
EXPIRING_DAYS = 30
#: the years a coverage may be asked for (date arithmetic near year 9999 overflows)
FIRST_YEAR, LAST_YEAR = 1900, 9000
FIGURES = ("required", "assigned", "certified", "expiring", "vacancies", "uncertified")


@dataclass
class RoleFigures:
    role: str
    required: int = 0
    assigned: int = 0
    certified: int = 0
    expiring: int = 0
    vacancies: int = 0
    #: Σ min(certified, required) over the units, the numerator of coverage
    covered: int = 0

    @property
    def uncertified(self) -> int:
        return self.assigned - self.certified

    @property
    def coverage(self) -> float:
        return self.covered / self.required if self.required else 1.0

    def add(self, other: "RoleFigures") -> None:
        for name in ("required", "assigned", "certified", "expiring", "vacancies", "covered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {"role": self.role, **{name: getattr(self, name) for name in FIGURES},
                "coverage": round(self.coverage, 3)}


@dataclass
class Subtree:
    """The figures of one subtree: its roles, and its units with rules and how many comply."""

    unit: Unit | None
    roles: dict[str, RoleFigures] = field(default_factory=dict)
    units_total: int = 0
    units_compliant: int = 0
    #: students(U) of the subtree's top, when known (a province's snapshots carry it)
    students: int | None = None

    def role(self, code: str) -> RoleFigures:
        return self.roles.setdefault(code, RoleFigures(code))

    @property
    def required(self) -> int:
        return sum(r.required for r in self.roles.values())

    @property
    def coverage(self) -> float:
        required = self.required
        return sum(r.covered for r in self.roles.values()) / required if required else 1.0

    @property
    def compliant(self) -> bool:
        return self.units_compliant == self.units_total

    def sorted_roles(self) -> list[RoleFigures]:
        return [self.roles[code] for code in sorted(self.roles)]


@dataclass
class Coverage:
    root: Subtree
    students: int | None
    as_of: date
    children: list[Subtree]

    def as_dict(self) -> dict:
        unit = self.root.unit
        return {
            "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind,
                     "students": self.students},
            "as_of": self.as_of.isoformat(),
            "roles": [r.as_dict() for r in self.root.sorted_roles()],
            "units": {"total": self.root.units_total, "compliant": self.root.units_compliant},
            "children": [child_dict(c) for c in self.children],
        }


def child_dict(child: Subtree) -> dict:
    return {"code": child.unit.code, "name": child.unit.name, "kind": child.unit.kind,
            "compliant": child.compliant, "coverage": round(child.coverage, 3),
            "units": {"total": child.units_total, "compliant": child.units_compliant},
            "roles": [r.as_dict() for r in child.sorted_roles()]}


def child_key(root: Unit) -> ColumnElement:
    """For a unit of the subtree, the id of the root's direct child it lies under (its own id
    when it is that child, the root's id for the root itself)."""
    if root.kind == "province":
        return case((Unit.id == root.id, Unit.id), else_=func.coalesce(Unit.university_id, Unit.id))
    if root.kind == "university":
        # colleges and buildings are the children; classes and dorms carry college_id
        return case((Unit.id == root.id, Unit.id), else_=func.coalesce(Unit.college_id, Unit.id))
    if root.kind == "college":
        return case((Unit.id == root.id, Unit.id), else_=func.coalesce(Unit.class_id, Unit.id))
    return Unit.id  # a class's children are its dorms; dorms and buildings have none


def derived_students(root: Unit, kinds: set[str], within: ColumnElement[bool] = true()):
    """students(X) for units X of `kinds` in the subtree that have no count of their own:
    the sum over their descendants with a count and no counted unit in between (as
    services.staffing.unit_students, grouped). A subquery (unit_id, students)."""
    parts = []
    for kind in kinds & set(LEVELS):
        below = Unit
        column = getattr(below, f"{kind}_id")
        stmt = (select(column.label("unit_id"), func.sum(below.students).label("students"))
                .where(scope.subtree_filter(root), within, column.is_not(None), below.id != column,
                       below.students.is_not(None)))
        for level in LEVELS[LEVELS.index(kind) + 1:]:
            between = aliased(Unit)
            stmt = stmt.outerjoin(between, (between.id == getattr(below, f"{level}_id"))
                                  & (between.id != below.id))
            stmt = stmt.where(between.students.is_(None))
        parts.append(stmt.group_by(column))
    if not parts:
        return select(literal(0).label("unit_id"), literal(0).label("students")).where(false())\
            .subquery("derived")
    return (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("derived")


def certificate_match(as_of: date, programs_by_role: dict[int, list[int]]) -> ColumnElement[bool]:
    """A valid certificate (issued ≤ as_of < expires, not revoked by then) of a program
    covering the assignment's role."""
    revoked_after = datetime.combine(as_of + timedelta(days=1), time())
    pairs = [and_(Assignment.role_id == role_id, Certificate.program_id.in_(program_ids))
             for role_id, program_ids in programs_by_role.items() if program_ids]
    return and_(
        Certificate.person_id == Assignment.person_id,
        Certificate.issued <= as_of, Certificate.expires > as_of,
        or_(Certificate.revoked_at.is_(None), Certificate.revoked_at >= revoked_after),
        or_(*pairs) if pairs else false(),
    )


def programs_by_role() -> dict[int, list[int]]:
    """role id → ids of the programs whose `roles` include it (programs are few)."""
    role_ids = dict(db.session.execute(select(Role.code, Role.id)).all())
    mapping: dict[int, list[int]] = {}
    for program_id, roles in db.session.execute(select(Program.id, Program.roles)):
        for code in roles or []:
            if code in role_ids:
                mapping.setdefault(role_ids[code], []).append(program_id)
    return mapping


def holder_rows(root: Unit, as_of: date, within: ColumnElement[bool] = true()):
    """One row per active holder of a required role at a unit of the subtree: unit, role,
    person and the expiry of their best valid certificate for that role (None: uncertified).
    A subquery."""
    return (
        select(Assignment.unit_id, Assignment.role_id, Assignment.person_id,
               func.max(Certificate.expires).label("best"))
        .join(Unit, Unit.id == Assignment.unit_id)
        .join(StaffingRule, and_(StaffingRule.unit_kind == Unit.kind,
                                 StaffingRule.role_id == Assignment.role_id))
        .outerjoin(Certificate, certificate_match(as_of, programs_by_role()))
        # IN (the subtree's unit ids) lets the planner walk the assignments of those units
        # by index instead of scanning every assignment of the province
        .where(Assignment.unit_id.in_(select(Unit.id).where(scope.subtree_filter(root), within)),
               active_clause(as_of))
        .group_by(Assignment.unit_id, Assignment.role_id, Assignment.person_id)
        .subquery("holders")
    )


def unit_rule_rows(root: Unit, as_of: date, rules: list[StaffingRule],
                   within: ColumnElement[bool] = true()):
    """One row per (unit in the subtree, rule of its kind): the unit's child key, role,
    required, assigned, certified, expiring. A subquery; `within` narrows the units."""
    soon = as_of + timedelta(days=EXPIRING_DAYS)
    holders = holder_rows(root, as_of, within)
    counts = (
        select(holders.c.unit_id, holders.c.role_id,
               func.count().label("assigned"),
               func.count(holders.c.best).label("certified"),
               func.sum(case((holders.c.best < soon, 1), else_=0)).label("expiring"))
        .group_by(holders.c.unit_id, holders.c.role_id)
        .subquery("counts")
    )
    per_student_kinds = {rule.unit_kind for rule in rules if rule.per_students}
    derived = derived_students(root, per_student_kinds, within)
    students = func.coalesce(Unit.students, derived.c.students, 0)
    ceiling = (students + StaffingRule.per_students - 1) // StaffingRule.per_students
    required = case(
        (StaffingRule.per_students.is_(None), StaffingRule.min),
        (ceiling > StaffingRule.min, ceiling),
        else_=StaffingRule.min,
    )
    return (
        select(Unit.id.label("unit_id"), Unit.code, Unit.name, Unit.kind, Unit.parent_id,
               child_key(root).label("child"),
               StaffingRule.role_id, required.label("required"),
               func.coalesce(counts.c.assigned, 0).label("assigned"),
               func.coalesce(counts.c.certified, 0).label("certified"),
               func.coalesce(counts.c.expiring, 0).label("expiring"))
        .join(StaffingRule, StaffingRule.unit_kind == Unit.kind)
        .outerjoin(derived, derived.c.unit_id == Unit.id)
        .outerjoin(counts, and_(counts.c.unit_id == Unit.id, counts.c.role_id == StaffingRule.role_id))
        .where(scope.subtree_filter(root), within)
        .subquery("unit_rules")
    )


def subtree_students(root: Unit) -> int | None:
    """students(U) for the page header: None for a dorm or building without a count."""
    from services.staffing import unit_students

    if root.students is None and root.kind not in LEVELS:
        return None
    return unit_students(root)


def aggregate(root: Unit, as_of: date, within: ColumnElement[bool] = true()) -> dict[int, Subtree]:
    """The figures of each of `root`'s direct children's subtrees (and of root's own units,
    under root's id), keyed by unit id: two statements whatever the size. Subtrees come
    back without their `unit`; `within` narrows the units counted."""
    rules = list(db.session.scalars(select(StaffingRule)))
    role_codes = dict(db.session.execute(select(Role.id, Role.code)).all())
    rows = unit_rule_rows(root, as_of, rules, within)
    vacancies = case((rows.c.required > rows.c.assigned, rows.c.required - rows.c.assigned), else_=0)
    covered = case((rows.c.certified < rows.c.required, rows.c.certified), else_=rows.c.required)
    figures = db.session.execute(
        select(rows.c.child, rows.c.role_id,
               func.sum(rows.c.required), func.sum(rows.c.assigned), func.sum(rows.c.certified),
               func.sum(rows.c.expiring), func.sum(vacancies), func.sum(covered))
        .group_by(rows.c.child, rows.c.role_id)
    ).all()
    ok = case((and_(rows.c.assigned >= rows.c.required, rows.c.certified >= rows.c.required), 1),
              else_=0)
    per_unit = (select(rows.c.unit_id, rows.c.child, func.min(ok).label("ok"))
                .group_by(rows.c.unit_id, rows.c.child).subquery("per_unit"))
    compliance = db.session.execute(
        select(per_unit.c.child, func.count(), func.sum(per_unit.c.ok)).group_by(per_unit.c.child)
    ).all()
    parts: dict[int, Subtree] = {}
    for child_id, role_id, *values in figures:
        figure = RoleFigures(role_codes[role_id], *(int(v or 0) for v in values))
        parts.setdefault(child_id, Subtree(None)).role(figure.role).add(figure)
    for child_id, units, compliant in compliance:
        part = parts.setdefault(child_id, Subtree(None))
        part.units_total += int(units)
        part.units_compliant += int(compliant or 0)
    return parts


def checked_day(as_of: date | None) -> date:
    """`as_of`, or today; a day outside FIRST_YEAR..LAST_YEAR is a clear error, not a crash."""
    as_of = as_of or date.today()
    if not FIRST_YEAR <= as_of.year <= LAST_YEAR:
        raise DomainError(_("The date must lie between the years %(first)d and %(last)d.",
                            first=FIRST_YEAR, last=LAST_YEAR))
    return as_of


def compute_coverage(root: Unit, as_of: date | None = None) -> Coverage:
    """The SPEC §5 figures of `root`'s subtree and of each direct child's subtree.

    A province's universities are read from their cached snapshots for today when nothing
    under them changed since (services.coverage_cache); anything else is computed live.
    """
    from services import coverage_cache

    as_of = checked_day(as_of)
    children = {u.id: Subtree(u) for u in db.session.scalars(
        select(Unit).where(Unit.parent_id == root.id).order_by(Unit.code))}
    students = None
    if root.kind == "province" and as_of == date.today():
        parts = coverage_cache.province_parts(root, as_of, list(children))
        students = root.students if root.students is not None else sum(
            parts[uid].students or 0 for uid in children if uid in parts)
    else:
        parts = aggregate(root, as_of)
        students = subtree_students(root)
    own = Subtree(root)
    total = Subtree(root)
    for child_id, part in parts.items():
        target = children.get(child_id, own)
        for figure in part.roles.values():
            target.role(figure.role).add(figure)
            total.role(figure.role).add(figure)
        for subtree in (target, total):
            subtree.units_total += part.units_total
            subtree.units_compliant += part.units_compliant
    return Coverage(root=total, students=students, as_of=as_of, children=list(children.values()))
