"""People import, second half: check rows against the database, match, and write in bulk.

The matching rules are documented in services/roster_import.py.
"""
from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update

from extensions import db
from models import Assignment
from models import Person
from services.import_support import ImportResult
from services.import_support import ImportScope
from services.import_support import chunks
from services.import_support import load_units
from services.roster_import_people import PersonInfo
from services.roster_import_people import PersonRow
from services.scope import WRITE_KINDS
from services.scope import person_filter
from services.tabular import Table
from services.tabular import problem

#: an existing assignment as the matcher sees it: (id, start, end)
Held = tuple[int, date, date | None]


def check_units(records: list[PersonRow], table: Table, scope: ImportScope,
                problems: list[str]) -> None:
    """Resolve unit codes; a unit outside the actor's scope is reported as missing."""
    units = load_units({r.unit for r in records if r.unit})
    for record in records:
        ref = units.get(record.unit)
        if record.unit and (ref is None or not scope.covers(ref)):
            problems.append(problem(record.row, table.header("unit"),
                                    _("no such unit %(code)s", code=record.unit)))
            record.valid = False
        elif ref is not None:
            record.unit_id = ref.id


def check_people(people: dict[str, PersonInfo], table: Table, scope: ImportScope,
                 problems: list[str]) -> None:
    """Find existing people by number and note which of their details the file changes."""
    found = {}
    for chunk in chunks(people):
        query = select(Person.id, Person.number, Person.name, Person.email, Person.phone)
        found.update({row.number: row for row in db.session.execute(query.where(Person.number.in_(chunk)))})
    in_scope = set(found)
    if not scope.unrestricted:
        in_scope = set()
        for chunk in chunks(found):
            in_scope.update(db.session.scalars(select(Person.number).where(
                Person.number.in_(chunk), person_filter(scope.by, WRITE_KINDS))))
    for number, row in found.items():
        info = people[number]
        info.id = row.id
        if number not in in_scope:
            if info.name != row.name:
                problems.append(problem(info.row, table.header("number"), _(
                    "number %(number)s is already in use by another person", number=number)))
            continue
        merged = {"name": info.name, "email": info.email or row.email, "phone": info.phone or row.phone}
        if (merged["name"], merged["email"], merged["phone"]) != (row.name, row.email, row.phone):
            info.changes = {"id": row.id, **merged}


def load_held(people: dict[str, PersonInfo]) -> dict[tuple[int, int, int], list[Held]]:
    """Existing assignments of the file's existing people, by (person, role, unit)."""
    held: dict[tuple[int, int, int], list[Held]] = defaultdict(list)
    ids = [info.id for info in people.values() if info.id is not None]
    for chunk in chunks(ids):
        query = select(Assignment.id, Assignment.person_id, Assignment.role_id, Assignment.unit_id,
                       Assignment.start, Assignment.end).where(Assignment.person_id.in_(chunk))
        for row in db.session.execute(query):
            held[(row.person_id, row.role_id, row.unit_id)].append((row.id, row.start, row.end))
    return held


def match(records: list[PersonRow], people: dict[str, PersonInfo], table: Table, today: date,
          problems: list[str], result: ImportResult) -> None:
    """Pair each row with the assignment it describes, then decide its outcome."""
    held = load_held(people)
    claimed: set[int] = set()

    def candidates(record: PersonRow) -> list[Held]:
        key = (people[record.number].id, record.role_id, record.unit_id)
        return [h for h in held.get(key, ()) if h[0] not in claimed]

    rows = [r for r in records if r.valid]
    for record in rows:
        if record.start is not None:
            record.match = next((h for h in candidates(record) if h[1] == record.start), None)
            if record.match:
                claimed.add(record.match[0])
    for record in rows:
        if record.match is None:
            record.match = choose(record, candidates(record))
            if record.match:
                claimed.add(record.match[0])
    firsts = {info.row for info in people.values() if info.changes}
    for record in rows:
        decide(record, today, table, problems)
        if record.outcome == "unchanged" and record.row in firsts:
            record.outcome = "updated"
        result.count(record.outcome)
    check_overlaps(rows, people, held, claimed, table, problems)


