"""How many training hours a person's roles require, and how many they have in the window.

The rule (issue #5, "document which"):
- For each role the person holds on `as_of`, every certification program whose `roles`
  include it and whose `requires.hours` is above 0 sets a requirement of that many
  hours within its `hours_window_months` (SPEC §2.6). A program covering several of the
  person's roles counts once.
- A role that no such program covers falls back to its `annual_hours` from
  content/roles.yaml, over 12 months. That figure is local policy, not the notice's.
- A role with neither has no hours requirement.

The window is the last N months up to and including `as_of`:
`window_start(as_of, N) ≤ date ≤ as_of`, counting approved entries from every source.
"""
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import HourEntry
from models import Person
from models import Program
from models import Role
from services.roster import current_roles

#: the window of a requirement taken from a role's annual_hours
ROLE_WINDOW_MONTHS = 12


@dataclass
class Requirement:
    role: Role
    hours: float
    window_months: int
    #: "program:<code>" or "role"
    source: str
    approved_in_window: float
    window_start: date
    window_end: date
    program: Program | None = None

    @property
    def role_code(self) -> str:
        return self.role.code

    @property
    def progress(self) -> float:
        """The share done, 0..1, for a progress bar."""
        return min(1.0, self.approved_in_window / self.hours) if self.hours else 1.0

    @property
    def met(self) -> bool:
        return self.approved_in_window >= self.hours

    @property
    def missing(self) -> float:
        return max(0.0, self.hours - self.approved_in_window)

    def label(self, locale: str) -> str:
        """The program's title, or the role's name when the role sets the requirement."""
        if self.program is not None:
            english = locale.startswith("en") and self.program.title_en
            return self.program.title_en if english else self.program.title
        return self.role.label(locale)


def window_start(as_of: date, months: int) -> date:
    """The first day counted in a window of `months` ending on `as_of` (calendar months)."""
    return as_of - relativedelta(months=months)


def program_hours(program: Program) -> float:
    """The hours a program requires, 0 when it requires none (or the file says nonsense)."""
    try:
        return float((program.requires or {}).get("hours") or 0)
    except (TypeError, ValueError):
        return 0.0


def requirements_for(person: Person | None, as_of: date | None = None) -> list[Requirement]:
    """The person's hours requirements on `as_of`, with approved hours in each window.

    Three queries whatever the person holds: roles, programs, and one sum per window.
    """
    as_of = as_of or date.today()
    if person is None:
        return []
    roles: dict[str, Role] = {}
    for assignment in current_roles(person, as_of):
        roles.setdefault(assignment.role.code, assignment.role)
    if not roles:
        return []
    found: list[tuple[Role, float, int, str, Program | None]] = []
    covered: set[str] = set()
    for program in db.session.scalars(select(Program).order_by(Program.code)):
        hours = program_hours(program)
        held = sorted(code for code in (program.roles or []) if code in roles)
        if hours > 0 and held:
            found.append((roles[held[0]], hours, program.hours_window_months or 12,
                          f"program:{program.code}", program))
            covered.update(held)
    for code in sorted(roles):
        role = roles[code]
        if code not in covered and role.annual_hours and role.annual_hours > 0:
            found.append((role, float(role.annual_hours), ROLE_WINDOW_MONTHS, "role", None))
    sums = approved_in_windows(person, as_of, {months for _r, _h, months, _s, _p in found})
    return [Requirement(role, hours, months, source, sums[months], window_start(as_of, months),
                        as_of, program)
            for role, hours, months, source, program in found]


def approved_in_windows(person: Person, as_of: date, windows: set[int]) -> dict[int, float]:
    """Approved hours for each window length (months) ending on `as_of`, in one query."""
    if not windows:
        return {}
    ordered = sorted(windows)
    starts = {months: window_start(as_of, months) for months in ordered}
    columns = [func.coalesce(func.sum(case((HourEntry.date >= starts[m], HourEntry.hours),
                                           else_=0.0)), 0.0) for m in ordered]
    row = db.session.execute(select(*columns).where(
        HourEntry.person_id == person.id, HourEntry.status == "approved",
        HourEntry.date >= min(starts.values()), HourEntry.date <= as_of)).one()
    return {months: float(value or 0.0) for months, value in zip(ordered, row, strict=True)}
