"""The hour ledger's module side: crediting a completed module, and a person's approved total."""
from datetime import date

from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import HourEntry
from models import ModuleVersion
from models import Person
from services.core_reads import read


def module_ref(version: ModuleVersion) -> str:
    """What a module credit is filed under, e.g. "silent-dorm@2": one credit per version."""
    return f"{version.module.slug}@{version.version}"


def _find(person: Person, ref: str) -> HourEntry | None:
    return db.session.scalar(select(HourEntry).where(
        HourEntry.person_id == person.id, HourEntry.source == "module",
        HourEntry.source_ref == ref))


def credit_module_hours(person: Person, version: ModuleVersion,
                        on: date | None = None) -> HourEntry | None:
    """Credit `version.hours` once per person and version; a retry returns the first entry.

    No entry when the module carries no hours (the ledger holds only positive hours).
    """
    if not version.hours or version.hours <= 0:
        return None
    ref = module_ref(version)
    entry = _find(person, ref)
    if entry is not None:
        return entry
    entry = HourEntry(person_id=person.id, date=on or date.today(), hours=version.hours,
                      activity="module", source="module", source_ref=ref, status="approved",
                      description=version.title)
    try:
        with db.session.begin_nested():  # a concurrent twin may win the unique constraint
            db.session.add(entry)
    except IntegrityError:
        return _find(person, ref)
    return entry


#: built once: building it costs more than running it
APPROVED_HOURS = select(func.coalesce(func.sum(HourEntry.hours), 0.0)).where(
    HourEntry.person_id == bindparam("person_id"), HourEntry.status == "approved")


def approved_hours(person: Person) -> float:
    """The hours that count for the person: approved entries from every source."""
    return float(read(APPROVED_HOURS, {"person_id": person.id}).scalar() or 0.0)


def approved_hours_between(person: Person, start: date, end: date) -> float:
    """Approved hours dated start ≤ date ≤ end: what counts inside a requirement's window."""
    total = db.session.scalar(select(func.coalesce(func.sum(HourEntry.hours), 0.0)).where(
        HourEntry.person_id == person.id, HourEntry.status == "approved",
        HourEntry.date >= start, HourEntry.date <= end))
    return float(total or 0.0)


#: the name the issue #3 plan gives the total
person_hours_total = approved_hours