def check_overlaps(rows: list[PersonRow], people: dict[str, PersonInfo],
                   held: dict[tuple[int, int, int], list[Held]], claimed: set[int], table: Table,
                   problems: list[str]) -> None:
    """Refuse a row whose dates overlap another holding of the same role at the same unit
    (another row, or an assignment the file leaves alone), as the roster pages do."""
    periods: dict[tuple, list[tuple[date, date | None, PersonRow | None]]] = defaultdict(list)
    for record in rows:
        periods[(people[record.number].id or record.number, record.role_id, record.unit_id)].append(
            (record.start, record.end, record))
    for key, items in periods.items():
        items.extend((h[1], h[2], None) for h in held.get(key, ()) if h[0] not in claimed)
        if len(items) < 2:
            continue
        items.sort(key=lambda item: item[0])
        for before, after in zip(items, items[1:], strict=False):
            if before[1] is not None and before[1] < after[0]:
                continue
            record, other = (after[2], before) if after[2] is not None else (before[2], after)
            if record is None:
                continue
            if other[2] is not None:
                message = _("overlaps row %(row)d: the same person, role and unit at the same time",
                            row=other[2].row)
            else:
                message = _("overlaps this person's assignment of the same role at this unit "
                            "from %(start)s to %(end)s", start=other[0], end=other[1] or "…")
            problems.append(problem(record.row, table.header("start"), message))


def choose(record: PersonRow, candidates: list[Held]) -> Held | None:
    """The open assignment a row continues (not one that starts after the row ends);
    for a row without a start, else the latest one that ended when the row says."""
    open_ones = [h for h in candidates if h[2] is None and not (record.end and record.end < h[1])]
    if open_ones:
        return max(open_ones, key=lambda h: h[1])
    if record.start is None and record.end is not None:
        same_end = [h for h in candidates if h[2] == record.end]
        return max(same_end, key=lambda h: h[1]) if same_end else None
    return None


def decide(record: PersonRow, today: date, table: Table, problems: list[str]) -> None:
    """Set the row's final start and end and whether it creates, updates or changes nothing."""
    held_start, held_end = (record.match[1], record.match[2]) if record.match else (today, None)
    start = record.start or held_start
    end = record.end or held_end
    if end is not None and end < start:
        column = "end" if record.end else "start"
        problems.append(problem(record.row, table.header(column), _(
            "the end date %(end)s would be before the start date %(start)s", end=end, start=start)))
    record.start, record.end = start, end
    if record.match is None:
        record.outcome = "created"
    else:
        record.outcome = "updated" if (start, end) != (held_start, held_end) else "unchanged"


def reserve_ids(table, count: int) -> list[int] | None:
    """On PostgreSQL, take `count` ids from the table's sequence in one statement.

    With the ids known, rows go in by plain executemany (psycopg pipelines it) instead
    of INSERT … RETURNING, whose many-row statements psycopg spends seconds parsing.
    Other databases return None and use RETURNING, which is fast there.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    sequence = func.pg_get_serial_sequence(table.name, "id")
    return list(db.session.scalars(
        select(func.nextval(sequence)).select_from(func.generate_series(1, count))))


def write(records: list[PersonRow], people: dict[str, PersonInfo]) -> None:
    """Insert new people, update changed ones, then insert and update assignments in bulk."""
    new = [{"number": number, "name": info.name, "email": info.email or None,
            "phone": info.phone or None} for number, info in people.items() if info.id is None]
    if new:
        table = Person.__table__  # Core: the ORM's per-row bookkeeping costs half the time
        ids = reserve_ids(table, len(new))
        if ids is None:
            for person_id, number in db.session.execute(
                    insert(table).returning(table.c.id, table.c.number), new):
                people[number].id = person_id
        else:
            for row, person_id in zip(new, ids, strict=True):
                row["id"] = people[row["number"]].id = person_id
            db.session.execute(insert(table), new)
    changed = [info.changes for info in people.values() if info.changes]
    if changed:
        db.session.execute(update(Person), changed)
    created = [{"person_id": people[r.number].id, "role_id": r.role_id, "unit_id": r.unit_id,
                "start": r.start, "end": r.end} for r in records if r.outcome == "created"]
    if created:
        db.session.execute(insert(Assignment.__table__), created)
    updated = [{"id": r.match[0], "start": r.start, "end": r.end}
               for r in records if r.match and (r.start, r.end) != (r.match[1], r.match[2])]
    if updated:
        db.session.execute(update(Assignment), updated)
