"""Importing units from a table (SPEC §3): validate every row, then write level by level.

Kinds fix the levels (province 0; university 1; college and building 2; class 3; dorm 4), so a
file whose parents come after their children is written top-down, each level in one
bulk insert, and every new unit gets its ancestor ids from its already-written parent.
"""
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import insert
from sqlalchemy import update

from extensions import db
from models import Unit
from models.org import OPTIONAL_PARENT
from models.org import PARENT_KIND
from services.import_support import ImportResult
from services.import_support import ImportScope
from services.import_support import UnitRef
from services.import_support import load_units
from services.import_support import load_units_by_id
from services.labels import kind_noun
from services.tabular import Column
from services.tabular import Table
from services.tabular import parse_count
from services.tabular import problem
from services.units import ancestor_ids

COLUMNS = [
    Column("code", ("code", "单位编码", "编码")),
    Column("name", ("name", "单位名称", "名称")),
    Column("kind", ("kind", "类型", "单位类型")),
    Column("parent", ("parent", "上级编码", "上级单位编码")),
    Column("students", ("students", "学生人数"), required=False),
]
KINDS = {
    "province": "province", "省": "province", "省份": "province", "省级": "province",
    "university": "university", "学校": "university", "大学": "university", "高校": "university",
    "college": "college", "学院": "college", "院系": "college",
    "class": "class", "班级": "class", "班": "class",
    "dorm": "dorm", "寝室": "dorm", "宿舍": "dorm",
    "building": "building", "楼栋": "building", "宿舍楼": "building",
}
LEVEL = {"province": 0, "university": 1, "college": 2, "building": 2, "class": 3, "dorm": 4}
#: the ancestor column that holds a unit's own id, for the kinds that have one
OWN_COLUMN = {"province": "province_id", "university": "university_id", "college": "college_id",
              "class": "class_id"}
MAX_CODE, MAX_NAME = 64, 200
#: more students than any unit has, and well inside the database's integer column
MAX_STUDENTS = 10_000_000


@dataclass(slots=True)
class UnitRow:
    row: int
    code: str
    name: str
    kind: str | None
    parent: str
    students: int | None
    #: filled while planning: the existing unit, and what to do
    existing: UnitRef | None = None
    outcome: str = "unchanged"
    moved: bool = False


def read_rows(table: Table, problems: list[str]) -> list[UnitRow]:
    """Check each row's own cells and the file's duplicate codes."""
    records: list[UnitRow] = []
    first_row: dict[str, int] = {}
    for number, cells in table.rows:
        records.append(read_row(number, cells, table, problems, first_row))
    return records


def read_row(number: int, cells: dict[str, Any], table: Table, problems: list[str],
             first_row: dict[str, int]) -> UnitRow:
    """One row's cells, checked in isolation."""
    def bad(name: str, message: str) -> None:
        problems.append(problem(number, table.header(name), message))

    code, name = str(cells["code"]), str(cells["name"])
    if not code:
        bad("code", _("a code is required"))
    elif len(code) > MAX_CODE:
        bad("code", _("at most %(n)d characters", n=MAX_CODE))
    elif "/" in code:  # /units/CODE could never be opened
        bad("code", _("may not contain /"))
    elif code in first_row:
        bad("code", _("duplicate code %(code)s (also on row %(row)d)", code=code, row=first_row[code]))
    else:
        first_row[code] = number
    if not name:
        bad("name", _("a name is required"))
    elif len(name) > MAX_NAME:
        bad("name", _("at most %(n)d characters", n=MAX_NAME))
    kind = KINDS.get(str(cells["kind"]).casefold())
    if kind is None:
        bad("kind", _("unknown kind %(kind)r (use province, university, college, class, dorm, "
                      "building or 省, 学校, 学院, 班级, 寝室, 楼栋)", kind=str(cells["kind"])))
    students = None
    if cells["students"] != "":
        try:
            students = parse_count(cells["students"])
        except ValueError:
            bad("students", _("must be a whole number of 0 or more"))
        else:
            if students > MAX_STUDENTS:
                bad("students", _("must be at most %(n)d", n=MAX_STUDENTS))
                students = None
    return UnitRow(number, code, name, kind, str(cells["parent"]), students)


