"""Hours a learner logs by hand (workshops, supervision, …): pending until a reviewer decides.

Rules (each a readable ValidationFailed problem): hours > 0 in steps of 0.5; at most
MAX_HOURS_PER_DAY on one date, counting the person's pending and approved entries from
every source; not dated in the future; an activity from hour_activities.ACTIVITIES; a
description of at most MAX_DESCRIPTION characters. Only what is logged here is held to
the cap: attendance (checked by a trainer), modules and imports always credit their hours,
which then count towards the day.

Entries are never deleted. While an entry is pending its owner may edit it or withdraw
it; withdrawing marks it rejected, reviewed by the owner, with the reason WITHDRAWN, so
the history stays and the hours stop counting against the daily cap. A form sent twice
within TWIN_WINDOW finds the first entry instead of making a copy.
"""
import math
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import case
from sqlalchemy import extract
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from models import HourEntry
from models import Person
from models import User
from models.base import utcnow
from services import audit
from services.errors import Conflict
from services.errors import NotFound
from services.errors import ValidationFailed
from services.evidence import store_evidence
from services.hour_activities import ACTIVITIES
from services.pagination import Page
from services.pagination import paginate
from services.write_lock import lock_for_write

MAX_HOURS_PER_DAY = 12
MAX_DESCRIPTION = 2000
#: nothing earned before this is logged (and year-1 dates are typing slips)
EARLIEST = date(2000, 1, 1)
#: the review reason a withdrawn entry carries (stored in English, shown translated)
WITHDRAWN = "Withdrawn by the learner."
#: a second identical entry within this time is taken for a double submit
TWIN_WINDOW = timedelta(minutes=2)
#: an uploaded file as the form hands it over: (stream, original file name)
Upload = tuple[BinaryIO, str]


def _day_total(person: Person, on: date, excluding: int | None = None) -> float:
    """Pending and approved hours the person already has on `on`, from every source."""
    stmt = select(func.coalesce(func.sum(HourEntry.hours), 0.0)).where(
        HourEntry.person_id == person.id, HourEntry.date == on,
        HourEntry.status.in_(("pending", "approved")))
    if excluding is not None:
        stmt = stmt.where(HourEntry.id != excluding)
    return float(db.session.scalar(stmt) or 0.0)


def _lock_person(person: Person) -> None:
    """Serialise a person's logging (a row lock; SQLite's write lock) so two tabs cannot beat the cap."""
    lock_for_write(Person, person.id)


def check_entry(person: Person, *, on: date | None, hours, activity: str | None,
                description: str | None, excluding: int | None = None,
                today: date | None = None) -> list[str]:
    """Every problem with a would-be entry, in the order the form shows its fields."""
    today = today or date.today()
    problems = []
    if on is None:
        problems.append(_("Enter the date of the training."))
    elif on > today:
        problems.append(_("The date cannot be in the future."))
    elif on < EARLIEST:
        problems.append(_("The date %(date)s is too long ago.", date=on.isoformat()))
    try:
        hours = float(hours)
    except (TypeError, ValueError):
        hours = None
    if hours is None or not math.isfinite(hours) or hours <= 0:
        problems.append(_("Hours must be more than 0."))
    elif (hours * 2) != int(hours * 2):
        problems.append(_("Hours are counted in steps of 0.5 (for example 1.5)."))
    elif on is not None and on <= today:
        already = _day_total(person, on, excluding)
        if already + hours > MAX_HOURS_PER_DAY:
            shown = format(already, "g")
            problems.append(_("At most %(max)d hours can be logged for one day; "
                              "%(already)s are already recorded on that day.",
                              max=MAX_HOURS_PER_DAY, already=shown))
    if activity not in ACTIVITIES:
        problems.append(_("Choose the kind of activity from the list."))
    text = (description or "").strip()
    if not text:
        problems.append(_("Describe the training (what, who ran it, where)."))
    elif len(text) > MAX_DESCRIPTION:
        problems.append(_("The description may have at most %(max)d characters.",
                          max=MAX_DESCRIPTION))
    return problems


def _recent_twin(person: Person, on, hours, activity, description) -> HourEntry | None:
    """The same entry logged moments ago (a form sent twice): returned instead of a copy."""
    try:
        hours = float(hours)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(HourEntry).where(
        HourEntry.person_id == person.id, HourEntry.source == "manual",
        HourEntry.status == "pending", HourEntry.date == on, HourEntry.hours == hours,
        HourEntry.activity == activity, HourEntry.description == (description or "").strip(),
        HourEntry.created_at >= utcnow() - TWIN_WINDOW).limit(1))


