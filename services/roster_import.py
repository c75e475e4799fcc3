"""Importing the roster from Excel or CSV (SPEC §3): units first, then people.

Both imports read the whole file and check every row against the file and the
database before writing anything. Any problem raises ValidationFailed with every
problem as `row N, column C: message` (C is the header as the file writes it) and
nothing is written; `dry_run` stops after the checks and reports what would change.
Each row counts as created, updated or unchanged, so re-importing a file reports
only "unchanged".

Units (matched by code):
- a new code creates the unit under its parent, which may be a row later in the
  file or a unit already in the database;
- an existing code with a different name or student count is updated; an empty
  `students` cell leaves the stored count alone; a unit's kind never changes;
- a different parent moves the unit: its ancestor ids and those of its whole
  subtree are recomputed with one UPDATE per moved unit;
- only a superadmin (or the CLI) creates universities.

People (matched by number, unique per person):
- a new number creates the person; for an existing one a changed name is updated,
  and email or phone are updated when the file gives them — an empty cell leaves
  the stored value alone; a person's rows in one file must agree;
- each row is one role held: it is matched to the person's assignment of that role
  at that unit with the same start date, else to their open one (no end) — unless
  the row ends before that one starts — else, for a row without a start, to the
  latest one that ended on the row's end date. A matched assignment takes the
  row's start and end when given (an end date ends it); an unmatched row creates
  an assignment starting on its start date, or today. Assignments the file does
  not mention are left as they are: history is kept by end dates, never deleted;
- two rows with the same number, role, unit and start are an error, and so is a
  row whose dates overlap another holding of the same role at the same unit (another
  row, or an assignment the file leaves alone), as on the roster pages.

Scope: the CLI (by=None) and a superadmin may import anywhere. An admin may only
touch units in the subtrees of their admin grants; any other unit is reported as
"no such unit", exactly like one that does not exist. A person numbered in the file
who exists only outside the admin's scope may be given a role at the admin's units
when the file spells their name the same way; their contact details are left alone.
"""
from datetime import date
from typing import Any

from models import User
from services import audit
from services import roster_import_assignments as held
from services import roster_import_people as people_rows
from services import roster_import_units as unit_rows
from services.errors import ValidationFailed
from services.import_support import ImportResult
from services.import_support import ImportScope
from services.tabular import read_table


def import_units(source: Any, *, dry_run: bool = False, by: User | None = None) -> ImportResult:
    """Create, update or move the units a file lists; all or nothing.

    :param source: a path, or an upload (werkzeug FileStorage) named .xlsx or .csv
    """
    scope = ImportScope(by)
    table = read_table(source, unit_rows.COLUMNS)
    problems: list[str] = []
    records = unit_rows.read_rows(table, problems)
    known = unit_rows.check_rows(records, table, scope, problems)
    if problems:
        raise ValidationFailed(sorted(problems, key=row_of))
    result = ImportResult(dry_run=dry_run)
    unit_rows.plan(records, known, result)
    if not dry_run:
        unit_rows.write(records, known)
        audit.record("roster.import_units", by=by, target=audit.file_target(source),
                     created=result.created, updated=result.updated,
                     unchanged=result.unchanged, rows=result.rows)
    return result


def import_people(source: Any, *, dry_run: bool = False, by: User | None = None,
                  today: date | None = None) -> ImportResult:
    """Create or update people and the roles they hold from a file; all or nothing.

    :param source: a path, or an upload (werkzeug FileStorage) named .xlsx or .csv
    :param today: the start of assignments whose row gives none (default: today)
    """
    scope = ImportScope(by)
    table = read_table(source, people_rows.COLUMNS)
    problems: list[str] = []
    records, people = people_rows.read_rows(table, problems)
    held.check_units(records, table, scope, problems)
    held.check_people(people, table, scope, problems)
    result = ImportResult(dry_run=dry_run)
    held.match(records, people, table, today or date.today(), problems, result)
    if problems:
        raise ValidationFailed(sorted(problems, key=row_of))
    if not dry_run:
        held.write(records, people)
        audit.record("roster.import_people", by=by, target=audit.file_target(source),
                     created=result.created, updated=result.updated,
                     unchanged=result.unchanged, rows=result.rows)
    return result


def row_of(problem: str) -> int:
    """The row number a `row N, column C: message` problem is about, for sorting."""
    return int(problem.split(",", 1)[0].removeprefix("row "))
