"""`flask certs import FILE`: certificates earned before the platform (SPEC §3).

Columns `number|工号/学号`, `program|认证` (a program's code or its title) and
`issued|发证日期`; the expiry follows the program (`issued + valid_months`). Every row is
checked before anything is written; any problem raises ValidationFailed with every
problem as `row N, column C: message`. A row whose person already has a certificate of
that program issued that day is unchanged, so importing a file twice changes nothing.
With `by` (an upload), only people in the user's admin scope can be named; anyone else
gets the same message as an unknown number.
"""
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from models import Certificate
from models import Person
from models import Program
from models import User
from services import audit
from services.certificate_codes import new_code
from services.certification_rules import expiry_of
from services.errors import ValidationFailed
from services.import_support import chunks
from services.scope import WRITE_KINDS
from services.scope import person_filter
from services.tabular import Column
from services.tabular import parse_date
from services.tabular import problem
from services.tabular import read_table

COLUMNS = [
    Column("number", ("number", "工号/学号", "工号", "学号")),
    Column("program", ("program", "认证", "认证项目")),
    Column("issued", ("issued", "发证日期")),
]


@dataclass
class CertificateImport:
    created: int = 0
    unchanged: int = 0
    dry_run: bool = False

    def __str__(self) -> str:
        verb = "would create" if self.dry_run else "created"
        return f"{verb} {self.created}, unchanged {self.unchanged}"


def program_names() -> dict[str, Program]:
    """Every way a file may name a program: its code, its title, its English title."""
    names = {}
    for program in db.session.scalars(select(Program).order_by(Program.id)):
        for name in (program.title_en, program.title, program.code):
            if name:
                names[name.strip().casefold()] = program
    return names


def import_certificates(source: Any, *, dry_run: bool = False, by: User | None = None,
                        today: date | None = None) -> CertificateImport:
    """Create the file's certificates; all or nothing."""
    today = today or date.today()
    table = read_table(source, COLUMNS)
    programs = program_names()
    rows, problems = [], []
    for number, values in table.rows:
        program = programs.get(str(values["program"]).strip().casefold())
        if not values["number"]:
            problems.append(problem(number, table.header("number"), _("the number is missing")))
        if program is None:
            problems.append(problem(number, table.header("program"), _(
                "no program has the code or title %(name)r", name=str(values["program"]))))
        try:
            issued = parse_date(values["issued"])
        except ValueError:
            problems.append(problem(number, table.header("issued"),
                                    _("not a date (use YYYY-MM-DD)")))
            issued = None
        if issued is not None and issued > today:
            problems.append(problem(number, table.header("issued"),
                                    _("the date %(date)s is in the future", date=issued.isoformat())))
        rows.append((number, str(values["number"]), program, issued))
    people = find_people({r[1] for r in rows if r[1]}, by)
    existing = issued_days({p.id for p in people.values()})
    result, seen, new = CertificateImport(dry_run=dry_run), {}, []
    for number, person_number, program, issued in rows:
        person = people.get(person_number)
        if person_number and person is None:
            problems.append(problem(number, table.header("number"), _(
                "no person has the number %(number)s", number=person_number)))
        if person is None or program is None or issued is None:
            continue
        key = (person.id, program.id, issued)
        if key in seen:
            problems.append(problem(number, table.header("number"), _(
                "the same certificate as row %(row)d", row=seen[key])))
            continue
        seen[key] = number
        if key in existing:
            result.unchanged += 1
        else:
            new.append((person, program, issued))
    if problems:
        raise ValidationFailed(sorted(problems, key=row_number))
    result.created = len(new)
    if not dry_run and new:
        for person, program, issued in new:
            db.session.add(Certificate(code=new_code(), person_id=person.id, program_id=program.id,
                                       issued=issued, expires=expiry_of(issued, program),
                                       source="import"))
        db.session.flush()
        audit.record("certificate.import", by=by, target=audit.file_target(source),
                     created=result.created,
                     unchanged=result.unchanged)
    return result


def find_people(numbers: set[str], by: User | None) -> dict[str, Person]:
    found = {}
    for chunk in chunks(sorted(numbers)):
        stmt = select(Person).where(Person.number.in_(chunk))
        if by is not None:
            stmt = stmt.where(person_filter(by, WRITE_KINDS))
        found.update({p.number: p for p in db.session.scalars(stmt)})
    return found


def issued_days(person_ids: set[int]) -> set[tuple[int, int, date]]:
    """(person, program, issued) of the certificates these people already have."""
    days = set()
    for chunk in chunks(sorted(person_ids)):
        days.update(tuple(row) for row in db.session.execute(
            select(Certificate.person_id, Certificate.program_id, Certificate.issued)
            .where(Certificate.person_id.in_(chunk))))
    return days


def row_number(text: str) -> int:
    return int(text.split(",")[0].split()[1])
