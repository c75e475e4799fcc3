"""A learner's way through a case-study module: progress, answers, completion and status.

Completion is computed here from what is stored (sections reached, decisions answered),
never taken from the client. Writes that a double click could repeat (opening a module,
a first answer, the hour credit) are get-or-create under a unique constraint.
"""
from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from extensions import db
from models import DecisionAnswer
from models import Module
from models import ModuleVersion
from models import Person
from models import Progress
from models.base import utcnow
from services import certification
from services import hours_ledger
from services.errors import DomainError
from services.errors import NotFound
from services.module_source import ParsedModule
from services.module_source import load_version

STATUSES = ("not_started", "in_progress", "completed", "due_again")

# The learner pages' statements are built once, with the person and module as parameters:
# building a statement costs more than SQLite takes to run it.
MODULE_BY_SLUG = (select(Module).options(joinedload(Module.current))
                  .where(Module.slug == bindparam("slug")))
PROGRESS = select(Progress).where(Progress.person_id == bindparam("person_id"),
                                  Progress.module_version_id == bindparam("version_id"))
ANSWERS = select(DecisionAnswer).where(DecisionAnswer.person_id == bindparam("person_id"),
                                       DecisionAnswer.module_version_id == bindparam("version_id"))
#: every version of a module, whether it asks for re-completion, and the person's progress
VERSIONS_AND_PROGRESS = (
    select(ModuleVersion.version, ModuleVersion.requires_recompletion, Progress.id,
           Progress.completed_at)
    .outerjoin(Progress, (Progress.module_version_id == ModuleVersion.id)
               & (Progress.person_id == bindparam("person_id")))
    .where(ModuleVersion.module_id == bindparam("module_id")))


def get_module(slug: str) -> Module:
    """The module learners may open at /modules/<slug>: it exists and has a current version."""
    module = None
    if slug and len(slug) <= 100:
        module = db.session.scalar(MODULE_BY_SLUG, {"slug": slug})
    if module is None or module.current is None:
        raise NotFound(_("There is no such module."))
    return module


def learner_of(person: Person | None) -> Person:
    """The person whose progress is saved; an account outside the roster can only read."""
    if person is None:
        raise DomainError(_("Your account is not linked to a person in the roster, so your "
                            "progress cannot be saved."))
    return person


def find_progress(person: Person, version: ModuleVersion) -> Progress | None:
    """The person's progress through this version, if they have begun it."""
    return db.session.scalar(PROGRESS, {"person_id": person.id, "version_id": version.id})


def answers_of(person: Person, version: ModuleVersion) -> dict[str, DecisionAnswer]:
    """The person's answers in this version, by decision id: one query."""
    return {a.decision_id: a for a in db.session.scalars(
        ANSWERS, {"person_id": person.id, "version_id": version.id})}


def decision_sections(parsed: ParsedModule) -> dict[str, int]:
    """Which section each decision point is in."""
    return {d.id: s.index for s in parsed.sections for d in s.parts if hasattr(d, "options")}


def open_module(person: Person, version: ModuleVersion) -> Progress:
    """Begin (or resume) `version`: one Progress row per person and version, even when raced."""
    progress = find_progress(person, version)
    if progress is not None:
        return progress
    progress = Progress(person_id=person.id, module_version_id=version.id, section_reached=0)
    try:
        with db.session.begin_nested():
            db.session.add(progress)
    except IntegrityError:  # a simultaneous request created it first
        progress = find_progress(person, version)
    return progress


def reach_section(progress: Progress, index: int) -> Progress:
    """Move on to section `index`: one step at a time, never past an unanswered decision.

    Going back is reading, not a step: the highest section reached never goes down.
    """
    parsed = load_version(progress.module_version)
    if not 0 <= index < len(parsed.sections):
        raise NotFound(_("This module has no such section."))
    if index > progress.section_reached:
        if index > progress.section_reached + 1:
            raise DomainError(_("Read the sections in order."))
        answered = answers_of(progress.person, progress.module_version)
        waiting = [d for d in parsed.sections[progress.section_reached].parts
                   if hasattr(d, "options") and d.id not in answered]
        if waiting:
            raise DomainError(_("Answer the decision points in this section first."))
        db.session.execute(update(Progress).where(
            Progress.id == progress.id, Progress.section_reached < index)
            .values(section_reached=index))
    maybe_complete(progress)
    return progress


