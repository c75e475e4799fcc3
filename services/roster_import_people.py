"""Importing people and the roles they hold from a table (SPEC §3).

Rows are read into compact records, looked up against the database a chunk at a
time, matched to existing people and assignments (the rules are in
services/roster_import.py), and written with a handful of bulk statements.
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from models import Role
from services.tabular import Column
from services.tabular import Table
from services.tabular import parse_date
from services.tabular import problem

COLUMNS = [
    Column("number", ("number", "工号/学号", "工号", "学号", "学号/工号", "工号或学号")),
    Column("name", ("name", "姓名")),
    Column("role", ("role", "角色")),
    Column("unit", ("unit", "单位编码")),
    Column("email", ("email", "邮箱", "电子邮箱"), required=False),
    Column("phone", ("phone", "手机", "手机号", "电话"), required=False),
    Column("start", ("start", "开始日期"), required=False),
    Column("end", ("end", "结束日期"), required=False),
]
MAX_NUMBER, MAX_NAME, MAX_UNIT, MAX_EMAIL, MAX_PHONE = 64, 100, 64, 254, 32
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{2,31}$")


@dataclass(slots=True)
class PersonRow:
    row: int
    number: str
    name: str
    role_id: int | None
    unit: str
    start: date | None
    end: date | None
    valid: bool = True
    unit_id: int | None = None
    #: the existing assignment this row describes: (id, start, end)
    match: tuple[int, date, date | None] | None = None
    outcome: str = "unchanged"


@dataclass(slots=True)
class PersonInfo:
    """A person as the file describes them, merged over their rows."""

    row: int
    name: str
    email: str
    phone: str
    id: int | None = None
    changes: dict | None = None


def role_keys() -> dict[str, int]:
    """Role id by code, Chinese name or English name, compared without case."""
    keys: dict[str, int] = {}
    for role in db.session.scalars(select(Role)):
        for text in (role.name_en, role.name, role.code):
            if text:
                keys[normalise(text)] = role.id
    return keys


def normalise(text: Any) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def read_rows(table: Table, problems: list[str]) -> tuple[list[PersonRow], dict[str, PersonInfo]]:
    """Check each row's own cells, and that a person's rows agree with one another."""
    roles = role_keys()
    records: list[PersonRow] = []
    people: dict[str, PersonInfo] = {}
    seen: dict[tuple, int] = {}
    for number, cells in table.rows:
        bad_count = len(problems)
        record = read_row(number, cells, table, roles, problems, people)
        key = (record.number, record.role_id, record.unit, record.start)
        if key in seen:
            problems.append(problem(number, table.header("number"),
                                    _("same person, role, unit and start as row %(row)d", row=seen[key])))
        seen.setdefault(key, number)
        record.valid = len(problems) == bad_count
        records.append(record)
    return records, people


def read_row(number: int, cells: dict[str, Any], table: Table, roles: dict[str, int],
             problems: list[str], people: dict[str, PersonInfo]) -> PersonRow:
    """One row's cells, checked in isolation."""
    def bad(name: str, message: str) -> None:
        problems.append(problem(number, table.header(name), message))

    def text(name: str, limit: int, required: bool = True) -> str:
        value = str(cells[name])
        if required and not value:
            bad(name, _("a value is required"))
        elif len(value) > limit:
            bad(name, _("at most %(n)d characters", n=limit))
        return value

    def day(name: str) -> date | None:
        if cells[name] == "":
            return None
        try:
            return parse_date(cells[name])
        except ValueError:
            bad(name, _("%(value)s is not a date (use YYYY-MM-DD)", value=cells[name]))
            return None

    person_number, name = text("number", MAX_NUMBER), text("name", MAX_NAME)
    if "/" in person_number:  # /people/NUMBER could never be opened
        bad("number", _("may not contain /"))
    unit = text("unit", MAX_UNIT)
    role_id = roles.get(normalise(cells["role"]))
    if role_id is None:
        bad("role", _("unknown role %(role)s", role=cells["role"] or "''"))
    email = text("email", MAX_EMAIL, required=False)
    if email and not EMAIL.match(email):
        bad("email", _("%(value)s is not an email address", value=email))
    phone = text("phone", MAX_PHONE, required=False)
    if phone and not PHONE.match(phone):
        bad("phone", _("%(value)s is not a phone number", value=phone))
    start, end = day("start"), day("end")
    if start and end and end < start:
        bad("end", _("%(end)s is before the start date %(start)s", end=end, start=start))
    if person_number:
        merge_person(number, person_number, name, email, phone, table, problems, people)
    return PersonRow(number, person_number, name, role_id, unit, start, end)


def merge_person(number: int, person_number: str, name: str, email: str, phone: str, table: Table,
                 problems: list[str], people: dict[str, PersonInfo]) -> None:
    """Fold one row's details into the person's; details that disagree are problems."""
    info = people.get(person_number)
    if info is None:
        people[person_number] = PersonInfo(number, name, email, phone)
        return
    for column, value in (("name", name), ("email", email), ("phone", phone)):
        known = getattr(info, column)
        if value and known and value != known:
            problems.append(problem(number, table.header(column), _(
                "%(value)s differs from %(known)s on row %(row)d for the same number",
                value=value, known=known, row=info.row)))
        elif value and not known:
            setattr(info, column, value)
