"""The dashboard's "My modules": what the roles a person holds require, and how far they are.

A fixed number of queries however many modules and learners there are: the published
modules come from the content catalogue (services/content_catalogue.py), then the
person's progress rows and their answer counts, one query each.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import DecisionAnswer
from models import ModuleVersion
from models import Person
from models import Progress
from models import Role
from services.content_catalogue import CurrentModule
from services.content_catalogue import catalogue
from services.core_reads import read
from services.roster import active_clause
from services.training import status_from

#: what needs doing first comes first
ORDER = {"due_again": 0, "in_progress": 1, "not_started": 2, "completed": 3}


@dataclass
class ModuleRow:
    module: CurrentModule
    status: str
    #: 0…1: sections reached and decisions answered in the current version
    progress: float
    #: of the latest completion
    score: float | None
    hours: float

    @property
    def version(self) -> CurrentModule:
        """The current version's fields (title, number) live on the same catalogue row."""
        return self.module


# The dashboard's statements are built once, with the person as a parameter: building a
# statement costs more than SQLite takes to run it.
ROLE_CODES = (select(Role.code).join(Assignment, Assignment.role_id == Role.id)
              .where(Assignment.person_id == bindparam("person_id"), active_clause(bindparam("on"))))
PROGRESS_OF = (select(ModuleVersion.module_id, ModuleVersion.version, Progress.section_reached,
                      Progress.completed_at, Progress.score)
               .join(ModuleVersion, Progress.module_version_id == ModuleVersion.id)
               .where(Progress.person_id == bindparam("person_id")))
ANSWER_COUNTS = (select(DecisionAnswer.module_version_id, func.count())
                 .where(DecisionAnswer.person_id == bindparam("person_id"))
                 .group_by(DecisionAnswer.module_version_id))


def role_codes(person: Person, on: date) -> set[str]:
    """The codes of the roles the person holds on `on`."""
    return set(db.session.scalars(ROLE_CODES, {"person_id": person.id, "on": on}))


def fraction(parsed, progress: Progress | None, answered: int) -> float:
    """How far through a version: sections reached plus decisions answered, of all steps."""
    if progress is None:
        return 0.0
    return fraction_of(len(parsed.sections) + len(parsed.decisions), progress.section_reached,
                       progress.completed_at is not None, answered)


def fraction_of(steps: int, section_reached: int, completed: bool, answered: int) -> float:
    if completed:
        return 1.0
    return min(1.0, (section_reached + 1 + answered) / steps) if steps else 0.0


def learner_modules(person: Person | None, on: date | None = None,
                    codes: set[str] | None = None) -> list[ModuleRow]:
    """The modules required by the person's current roles (`codes`, when the caller has
    them already), most pressing first."""
    if person is None:
        return []
    if codes is None:
        codes = role_codes(person, on or date.today())
    if not codes:
        return []
    content = catalogue()
    modules = [m for m in content.modules if codes & m.roles]
    if not modules:
        return []
    mine: dict[int, list[tuple]] = {}
    for module_id, *row in read(PROGRESS_OF, {"person_id": person.id}):
        mine.setdefault(module_id, []).append(tuple(row))
    counts = dict(read(ANSWER_COUNTS, {"person_id": person.id}).all())
    rows = []
    for module in modules:
        history = mine.get(module.module_id, [])
        done = sorted((row for row in history if row[2] is not None), key=lambda row: row[0])
        here = next((row for row in history if row[0] == module.version), None)
        status = status_from(module.version, here is not None, {row[0] for row in done},
                             content.flagged.get(module.module_id, frozenset()))
        if status == "completed":
            progress = 1.0
        elif here is None:
            progress = 0.0
        else:
            progress = fraction_of(module.steps, here[1], here[2] is not None,
                                   counts.get(module.version_id, 0))
        rows.append(ModuleRow(module, status, progress, done[-1][3] if done else None,
                              module.hours))
    rows.sort(key=lambda row: ORDER[row.status])
    return rows
