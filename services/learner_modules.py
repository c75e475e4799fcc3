"""The dashboard's "My modules": what the roles a person holds require, and how far they are.

A fixed number of queries however many modules and learners there are: the person's role
codes, every current version, the versions flagged "requires re-completion", the person's
progress rows and their answer counts — one query each.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from extensions import db
from models import Assignment
from models import DecisionAnswer
from models import Module
from models import ModuleVersion
from models import Person
from models import Progress
from models import Role
from services.module_source import load_version
from services.roster import active_clause
from services.training import status_from

#: what needs doing first comes first
ORDER = {"due_again": 0, "in_progress": 1, "not_started": 2, "completed": 3}


@dataclass
class ModuleRow:
    module: Module
    version: ModuleVersion
    status: str
    #: 0…1: sections reached and decisions answered in the current version
    progress: float
    #: of the latest completion
    score: float | None
    hours: float


# The dashboard's statements are built once, with the person as a parameter: building a
# statement costs more than SQLite takes to run it.
ROLE_CODES = (select(Role.code).join(Assignment, Assignment.role_id == Role.id)
              .where(Assignment.person_id == bindparam("person_id"), active_clause(bindparam("on"))))
CURRENT_VERSIONS = (select(ModuleVersion).join(ModuleVersion.module)
                    .options(contains_eager(ModuleVersion.module))
                    .where(Module.current_version_id == ModuleVersion.id)
                    .order_by(ModuleVersion.title, Module.slug))
FLAGGED_VERSIONS = (select(ModuleVersion.module_id, ModuleVersion.version)
                    .where(ModuleVersion.requires_recompletion.is_(True)))
PROGRESS_OF = (select(Progress, ModuleVersion.module_id, ModuleVersion.version)
               .join(ModuleVersion, Progress.module_version_id == ModuleVersion.id)
               .where(Progress.person_id == bindparam("person_id")))
ANSWER_COUNTS = (select(DecisionAnswer.module_version_id, func.count())
                 .where(DecisionAnswer.person_id == bindparam("person_id"))
                 .group_by(DecisionAnswer.module_version_id))


def role_codes(person: Person, on: date) -> set[str]:
    """The codes of the roles the person holds on `on`."""
    return set(db.session.scalars(ROLE_CODES, {"person_id": person.id, "on": on}))


def current_versions() -> list[ModuleVersion]:
    """Every module's current version, with its module, by title."""
    return list(db.session.scalars(CURRENT_VERSIONS))


def fraction(parsed, progress: Progress | None, answered: int) -> float:
    """How far through a version: sections reached plus decisions answered, of all steps."""
    if progress is None:
        return 0.0
    if progress.completed_at is not None:
        return 1.0
    steps = len(parsed.sections) + len(parsed.decisions)
    return min(1.0, (progress.section_reached + 1 + answered) / steps) if steps else 0.0


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
    versions = [v for v in current_versions() if codes & set(v.roles or ())]
    if not versions:
        return []
    flagged: dict[int, set[int]] = {}
    for module_id, number in db.session.execute(FLAGGED_VERSIONS):
        flagged.setdefault(module_id, set()).add(number)
    mine: dict[int, list[tuple[int, Progress]]] = {}
    for progress, module_id, number in db.session.execute(PROGRESS_OF, {"person_id": person.id}):
        mine.setdefault(module_id, []).append((number, progress))
    counts = dict(db.session.execute(ANSWER_COUNTS, {"person_id": person.id}).all())
    rows = []
    for version in versions:
        history = mine.get(version.module_id, [])
        done = sorted(((n, p) for n, p in history if p.completed_at is not None),
                      key=lambda item: item[0])
        here = next((p for n, p in history if n == version.version), None)
        status = status_from(version.version, here is not None, {n for n, _p in done},
                             flagged.get(version.module_id, set()))
        progress = 1.0 if status == "completed" else fraction(
            load_version(version), here, counts.get(version.id, 0))
        rows.append(ModuleRow(version.module, version, status, progress,
                              done[-1][1].score if done else None, version.hours))
    rows.sort(key=lambda row: ORDER[row.status])
    return rows
