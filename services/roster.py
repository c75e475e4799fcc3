"""Who holds which role where: reading and changing assignments."""
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from models import Assignment
from models import Person


def active_clause(on: date):
    """A WHERE clause for assignments active on `on` (start ≤ on, no end or end ≥ on)."""
    return (Assignment.start <= on) & (Assignment.end.is_(None) | (Assignment.end >= on))


def current_roles(person: Person, on: date | None = None) -> list[Assignment]:
    """The person's assignments active on `on` (default today)."""
    on = on or date.today()
    return list(db.session.scalars(
        select(Assignment)
        .options(joinedload(Assignment.role), joinedload(Assignment.unit))
        .where(Assignment.person_id == person.id, active_clause(on))
        .order_by(Assignment.start)
    ))
