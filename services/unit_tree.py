"""Browsing the unit tree: ancestors, children, tops of a scope and unit search.

Each function is one or two queries whatever the size of the tree, so the pages that
use them stay fast for a province.
"""
from datetime import date

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlalchemy.orm import joinedload

from extensions import db
from models import Assignment
from models import Unit
from models import User
from models.org import UNIT_KINDS
from services import scope
from services.pagination import Page
from services.pagination import paginate
from services.roster import active_clause


def unit_ancestors(unit: Unit) -> list[Unit]:
    """The units above `unit`, top down, for a breadcrumb: one query."""
    ids = {unit.province_id, unit.university_id, unit.college_id, unit.class_id,
           unit.parent_id} - {None, unit.id}
    if not ids:
        return []
    found = db.session.scalars(select(Unit).where(Unit.id.in_(ids)))
    return sorted(found, key=lambda u: UNIT_KINDS.index(u.kind))


def text_match(q: str | None, *columns):
    """A case-insensitive "contains" over `columns`, or None for an empty search."""
    q = (q or "").strip()[:100]
    if not q:
        return None
    clause = columns[0].icontains(q, autoescape=True)
    for column in columns[1:]:
        clause = clause | column.icontains(q, autoescape=True)
    return clause


def unit_children(unit: Unit, page=1, q: str | None = None, *, on: date | None = None,
                  per_page: int | None = None) -> Page:
    """A page of rows (child, units under it, active assignments at it), by code."""
    on = on or date.today()
    grandchild = aliased(Unit)
    below = select(func.count(grandchild.id)).where(grandchild.parent_id == Unit.id)
    held = select(func.count(Assignment.id)).where(Assignment.unit_id == Unit.id, active_clause(on))
    stmt = (
        select(Unit, below.scalar_subquery().label("children"),
               held.scalar_subquery().label("assigned"))
        .where(Unit.parent_id == unit.id)
        .order_by(Unit.code)
    )
    match = text_match(q, Unit.code, Unit.name)
    if match is not None:
        stmt = stmt.where(match)
    return paginate(stmt, page, per_page)


def search_units(user: User | None, q: str | None, page=1, per_page: int | None = None) -> Page:
    """A page of the units in `user`'s scope whose code or name contains `q`."""
    stmt = select(Unit).options(joinedload(Unit.parent)).where(scope.unit_filter(user))
    match = text_match(q, Unit.code, Unit.name)
    if match is not None:
        stmt = stmt.where(match)
    return paginate(stmt.order_by(Unit.code), page, per_page)


def children_of(parents: list[Unit], limit: int = 50) -> dict[int, tuple[list[Unit], int]]:
    """The first `limit` children (by code) of each parent and how many it has: one query."""
    found: dict[int, tuple[list[Unit], int]] = {p.id: ([], 0) for p in parents}
    if not found:
        return found
    ranked = (
        select(
            Unit.id,
            func.row_number().over(partition_by=Unit.parent_id, order_by=Unit.code).label("rank"),
            func.count().over(partition_by=Unit.parent_id).label("total"),
        )
        .where(Unit.parent_id.in_(found))
        .subquery()
    )
    rows = db.session.execute(
        select(Unit, ranked.c.total)
        .join(ranked, ranked.c.id == Unit.id)
        .where(ranked.c.rank <= limit)
        .order_by(Unit.code)
    )
    for unit, total in rows:
        found[unit.parent_id][0].append(unit)
        found[unit.parent_id] = (found[unit.parent_id][0], total)
    return found
