"""The lists the qualification pages show: one's own, an admin's review queue and the
verified ones on a person's roster page — each a fixed number of queries."""
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm import selectinload

from extensions import db
from models import Qualification
from models import User
from models.org import Person
from services import scope
from services.pagination import Page
from services.pagination import paginate
from services.qualifications import type_labels


def own_qualifications(person: Person | None) -> list[Qualification]:
    """Everything the person has recorded, newest first, with evidence (two queries)."""
    if person is None:
        return []
    return list(db.session.scalars(
        select(Qualification).where(Qualification.person_id == person.id)
        .options(selectinload(Qualification.evidence))
        .order_by(Qualification.created_at.desc(), Qualification.id.desc())))


def review_queue(by: User | None, q: str | None = None, page=1,
                 per_page: int | None = None) -> Page:
    """A page of pending qualifications of people in `by`'s admin scope, oldest first,
    filtered by number prefix or name."""
    stmt = (
        select(Qualification)
        .join(Qualification.person)
        .options(contains_eager(Qualification.person), selectinload(Qualification.evidence))
        .where(Qualification.status == "pending", scope.person_filter(by, scope.WRITE_KINDS))
        .order_by(Qualification.created_at, Qualification.id)
    )
    q = (q or "").strip()[:100]
    if q:
        stmt = stmt.where(Person.number.istartswith(q, autoescape=True)
                          | Person.name.icontains(q, autoescape=True))
    return paginate(stmt, page, per_page)


def verified_qualifications(person: Person, locale: str) -> list[tuple[Qualification, str]]:
    """The person's verified qualifications with their type names, expired ones included,
    by type (two queries)."""
    labels = type_labels(locale)
    rows = db.session.scalars(
        select(Qualification).where(Qualification.person_id == person.id,
                                    Qualification.status == "verified")
        .order_by(Qualification.type, Qualification.issued_on.desc(), Qualification.id))
    return [(q, labels.get(q.type, q.type)) for q in rows]
