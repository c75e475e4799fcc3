"""Creating units with their ancestor ids, the basis of one-filter subtrees."""
from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from models import Unit
from models.org import OPTIONAL_PARENT
from models.org import PARENT_KIND
from services.errors import DomainError
from services.errors import NotFound
from services.labels import kind_noun


def ancestor_ids(kind: str, unit_id: int | None, parent: Unit | None) -> dict[str, int | None]:
    """The province_id / university_id / college_id / class_id a unit of `kind` under
    `parent` carries.

    A unit carries its own id at its own level, so `college_id == C` selects the
    college C and everything below it.
    """
    ids = {
        "province_id": parent.province_id if parent else None,
        "university_id": parent.university_id if parent else None,
        "college_id": parent.college_id if parent else None,
        "class_id": parent.class_id if parent else None,
    }
    if kind == "province":
        ids = {"province_id": unit_id, "university_id": None, "college_id": None, "class_id": None}
    elif kind == "university":
        ids.update(university_id=unit_id, college_id=None, class_id=None)
    elif kind == "college":
        ids["college_id"] = unit_id
    elif kind == "class":
        ids["class_id"] = unit_id
    elif kind == "building":
        ids["college_id"] = ids["class_id"] = None
    return ids


def check_parent(kind: str, parent: Unit | None) -> None:
    """Raise unless `parent` is the kind of unit a `kind` unit must sit under."""
    expected = PARENT_KIND[kind]
    if parent is not None and parent.kind == OPTIONAL_PARENT.get(kind):
        return
    if expected is None and parent is not None:
        if kind in OPTIONAL_PARENT:
            raise DomainError(_("A university sits at the top or under a province."))
        raise DomainError(_("A province has no parent unit."))
    if expected is not None and (parent is None or parent.kind != expected):
        raise DomainError(_("A %(kind)s must sit under a %(parent)s.", kind=kind_noun(kind),
                               parent=kind_noun(expected)))


def create_unit(code: str, name: str, kind: str, parent: Unit | None = None,
                students: int | None = None) -> Unit:
    """Add one unit under `parent`, filling its ancestor ids."""
    check_parent(kind, parent)
    unit = Unit(code=code, name=name, kind=kind, parent=parent, students=students)
    db.session.add(unit)
    db.session.flush()
    for column, value in ancestor_ids(kind, unit.id, parent).items():
        setattr(unit, column, value)
    db.session.flush()
    return unit


def unit_by_code(code: str) -> Unit:
    """The unit with `code`, for the shell (no scope: the operator sees everything)."""
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise NotFound(_("No such unit: %(code)s", code=code))
    return unit
