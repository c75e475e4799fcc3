"""What a user may see: every unit and person query goes through here.

A grant on a unit covers its subtree. Subtrees are one indexed filter thanks to the
ancestor columns on Unit. Anything outside answers NotFound, exactly as if it did
not exist.
"""
from flask_babel import gettext as _
from sqlalchemy import ColumnElement
from sqlalchemy import Row
from sqlalchemy import bindparam
from sqlalchemy import false
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import true

from extensions import db
from models import Assignment
from models import Person
from models import Unit
from models import User
from services.core_reads import read
from services.errors import NotFound
from services.errors import OutOfScope

#: the grant kinds that may read roster data, and those that may change it
READ_KINDS = ("admin", "trainer", "auditor")
WRITE_KINDS = ("admin",)


#: the column every unit below a unit of this kind holds its id in
ANCESTOR_COLUMNS = {
    "province": Unit.province_id,
    "university": Unit.university_id,
    "college": Unit.college_id,
    "class": Unit.class_id,
}


def subtree_filter(unit: Unit) -> ColumnElement[bool]:
    """A WHERE clause matching `unit` and everything below it."""
    return ANCESTOR_COLUMNS.get(unit.kind, Unit.id) == unit.id


def unit_filter(user: User | None, kinds: tuple[str, ...] = READ_KINDS) -> ColumnElement[bool]:
    """A WHERE clause on Unit for the units `user` may see through grants of `kinds`."""
    if user is None:
        return false()
    if user.is_superadmin:
        return true()
    clauses = [subtree_filter(g.unit) for g in user.grants if g.kind in kinds and g.unit]
    return or_(*clauses) if clauses else false()


def person_filter(user: User | None, kinds: tuple[str, ...] = READ_KINDS) -> ColumnElement[bool]:
    """A WHERE clause on Person: someone with an assignment at a unit in scope."""
    if user is not None and user.is_superadmin:
        return true()
    in_scope = (
        select(Assignment.person_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(unit_filter(user, kinds))
    )
    return Person.id.in_(in_scope)


def has_any_grant(user: User | None, kinds: tuple[str, ...] = READ_KINDS) -> bool:
    if user is None:
        return False
    return user.is_superadmin or any(g.kind in kinds for g in user.grants)


def can(user: User | None, kinds: tuple[str, ...], unit: Unit) -> bool:
    """Whether one of the user's grants of `kinds` covers `unit`."""
    if user is None:
        return False
    if user.is_superadmin:
        return True
    return any(
        g.kind in kinds and g.unit is not None and covers(g.unit, unit) for g in user.grants
    )


def covers(root: Unit, unit: Unit) -> bool:
    """Whether `unit` lies in the subtree of `root` (no query)."""
    if root.kind == "province":
        return unit.province_id == root.id
    if root.kind == "university":
        return unit.university_id == root.id
    if root.kind == "college":
        return unit.college_id == root.id
    if root.kind == "class":
        return unit.class_id == root.id
    return unit.id == root.id


UNIT_BY_CODE = select(Unit).where(Unit.code == bindparam("code"))
UNIT_ROW_BY_CODE = select(*Unit.__table__.columns).where(Unit.code == bindparam("code"))


def get_unit(user: User | None, code: str, kinds: tuple[str, ...] = READ_KINDS) -> Unit:
    """The unit with `code` if the user may see it, else NotFound."""
    return visible_unit(user, kinds, db.session.scalar(UNIT_BY_CODE, {"code": code}))


def get_unit_row(user: User | None, code: str, kinds: tuple[str, ...] = READ_KINDS) -> Row:
    """As get_unit, as a plain row whose columns read as a Unit's attributes: for callers
    that only read it (the API), at a third of the cost of loading the entity."""
    return visible_unit(user, kinds, read(UNIT_ROW_BY_CODE, {"code": code}).first())


def visible_unit(user: User | None, kinds: tuple[str, ...], unit):
    if unit is None:
        raise NotFound(_("No such unit."))
    if not can(user, kinds, unit):
        raise OutOfScope(_("No such unit."), target=("unit", unit.code))
    return unit


def get_person(user: User | None, number: str, kinds: tuple[str, ...] = READ_KINDS) -> Person:
    """The person with `number` if one of their assignments is in scope, else NotFound."""
    person = db.session.scalar(
        select(Person).where(Person.number == number, person_filter(user, kinds))
    )
    if person is None:
        if db.session.scalar(select(Person.id).where(Person.number == number)) is not None:
            raise OutOfScope(_("No such person."), target=("person", number))
        raise NotFound(_("No such person."))
    return person


def root_units(user: User | None, kinds: tuple[str, ...] = READ_KINDS) -> list[Unit]:
    """The tops of what the user may see: all universities, or their granted units."""
    if user is None:
        return []
    if user.is_superadmin:
        return list(
            db.session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.code))
        )
    units = {g.unit.id: g.unit for g in user.grants if g.kind in kinds and g.unit}
    tops = [u for u in units.values() if not any(
        other.id != u.id and covers(other, u) for other in units.values())]
    return sorted(tops, key=lambda u: u.code)