def check_rows(records: list[UnitRow], table: Table, scope: ImportScope,
               problems: list[str]) -> dict[str, UnitRef]:
    """Check each row against the file and the database; plan what to do with it."""
    in_file: dict[str, UnitRow] = {}
    for record in records:
        in_file.setdefault(record.code, record)
    known = load_units(list(in_file) + [r.parent for r in records if r.parent])
    for record in records:
        def bad(name: str, message: str, record: UnitRow = record) -> None:
            problems.append(problem(record.row, table.header(name), message))

        existing = known.get(record.code)
        if existing is not None and not scope.covers(existing):
            bad("code", _("code %(code)s is not available", code=record.code))
            continue
        record.existing = existing
        if record.kind is None:
            continue
        if existing is not None and existing.kind != record.kind:
            bad("kind", _("%(code)s is a %(kind)s; a unit's kind cannot change",
                          code=record.code, kind=kind_noun(existing.kind)))
            continue
        expected = PARENT_KIND[record.kind] or OPTIONAL_PARENT.get(record.kind)
        if expected is None or (record.kind in OPTIONAL_PARENT and not record.parent):
            if record.parent:
                bad("parent", _("a province has no parent unit"))
            elif existing is None and not scope.unrestricted:
                bad("kind", _("only a superadmin may create a %(kind)s", kind=kind_noun(record.kind)))
            continue
        if not record.parent:
            bad("parent", _("a %(kind)s must sit under a %(parent)s", kind=kind_noun(record.kind),
                            parent=kind_noun(expected)))
            continue
        parent_row, parent_unit = in_file.get(record.parent), known.get(record.parent)
        if parent_unit is not None and (
            scope.covers(parent_unit) or (existing is not None and existing.parent_id == parent_unit.id)
        ):
            parent_kind = parent_unit.kind
        elif parent_unit is None and parent_row is not None:
            parent_kind = parent_row.kind
        else:
            bad("parent", _("no such unit %(code)s", code=record.parent))
            continue
        if parent_kind is not None and parent_kind != expected:
            bad("parent", _("a %(kind)s must sit under a %(parent)s (%(code)s is a %(other)s)",
                            kind=kind_noun(record.kind), parent=kind_noun(expected), code=record.parent,
                            other=kind_noun(parent_kind)))
    return known


def plan(records: list[UnitRow], known: dict[str, UnitRef], result: ImportResult) -> None:
    """Decide, for each valid row, whether it creates, updates or leaves its unit alone."""
    for record in records:
        existing = record.existing
        if existing is None:
            record.outcome = "created"
        else:
            parent = known.get(record.parent)
            record.moved = bool(record.parent) and (parent is None or parent.id != existing.parent_id)
            changed = record.moved or existing.name != record.name or (
                record.students is not None and existing.students != record.students)
            record.outcome = "updated" if changed else "unchanged"
        result.count(record.outcome)


def write(records: list[UnitRow], known: dict[str, UnitRef]) -> None:
    """Write the planned changes top-down, one level at a time."""
    refs = dict(known)
    for level in range(max(LEVEL.values()) + 1):
        rows = [r for r in records if LEVEL[r.kind] == level and r.outcome != "unchanged"]
        insert_level([r for r in rows if r.outcome == "created"], refs)
        update_level([r for r in rows if r.outcome == "updated"], refs)
        if any(r.moved for r in rows):
            refresh(refs)


def insert_level(rows: list[UnitRow], refs: dict[str, UnitRef]) -> None:
    """Insert one level's new units with their parents' ancestor ids, then their own."""
    if not rows:
        return
    parents = {r.code: refs.get(r.parent) if r.parent else None for r in rows}
    params = [{"code": r.code, "name": r.name, "kind": r.kind, "students": r.students,
               "parent_id": parents[r.code].id if parents[r.code] else None,
               **ancestor_ids(r.kind, None, parents[r.code])} for r in rows]
    by_code = {r.code: r for r in rows}
    for unit_id, code in db.session.execute(insert(Unit).returning(Unit.id, Unit.code), params):
        record, parent = by_code[code], parents[code]
        refs[code] = UnitRef(unit_id, code, record.kind, parent.id if parent else None, record.name,
                             record.students, **ancestor_ids(record.kind, unit_id, parent))
    for kind, column in OWN_COLUMN.items():
        if any(r.kind == kind for r in rows):
            own = getattr(Unit, column)
            db.session.execute(update(Unit).where(Unit.kind == kind, own.is_(None)).values({own: Unit.id}))


def update_level(rows: list[UnitRow], refs: dict[str, UnitRef]) -> None:
    """Update names and student counts; move units whose parent changed, with their subtrees."""
    if not rows:
        return
    db.session.execute(update(Unit), [
        {"id": r.existing.id, "name": r.name,
         "students": r.existing.students if r.students is None else r.students}
        for r in rows
    ])
    for record in rows:
        if record.moved:
            move(record.existing, refs[record.parent])


def move(unit: UnitRef, parent: UnitRef) -> None:
    """Put `unit` under `parent` and recompute the ancestor ids of its whole subtree."""
    ids = ancestor_ids(unit.kind, unit.id, parent)
    db.session.execute(update(Unit).where(Unit.id == unit.id).values(parent_id=parent.id, **ids))
    column = OWN_COLUMN.get(unit.kind)
    if column is None:
        return
    above = {"university": ("province_id",), "college": ("province_id", "university_id"),
             "class": ("province_id", "university_id", "college_id")}[unit.kind]
    db.session.execute(update(Unit).where(getattr(Unit, column) == unit.id)
                       .values({name: ids[name] for name in above}))


def refresh(refs: dict[str, UnitRef]) -> None:
    """Re-read the ancestor ids of cached units after a move may have changed them."""
    fresh = load_units_by_id(ref.id for ref in refs.values())
    for code, ref in refs.items():
        refs[code] = fresh.get(ref.id, ref)