def _store(person: Person, evidence: Upload | None, by: User | None):
    if evidence is None:
        return None
    stream, filename = evidence
    return store_evidence(stream, filename, person, by)


def log_hours(person: Person, *, on: date, hours: float, activity: str, description: str,
              evidence: Upload | None = None, by: User | None) -> HourEntry:
    """Record hours earned off the platform as a pending manual entry, evidence optional.

    The rules are checked before the file is read, so a refused entry stores nothing.
    """
    _lock_person(person)
    twin = _recent_twin(person, on, hours, activity, description)
    if twin is not None:
        return twin
    problems = check_entry(person, on=on, hours=hours, activity=activity,
                           description=description)
    if problems:
        raise ValidationFailed(problems)
    stored = _store(person, evidence, by)
    entry = HourEntry(person_id=person.id, date=on, hours=float(hours), activity=activity,
                      source="manual", source_ref=None, status="pending",
                      description=description.strip(), evidence=stored,
                      created_by_id=by.id if by else None)
    db.session.add(entry)
    db.session.flush()
    audit.record("hours.log", by=by, target=entry, person=person.number, date=on.isoformat(),
                 hours=float(hours), activity=activity)
    return entry


def own_entry(person: Person | None, entry_id: int) -> HourEntry:
    """One of the person's entries, else NotFound (someone else's looks missing)."""
    entry = db.session.get(HourEntry, entry_id)
    if person is None or entry is None or entry.person_id != person.id:
        raise NotFound(_("No such hour entry."))
    return entry


def can_change(entry: HourEntry) -> bool:
    """Whether its owner may still edit or withdraw it: logged by hand and still pending."""
    return entry.source == "manual" and entry.status == "pending"


def ensure_changeable(entry: HourEntry) -> None:
    if not can_change(entry):
        raise Conflict(_("Only entries you logged that are still pending can be changed."))


def edit_hours(entry: HourEntry, *, on: date, hours: float, activity: str, description: str,
               evidence: Upload | None = None, by: User | None) -> HourEntry:
    """Change a pending entry the learner logged; a new file replaces the evidence."""
    ensure_changeable(entry)
    _lock_person(entry.person)
    problems = check_entry(entry.person, on=on, hours=hours, activity=activity,
                           description=description, excluding=entry.id)
    if problems:
        raise ValidationFailed(problems)
    stored = _store(entry.person, evidence, by)
    entry.date, entry.hours, entry.activity = on, float(hours), activity
    entry.description = description.strip()
    if stored is not None:
        entry.evidence = stored
    db.session.flush()
    audit.record("hours.edit", by=by, target=entry, person=entry.person.number,
                 date=on.isoformat(), hours=float(hours), activity=activity)
    return entry


def withdraw_hours(entry: HourEntry, *, by: User | None) -> HourEntry:
    """Take back a pending entry: it stays in the history as rejected by its owner."""
    if entry.status == "rejected" and is_withdrawn(entry):
        return entry  # a second click changes nothing
    ensure_changeable(entry)
    entry.status = "rejected"
    entry.reviewed_by_id = by.id if by else None
    entry.reviewed_at = utcnow()
    entry.review_reason = WITHDRAWN
    db.session.flush()
    audit.record("hours.withdraw", by=by, target=entry, person=entry.person.number)
    return entry


def is_withdrawn(entry: HourEntry) -> bool:
    """Whether the learner took the entry back (rather than a reviewer rejecting it)."""
    return entry.status == "rejected" and entry.review_reason == WITHDRAWN


def my_entries(person: Person, page=1) -> Page:
    """A page of the person's entries from every source, newest first."""
    stmt = (select(HourEntry)
            .options(joinedload(HourEntry.evidence))
            .where(HourEntry.person_id == person.id)
            .order_by(HourEntry.date.desc(), HourEntry.id.desc()))
    return paginate(stmt, page)


@dataclass
class YearTotal:
    year: int
    approved: float
    pending: float


def year_totals(person: Person) -> list[YearTotal]:
    """Approved and pending hours per calendar year, newest year first, in one query."""
    year = extract("year", HourEntry.date)
    rows = db.session.execute(
        select(year.label("year"),
               func.sum(case((HourEntry.status == "approved", HourEntry.hours), else_=0.0)),
               func.sum(case((HourEntry.status == "pending", HourEntry.hours), else_=0.0)))
        .where(HourEntry.person_id == person.id, HourEntry.status != "rejected")
        .group_by(year).order_by(year.desc()))
    return [YearTotal(int(y), float(a or 0), float(p or 0)) for y, a, p in rows]
