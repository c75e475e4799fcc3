"""A subtree's coverage as a workbook for the education department: a summary, one sheet
per level (a row per unit and required role), the vacancies, and who expires soon.

Every sheet is one streamed query (rows are never all in memory), so a university of
tens of thousands of dorm rooms exports in seconds.
"""
from datetime import date
from datetime import timedelta
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from extensions import db
from models import Person
from models import Role
from models import StaffingRule
from models import Unit
from services import coverage
from services.exports import write_xlsx
from services.labels import kind_label

STREAM = {"yield_per": 2000}
#: the kinds of unit a subtree rooted at each kind may hold, top down: one sheet each
SUBTREE_KINDS = {
    "province": ("province", "university", "college", "class", "dorm", "building"),
    "university": ("university", "college", "class", "dorm", "building"),
    "college": ("college", "class", "dorm"),
    "class": ("class", "dorm"),
    "dorm": ("dorm",),
    "building": ("building",),
}


def role_names() -> dict[str, str]:
    return dict(db.session.execute(select(Role.code, Role.name)).all())


def summary_rows(result: coverage.Coverage, names: dict[str, str]):
    for r in result.root.sorted_roles():
        yield (names.get(r.role, r.role), r.role, r.required, r.assigned, r.certified, r.expiring,
               r.vacancies, r.uncertified, round(r.coverage, 3))


def level_rows(rows, kind: str, names: dict[str, str]):
    parent = aliased(Unit)
    stmt = (select(rows.c.code, rows.c.name, parent.code, Role.code, rows.c.required,
                   rows.c.assigned, rows.c.certified, rows.c.expiring)
            .join(Role, Role.id == rows.c.role_id)
            .outerjoin(parent, parent.id == rows.c.parent_id)
            .where(rows.c.kind == kind)
            .order_by(rows.c.code, Role.code))
    for code, name, parent_code, role, required, assigned, certified, expiring in \
            db.session.execute(stmt.execution_options(**STREAM)):
        met = assigned >= required and certified >= required
        yield (code, name, parent_code or "", names.get(role, role), required, assigned, certified,
               expiring, max(0, required - assigned), assigned - certified,
               _("yes") if met else _("no"))


def vacancy_rows(rows, names: dict[str, str]):
    stmt = (select(rows.c.code, rows.c.name, rows.c.kind, Role.code, rows.c.required, rows.c.assigned)
            .join(Role, Role.id == rows.c.role_id)
            .where(rows.c.required > rows.c.assigned)
            .order_by(rows.c.code, Role.code))
    for code, name, kind, role, required, assigned in db.session.execute(stmt.execution_options(**STREAM)):
        yield (code, name, kind_label(kind), names.get(role, role), required, assigned,
               required - assigned)


def expiring_rows(holders, as_of: date, names: dict[str, str]):
    stmt = (select(Person.number, Person.name, Role.code, Unit.code, Unit.name, holders.c.best)
            .join(Person, Person.id == holders.c.person_id)
            .join(Unit, Unit.id == holders.c.unit_id)
            .join(Role, Role.id == holders.c.role_id)
            .where(holders.c.best < as_of + timedelta(days=coverage.EXPIRING_DAYS))
            .order_by(holders.c.best, Person.number))
    for number, name, role, code, unit_name, best in db.session.execute(stmt.execution_options(**STREAM)):
        yield (number, name, names.get(role, role), code, unit_name, best)


def export_coverage(root: Unit, target: str | IO[bytes], as_of: date | None = None) -> None:
    """Write the workbook of `root`'s subtree on `as_of` to a path or binary stream."""
    as_of = coverage.checked_day(as_of)
    names = role_names()
    result = coverage.compute_coverage(root, as_of)
    rules = list(db.session.scalars(select(StaffingRule)))
    rows = coverage.unit_rule_rows(root, as_of, rules)
    figures = [_("Required"), _("Assigned"), _("Certified"), _("Expiring in 30 days"),
               _("Vacancies"), _("Uncertified")]
    ruled = {rule.unit_kind for rule in rules}
    kinds = [kind for kind in SUBTREE_KINDS[root.kind] if kind in ruled]
    sheets = [(_("Summary"), [_("Role"), _("Role code"), *figures, _("Coverage")],
               summary_rows(result, names))]
    for kind in kinds:
        sheets.append((kind_label(kind), [_("Unit code"), _("Unit"), _("Parent code"), _("Role"),
                                          *figures, _("Compliant")],
                       level_rows(rows, kind, names)))
    sheets.append((_("Vacancies"), [_("Unit code"), _("Unit"), _("Kind"), _("Role"), _("Required"),
                                    _("Assigned"), _("Vacancies")], vacancy_rows(rows, names)))
    sheets.append((_("Expiring soon"), [_("Number"), _("Name"), _("Role"), _("Unit code"), _("Unit"),
                                        _("Expires")],
                   expiring_rows(coverage.holder_rows(root, as_of), as_of, names)))
    write_xlsx(target, sheets)
