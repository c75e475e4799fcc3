"""What the learner page of a module shows: one section, as far as the learner may read.

Within a section the text after a decision point stays hidden until it is answered, so a
case study unfolds as it would in life; the next section opens only when every decision
in this one is answered. A user with no person in the roster reads everything, saving nothing.
"""
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select

from extensions import db
from models import DecisionAnswer
from models import HourEntry
from models import Module
from models import ModuleVersion
from models import Person
from models import Progress
from services import training
from services.hours_ledger import module_ref
from services.learner_modules import fraction
from services.module_source import Decision
from services.module_source import ParsedModule
from services.module_source import Section
from services.module_source import load_version


@dataclass
class Part:
    text: Markup | None
    decision: Decision | None
    answer: DecisionAnswer | None
    #: the anchor of what follows, for the "continue" link
    next_anchor: str


@dataclass
class ModulePage:
    module: Module
    version: ModuleVersion
    parsed: ParsedModule
    person: Person | None
    progress: Progress | None
    status: str
    #: the latest completion of any version, and the hours it credited
    completion: Progress | None
    credited: float
    section: Section
    reached: int
    parts: list[Part]
    #: some of the section waits behind an unanswered decision
    held_back: bool
    #: "link" (read on), "post" (record the next section), "finish", or None (answer first)
    advance: str | None
    fraction: float

    @property
    def index(self) -> int:
        return self.section.index

    @property
    def last(self) -> int:
        return len(self.parsed.sections) - 1


def visible_parts(section: Section, answers: dict, saving: bool) -> tuple[list[Part], bool]:
    """The section's parts up to and including its first unanswered decision."""
    shown: list[Part] = []
    for number, part in enumerate(section.parts):
        follows = f"part-{number + 1}" if number + 1 < len(section.parts) else "section-nav"
        if isinstance(part, Decision):
            answer = answers.get(part.id)
            shown.append(Part(None, part, answer, follows))
            if saving and answer is None:
                return shown, number + 1 < len(section.parts)
        else:
            shown.append(Part(part, None, None, follows))
    return shown, False


def credited_hours(person: Person, completion: Progress | None) -> float:
    """The hours the ledger holds for that completion (none for a repeat that earns nothing)."""
    if completion is None:
        return 0.0
    ref = module_ref(completion.module_version)
    hours = db.session.scalar(select(HourEntry.hours).where(
        HourEntry.person_id == person.id, HourEntry.source == "module",
        HourEntry.source_ref == ref))
    return float(hours or 0.0)


def build_page(person: Person | None, module: Module, requested: int | None) -> ModulePage:
    """The page for `module`'s current version at section `requested` (default: where they are)."""
    version = module.current
    parsed = load_version(version)
    last = len(parsed.sections) - 1
    progress, answers, status, completion, credited = None, {}, "not_started", None, 0.0
    if person is not None:
        progress = training.find_progress(person, version)
        answers = training.answers_of(person, version) if progress is not None else {}
        status = training.status_in(person, module, version)
        if status in ("completed", "due_again"):
            completion = training.latest_completion(person, module)
            credited = credited_hours(person, completion)
    reached = last if person is None else (progress.section_reached if progress else 0)
    done = progress is not None and progress.completed_at is not None
    if requested is None or not 0 <= requested <= reached:
        requested = 0 if done else reached
    section = parsed.sections[requested]
    parts, held_back = visible_parts(section, answers, person is not None)
    waiting = person is not None and any(p.decision and p.answer is None for p in parts)
    if waiting:
        advance = None
    elif requested < reached:
        advance = "link"
    elif requested < last:
        advance = "post"
    else:
        advance = "finish" if person is not None and not done else None
    return ModulePage(module, version, parsed, person, progress, status, completion, credited,
                      section, reached, parts, held_back, advance,
                      1.0 if status == "completed" else fraction(parsed, progress, len(answers)))
