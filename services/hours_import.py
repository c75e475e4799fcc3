"""`flask hours import FILE`: historical hour records (before the platform) into the ledger.

Columns: `number|工号/学号`, `date|日期`, `hours|学时`, `activity|活动类型` (a code from
services/hour_activities.py, or its Chinese or English label), `note|备注` (optional).
Every row is checked first — unknown number, bad or future date, hours not positive in
0.5 steps or above 12, unknown activity, the same record twice in the file — and any
problem means nothing is written (`row N, column C: message`).

Rows become approved entries with source "import" and, as source_ref, a digest of
(number, date, hours, activity, note): the ledger's unique (person, source, source_ref)
makes re-importing the same file a no-op, reported as "unchanged". Each person who gained
hours is re-evaluated for certification in the same transaction.
"""
import hashlib
import math
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import insert
from sqlalchemy import select

from extensions import db
from models import HourEntry
from models import Person
from models import User
from services import audit
from services import certification
from services.errors import ValidationFailed
from services.hour_activities import ACTIVITY_LABELS
from services.import_support import chunks
from services.roster_import import row_of
from services.scope import WRITE_KINDS
from services.scope import person_filter
from services.tabular import Column
from services.tabular import Table
from services.tabular import parse_date
from services.tabular import problem
from services.tabular import read_table

COLUMNS = [
    Column("number", ("number", "工号/学号", "工号", "学号", "学号/工号", "工号或学号")),
    Column("date", ("date", "日期")),
    Column("hours", ("hours", "学时")),
    Column("activity", ("activity", "活动类型", "活动", "类型")),
    Column("note", ("note", "备注", "说明"), required=False),
]
MAX_HOURS = 12
MAX_NOTE = 2000


@dataclass(slots=True)
class HourRow:
    row: int
    number: str
    on: date | None
    hours: float | None
    activity: str | None
    note: str
    person_id: int | None = None

    @property
    def ref(self) -> str:
        """The stable digest that makes a re-import find this row's entry."""
        key = "\x1f".join([self.number, self.on.isoformat(), f"{self.hours:g}", self.activity,
                           self.note])
        return "import:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


@dataclass
class HoursImport:
    created: int = 0
    unchanged: int = 0
    dry_run: bool = False

    def __str__(self) -> str:
        return f"created {self.created}, unchanged {self.unchanged}"


def normalise(text: Any) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def activity_keys() -> dict[str, str]:
    """Activity code by code, English label and Chinese label, compared without case."""
    keys = {normalise(code): code for code in ACTIVITY_LABELS}
    for locale in ("en", "zh_CN"):
        with force_locale(locale):
            keys.update({normalise(str(label)): code for code, label in ACTIVITY_LABELS.items()})
    return keys


def import_hours(source: Any, *, dry_run: bool = False, by: User | None = None,
                 today: date | None = None) -> HoursImport:
    """Load approved hour entries from a file; all or nothing, idempotent.

    :param source: a path, or an upload named .xlsx or .csv
    :param by: None for the CLI (anyone); else only people in the user's admin scope
    """
    table = read_table(source, COLUMNS)
    problems: list[str] = []
    records = read_rows(table, problems, today or date.today())
    find_people(records, table, by, problems)
    if problems:
        raise ValidationFailed(sorted(problems, key=row_of))
    result = HoursImport(dry_run=dry_run)
    new = skip_imported(records, result)
    result.created = len(new)
    if not dry_run and new:
        write(new, by)
        audit.record("hours.import", by=by, target=audit.file_target(source),
                     created=result.created, unchanged=result.unchanged)
    return result


def read_rows(table: Table, problems: list[str], today: date) -> list[HourRow]:
    """Each row's cells checked in isolation, and the same record twice in the file."""
    activities = activity_keys()
    records: list[HourRow] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        bad_count = len(problems)
        record = read_row(number, cells, table, activities, problems, today)
        if len(problems) == bad_count:
            first = seen.setdefault(record.ref, number)
            if first != number:
                problems.append(problem(number, table.header("number"),
                                        _("the same record as row %(row)d", row=first)))
        records.append(record)
    return records


