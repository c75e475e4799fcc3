"""A province's coverage from its universities' snapshots.

A province root sums every unit of the province — hundreds of thousands of dorm rooms
— which no live query does in a fraction of a second. Each university keeps a snapshot
of its subtree's figures for today (models.coverage.CoverageCache); triggers bump its
version with every change under it, so a snapshot is used only while it is exact. The
stale universities are recomputed together in one live aggregate and stored again; the
request that does so pays for them, the next ones read rows. Past dates never use
snapshots (compute_coverage computes them live).
"""
from datetime import date

from sqlalchemy import bindparam
from sqlalchemy import or_
from sqlalchemy import select

from extensions import db
from models import CoverageCache
from models import Unit
from services.coverage import RoleFigures
from services.coverage import Subtree
from services.coverage import aggregate
from services.coverage import derived_students


def to_payload(part: Subtree) -> dict:
    return {"roles": {code: [f.required, f.assigned, f.certified, f.expiring, f.vacancies, f.covered]
                      for code, f in part.roles.items()},
            "units": [part.units_total, part.units_compliant], "students": part.students}


def from_payload(payload: dict) -> Subtree:
    part = Subtree(None, units_total=payload["units"][0], units_compliant=payload["units"][1],
                   students=payload.get("students"))
    for code, values in payload["roles"].items():
        part.roles[code] = RoleFigures(code, *values)
    return part


def university_students(root: Unit, ids: list[int]) -> dict[int, int]:
    """students(U) of each of these universities of the province: its own count, else the
    sum below it (services.staffing.unit_students, grouped). One statement."""
    if not ids:
        return {}
    derived = derived_students(root, {"university"}, Unit.university_id.in_(ids))
    rows = db.session.execute(select(Unit.id, Unit.students, derived.c.students)
                              .outerjoin(derived, derived.c.unit_id == Unit.id)
                              .where(Unit.id.in_(ids)))
    return {uid: own if own is not None else int(below or 0) for uid, own, below in rows}


def province_parts(root: Unit, as_of: date, university_ids: list[int]) -> dict[int, Subtree]:
    """The figures per university of the province (and of the province's own units under
    its id), from today's snapshots where they are current, else computed and stored.
    At most five statements whatever the province's size; the caller commits to keep new
    snapshots."""
    cached = db.session.execute(select(CoverageCache.unit_id, CoverageCache.version,
                                       CoverageCache.day, CoverageCache.snapshot_version,
                                       CoverageCache.payload)
                                .where(CoverageCache.unit_id.in_(university_ids))).all()
    versions = {row.unit_id: row.version for row in cached}
    parts = {row.unit_id: from_payload(row.payload) for row in cached
             if row.day == as_of and row.snapshot_version == row.version and row.payload}
    stale = [uid for uid in university_ids if uid not in parts]
    within = or_(Unit.id == root.id, Unit.university_id.in_(stale)) if stale else Unit.id == root.id
    computed = aggregate(root, as_of, within)
    for uid, students in university_students(root, stale).items():
        computed.setdefault(uid, Subtree(None)).students = students
    parts.update(computed)
    fresh = [{"uid": uid, "read": versions[uid], "day": as_of,
              "payload": to_payload(computed.get(uid, Subtree(None)))}
             for uid in stale if uid in versions]
    if fresh:
        table = CoverageCache.__table__
        # only if nothing changed since the version was read (else the next request
        # recomputes), and never waiting for a row a long import holds (PostgreSQL)
        free = select(table.c.unit_id).where(table.c.unit_id == bindparam("uid")) \
            .with_for_update(skip_locked=True)
        db.session.execute(
            table.update()
            .where(table.c.unit_id.in_(free), table.c.version == bindparam("read"))
            .values(day=bindparam("day"), snapshot_version=bindparam("read"),
                    payload=bindparam("payload")),
            fresh)
    return parts
