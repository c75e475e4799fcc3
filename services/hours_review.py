"""Admins and trainers approve or reject the hours learners logged, one by one or in bulk.

Only entries of people inside the reviewer's admin/trainer scope can be reviewed; an id
outside it makes the whole request NotFound, so nothing is skipped silently. Nobody
reviews their own hours. Approving ends in services.certification.reevaluate for each
person, in the same transaction, because approved hours may complete a program.
"""
from dataclasses import dataclass
from dataclasses import field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from models import Assignment
from models import HourEntry
from models import Person
from models import Unit
from models import User
from models.base import utcnow
from services import audit
from services import certification
from services import scope
from services.errors import Conflict
from services.errors import Forbidden
from services.errors import NotFound
from services.errors import ValidationFailed
from services.pagination import Page
from services.pagination import paginate

#: the grant kinds that may decide on hours (auditors only read)
REVIEW_KINDS = ("admin", "trainer")
MAX_REASON = 2000
#: at most this many entries in one bulk decision (a page of the queue is 50)
MAX_BULK = 500


@dataclass
class ReviewResult:
    changed: list[HourEntry] = field(default_factory=list)
    #: entries that already had the requested decision (a double submit): left as they were
    unchanged: list[HourEntry] = field(default_factory=list)


def entry_in_scope(user: User | None, entry_id: int,
                   kinds: tuple[str, ...] = scope.READ_KINDS) -> HourEntry:
    """An entry whose person is in the user's scope for `kinds`, else NotFound."""
    entry = db.session.scalar(
        select(HourEntry).join(Person, Person.id == HourEntry.person_id)
        .options(joinedload(HourEntry.person), joinedload(HourEntry.evidence))
        .where(HourEntry.id == entry_id, scope.person_filter(user, kinds)))
    if entry is None:
        raise NotFound(_("No such hour entry."))
    return entry


def review_entries(ids, *, approve: bool, reason: str | None, by: User) -> ReviewResult:
    """Approve or reject pending entries; rejecting needs a reason the learner will read."""
    wanted = sorted({int(i) for i in ids or []})
    if not wanted:
        raise ValidationFailed([_("Choose at least one entry.")])
    if len(wanted) > MAX_BULK:
        raise ValidationFailed([_("At most %(max)d entries can be decided at once.", max=MAX_BULK)])
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationFailed([_("Give a reason for rejecting: the learner will see it.")])
    if len(reason) > MAX_REASON:
        raise ValidationFailed([_("The reason may have at most %(max)d characters.", max=MAX_REASON)])
    entries = list(db.session.scalars(
        select(HourEntry).join(Person, Person.id == HourEntry.person_id)
        .options(joinedload(HourEntry.person))
        .where(HourEntry.id.in_(wanted), scope.person_filter(by, REVIEW_KINDS))
        .order_by(HourEntry.id).with_for_update(of=HourEntry)))
    if len(entries) != len(wanted):
        raise NotFound(_("No such hour entry."))
    target = "approved" if approve else "rejected"
    result = ReviewResult()
    for entry in entries:
        if by.person_id is not None and entry.person_id == by.person_id:
            raise Forbidden(_("You cannot review your own hours."))
        if entry.status == target:
            result.unchanged.append(entry)
        elif entry.status != "pending":
            raise Conflict(_("The entry of %(name)s on %(date)s has already been decided.",
                             name=entry.person.name, date=entry.date.isoformat()))
        else:
            result.changed.append(entry)
    now = utcnow()
    for entry in result.changed:
        entry.status = target
        entry.reviewed_by_id = by.id
        entry.reviewed_at = now
        entry.review_reason = reason
        audit.record("hours.approve" if approve else "hours.reject", by=by, target=entry,
                     person=entry.person.number, hours=entry.hours, reason=reason or None)
    db.session.flush()
    if approve:
        for person in {e.person_id: e.person for e in result.changed}.values():
            certification.reevaluate(person)
    return result


def review_queue(user: User | None, *, q: str | None = None, unit: Unit | None = None,
                 activity: str | None = None, page=1,
                 kinds: tuple[str, ...] = REVIEW_KINDS) -> Page:
    """A page of pending entries in the user's scope, oldest first (first come, first served).

    `q` matches a number prefix or part of a name; `unit` keeps people with an
    assignment in its subtree (the caller resolves it through scope.get_unit).
    """
    stmt = (select(HourEntry).join(Person, Person.id == HourEntry.person_id)
            .options(joinedload(HourEntry.person), joinedload(HourEntry.evidence))
            .where(HourEntry.status == "pending", scope.person_filter(user, kinds))
            .order_by(HourEntry.date, HourEntry.id))
    q = (q or "").strip()[:100]
    if q:
        stmt = stmt.where(Person.number.istartswith(q, autoescape=True)
                          | Person.name.icontains(q, autoescape=True))
    if unit is not None:
        stmt = stmt.where(Person.id.in_(
            select(Assignment.person_id).join(Unit, Unit.id == Assignment.unit_id)
            .where(scope.subtree_filter(unit))))
    if activity:
        stmt = stmt.where(HourEntry.activity == activity)
    return paginate(stmt, page)
