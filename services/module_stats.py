"""Per-module statistics for trainers: who started and finished it, and which choices
learners made at each decision point — the case-study equivalent of item analysis.

Only people in the viewer's scope count (an assignment at a unit their trainer, admin
or auditor grants cover; a superadmin counts everyone). Everything is set-based: the
same handful of statements however many learners answered.
"""
from dataclasses import dataclass
from dataclasses import field

from flask_babel import gettext as _
from sqlalchemy import ColumnElement
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import true

from extensions import db
from models import Assignment
from models import DecisionAnswer
from models import Module
from models import ModuleVersion
from models import Progress
from models import Unit
from models import User
from services import scope
from services.errors import NotFound
from services.module_source import load_version

#: whose people a viewer may count
STATS_KINDS = ("trainer", "admin", "auditor")


@dataclass
class OptionShare:
    text: str
    correct: bool
    count: int = 0
    share: float = 0.0


@dataclass
class DecisionStats:
    id: str
    prompt: str
    options: list[OptionShare]
    answered: int = 0
    #: share of answers whose first choice was correct (None while nobody answered)
    correct_first: float | None = None


@dataclass
class ModuleStats:
    module: Module
    version: ModuleVersion
    #: every version number of the module, newest first, for the selector
    versions: list[int]
    started: int = 0
    completed: int = 0
    decisions: list[DecisionStats] = field(default_factory=list)


def people_in_scope(column, user: User | None) -> ColumnElement[bool]:
    """A WHERE clause: the person id in `column` belongs to someone the viewer may count."""
    if user is not None and user.is_superadmin:
        return true()
    in_scope = (
        select(Assignment.person_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(scope.unit_filter(user, STATS_KINDS))
    )
    return column.in_(in_scope)


def pick_version(module: Module, number) -> ModuleVersion:
    """The version asked for in the URL, the current one when none (or nonsense) was asked."""
    try:
        wanted = int(str(number).strip()) if number not in (None, "") else None
    except ValueError:
        wanted = None
    if wanted is None:
        if module.current is None:
            raise NotFound(_("No such module."))
        return module.current
    for version in module.versions:
        if version.version == wanted:
            return version
    raise NotFound(_("This module has no version %(n)s.", n=wanted))


def module_stats(slug: str, user: User | None, version=None) -> ModuleStats:
    """Started/completed counts and first-choice shares per decision for one module version."""
    module = db.session.scalar(select(Module).where(Module.slug == slug))
    if module is None:
        raise NotFound(_("No such module."))
    chosen = pick_version(module, version)
    stats = ModuleStats(module, chosen, sorted((v.version for v in module.versions), reverse=True))
    stats.started, stats.completed = progress_counts(chosen, user)
    stats.decisions = decision_stats(chosen, user)
    return stats


def progress_counts(version: ModuleVersion, user: User | None) -> tuple[int, int]:
    """How many people in scope started, and how many completed, this version."""
    row = db.session.execute(
        select(func.count(Progress.id), func.count(Progress.completed_at))
        .where(Progress.module_version_id == version.id,
               people_in_scope(Progress.person_id, user))
    ).one()
    return row[0] or 0, row[1] or 0


def decision_stats(version: ModuleVersion, user: User | None) -> list[DecisionStats]:
    """For each decision point, in reading order: answers, first-choice shares, share right."""
    rows = db.session.execute(
        select(DecisionAnswer.decision_id, DecisionAnswer.first_choice,
               DecisionAnswer.first_correct, func.count())
        .where(DecisionAnswer.module_version_id == version.id,
               people_in_scope(DecisionAnswer.person_id, user))
        .group_by(DecisionAnswer.decision_id, DecisionAnswer.first_choice,
                  DecisionAnswer.first_correct)
    ).all()
    entries = [
        DecisionStats(d.id, d.prompt, [OptionShare(o.text, o.correct) for o in d.options])
        for d in load_version(version).decisions
    ]
    by_id = {entry.id: entry for entry in entries}
    right = dict.fromkeys(by_id, 0)
    for decision_id, choice, correct, count in rows:
        entry = by_id.get(decision_id)
        if entry is None:
            continue
        entry.answered += count
        right[decision_id] += count if correct else 0
        if 0 <= choice < len(entry.options):
            entry.options[choice].count += count
    for entry in entries:
        if entry.answered:
            entry.correct_first = right[entry.id] / entry.answered
            for option in entry.options:
                option.share = option.count / entry.answered
    return entries