def read_row(number: int, cells: dict[str, Any], table: Table, activities: dict[str, str],
             problems: list[str], today: date) -> HourRow:
    def bad(name: str, message: str) -> None:
        problems.append(problem(number, table.header(name), message))

    person_number = str(cells["number"])
    if not person_number:
        bad("number", _("a value is required"))
    on = None
    if cells["date"] == "":
        bad("date", _("a value is required"))
    else:
        try:
            on = parse_date(cells["date"])
        except ValueError:
            bad("date", _("%(value)s is not a date (use YYYY-MM-DD)", value=cells["date"]))
        if on is not None and on > today:
            bad("date", _("%(value)s is in the future", value=on.isoformat()))
    hours = parse_hours(cells["hours"])
    if hours is None:
        bad("hours", _("%(value)s is not a positive number of hours in steps of 0.5",
                       value=cells["hours"] or "''"))
    elif hours > MAX_HOURS:
        bad("hours", _("at most %(n)d hours", n=MAX_HOURS))
    activity = activities.get(normalise(cells["activity"]))
    if activity is None:
        bad("activity", _("unknown activity %(value)s", value=cells["activity"] or "''"))
    note = str(cells["note"])
    if len(note) > MAX_NOTE:
        bad("note", _("at most %(n)d characters", n=MAX_NOTE))
    return HourRow(number, person_number, on, hours, activity, note)


def parse_hours(value: Any) -> float | None:
    """Hours from a cell: positive and a multiple of 0.5, else None."""
    try:
        hours = float(str(value).strip())
    except ValueError:
        return None
    if not math.isfinite(hours) or hours <= 0 or hours * 2 != int(hours * 2):
        return None
    return hours


def find_people(records: list[HourRow], table: Table, by: User | None, problems: list[str]) -> None:
    """Resolve numbers to people (for a signed-in importer, only those in their admin scope)."""
    found: dict[str, int] = {}
    for chunk in chunks({r.number for r in records if r.number}):
        stmt = select(Person.number, Person.id).where(Person.number.in_(chunk))
        if by is not None:
            stmt = stmt.where(person_filter(by, WRITE_KINDS))
        found.update({row.number: row.id for row in db.session.execute(stmt)})
    for record in records:
        record.person_id = found.get(record.number)
        if record.number and record.person_id is None:
            problems.append(problem(record.row, table.header("number"),
                                    _("unknown number %(number)s", number=record.number)))


def skip_imported(records: list[HourRow], result: HoursImport) -> list[HourRow]:
    """The rows whose entry is not in the ledger yet; the others count as unchanged."""
    existing: set[tuple[int, str]] = set()
    for chunk in chunks({r.person_id for r in records}):
        existing.update((row.person_id, row.source_ref) for row in db.session.execute(
            select(HourEntry.person_id, HourEntry.source_ref).where(
                HourEntry.source == "import", HourEntry.person_id.in_(chunk))))
    new = [r for r in records if (r.person_id, r.ref) not in existing]
    result.unchanged = len(records) - len(new)
    return new


def write(records: list[HourRow], by: User | None) -> None:
    """Insert the entries in batches, then re-evaluate everyone who gained hours."""
    for chunk in chunks(records):
        db.session.execute(insert(HourEntry), [dict(
            person_id=r.person_id, date=r.on, hours=r.hours, activity=r.activity, source="import",
            source_ref=r.ref, status="approved", description=r.note, review_reason="",
            created_by_id=by.id if by is not None else None) for r in chunk])
    for chunk in chunks({r.person_id for r in records}):
        for person in db.session.scalars(select(Person).where(Person.id.in_(chunk))):
            certification.reevaluate(person)