def answer_decision(person: Person, version: ModuleVersion, decision_id: str,
                    choice_index: int | None):
    """Record a choice; return (answer, chosen option). The first choice is kept for the score.

    A later choice (trying another option after the feedback) only updates last_choice.
    """
    parsed = load_version(version)
    decision = parsed.decision(decision_id) if isinstance(decision_id, str) else None
    if decision is None:
        raise NotFound(_("This module has no such decision point."))
    if not isinstance(choice_index, int) or not 0 <= choice_index < len(decision.options):
        raise DomainError(_("Choose one of the options."))
    option = decision.options[choice_index]
    progress = open_module(person, version)
    if decision_sections(parsed)[decision.id] > progress.section_reached:
        raise DomainError(_("Read the sections in order."))
    answer = answers_of(person, version).get(decision.id)
    if answer is None:
        answer = DecisionAnswer(person_id=person.id, module_version_id=version.id,
                                decision_id=decision.id, first_choice=choice_index,
                                first_correct=option.correct, last_choice=choice_index)
        try:
            with db.session.begin_nested():
                db.session.add(answer)
        except IntegrityError:  # a double submit: the other request's first answer stands
            answer = answers_of(person, version)[decision.id]
    answer.last_choice = choice_index
    db.session.flush()
    maybe_complete(progress)
    return answer, option


def maybe_complete(progress: Progress) -> bool:
    """Complete the version when every section is reached and every decision answered.

    Sets the score (share right first time; 1.0 without decisions) and credits the hours,
    unless the person had already completed this module and nothing asks them to again.
    Returns whether this call completed it.
    """
    if progress.completed_at is not None:
        return False
    version = progress.module_version
    parsed = load_version(version)
    if progress.section_reached < len(parsed.sections) - 1:
        return False
    answers = answers_of(progress.person, version)
    decisions = parsed.decisions
    if any(d.id not in answers for d in decisions):
        return False
    right = sum(1 for d in decisions if answers[d.id].first_correct)
    earlier = status_in(progress.person, version.module, version)
    progress.score = right / len(decisions) if decisions else 1.0
    progress.completed_at = utcnow()
    if earlier != "completed":
        hours_ledger.credit_module_hours(progress.person, version)
    db.session.flush()
    certification.reevaluate(progress.person)
    return True


def status_from(current: int, started: bool, completed: set[int], flagged: set[int]) -> str:
    """The status from version numbers: the current one, those completed, those flagged
    "requires re-completion"; `started`: there is progress on the current version."""
    if completed:
        last = max(completed)
        if last < current and any(last < v <= current for v in flagged):
            return "due_again"
        return "completed"
    return "in_progress" if started else "not_started"


def status_in(person: Person, module: Module, version: ModuleVersion) -> str:
    """The person's status for `module` as if `version` were current."""
    rows = db.session.execute(VERSIONS_AND_PROGRESS,
                              {"person_id": person.id, "module_id": module.id}).all()
    flagged = {number for number, again, _id, _done in rows if again}
    completed = {number for number, _again, _id, done in rows if done is not None}
    started = any(number == version.version and found is not None
                  for number, _again, found, _done in rows)
    return status_from(version.version, started, completed, flagged)


def module_status(person: Person | None, module: Module) -> str:
    """not_started | in_progress | completed | due_again, for the module's current version."""
    if person is None or module.current is None:
        return "not_started"
    return status_in(person, module, module.current)


def latest_completion(person: Person, module: Module) -> Progress | None:
    """The person's most recent completion of any version of the module."""
    return db.session.scalar(
        select(Progress).join(Progress.module_version)
        .options(joinedload(Progress.module_version))
        .where(Progress.person_id == person.id, ModuleVersion.module_id == module.id,
               Progress.completed_at.is_not(None))
        .order_by(ModuleVersion.version.desc()).limit(1))


def hours_total(person: Person | None) -> float:
    """The hours shown on the dashboard: every approved entry in the ledger."""
    return hours_ledger.approved_hours(person) if person is not None else 0.0
