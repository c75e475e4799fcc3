"""The published content every learner page reads, kept per process while it is unchanged.

The dashboard needs every current module version, every quiz and every program. Loading
them as ORM entities, with module sources and question lists, cost more than the rest of
the page, for rows that change only when someone publishes. Triggers count every such
change (models/content_version.py), so each process keeps one snapshot, read at an
(epoch, version) pair, and checks the pair once per transaction: one small statement
instead of five large ones. The snapshot holds plain frozen rows, never ORM objects,
which would be shared between sessions; treat their lists and dicts as read-only.

A transaction that has written reads the content itself (it sees its own changes) and
keeps what it read to itself: it may roll back.
"""
from copy import deepcopy
from dataclasses import dataclass
from dataclasses import field

from flask import current_app
from sqlalchemy import event
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from extensions import db
from models import ContentVersion
from models import Module
from models import ModuleVersion
from models import Program
from models import Quiz
from models.quiz import COMPETENCIES
from services.core_reads import read
from services.module_source import parse_stored

#: session.info keys: the snapshot this transaction checked, and whether it has written
CHECKED = "content_catalogue"
WROTE = "content_catalogue_wrote"


@dataclass(frozen=True)
class CurrentModule:
    """A module with its current version: what the dashboard lists and links."""
    module_id: int
    slug: str
    version_id: int
    version: int
    title: str
    roles: frozenset
    hours: float
    source: str = field(repr=False)

    @property
    def steps(self) -> int:
        """Sections plus decision points, for the progress bar (parsed once per version)."""
        parsed = parse_stored(self.version_id, self.slug, self.source)
        return len(parsed.sections) + len(parsed.decisions)


@dataclass(frozen=True)
class QuizEntry:
    id: int
    slug: str
    title: str
    roles: frozenset
    max_attempts: int | None


@dataclass(frozen=True)
class ProgramEntry:
    """A program's rules, as services/certification_rules.py reads them."""
    id: int
    code: str
    title: str
    title_en: str
    roles: list
    requires: dict
    renewal: dict | None
    hours_window_months: int
    valid_months: int
    renew_window_days: int
    issuer: str


@dataclass(frozen=True)
class Catalogue:
    key: tuple | None
    #: by title, then slug
    modules: tuple = ()
    #: module id → the version numbers flagged "requires re-completion"
    flagged: dict = field(default_factory=dict)
    #: competency → ids of every module version (current or not) that lists it
    competency_versions: dict = field(default_factory=dict)
    #: by title, then slug
    quizzes: tuple = ()
    #: by code
    programs: tuple = ()

    def module_titles(self) -> dict[str, str]:
        return {m.slug: m.title for m in self.modules}

    def quiz_titles(self) -> dict[str, str]:
        return {q.slug: q.title for q in self.quizzes}


# Built once: building a statement costs more than running it.
KEY = select(ContentVersion.epoch, ContentVersion.version).where(ContentVersion.id == 1)
CURRENT = (select(Module.id, Module.slug, ModuleVersion.id, ModuleVersion.version,
                  ModuleVersion.title, ModuleVersion.roles, ModuleVersion.hours,
                  ModuleVersion.source)
           .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
           .order_by(ModuleVersion.title, Module.slug))
VERSIONS = select(ModuleVersion.id, ModuleVersion.module_id, ModuleVersion.version,
                  ModuleVersion.requires_recompletion, ModuleVersion.competencies)
QUIZZES = (select(Quiz.id, Quiz.slug, Quiz.title, Quiz.roles, Quiz.max_attempts)
           .order_by(Quiz.title, Quiz.slug))
PROGRAMS = (select(Program.id, Program.code, Program.title, Program.title_en, Program.roles,
                   Program.requires, Program.renewal, Program.hours_window_months,
                   Program.valid_months, Program.renew_window_days, Program.issuer)
            .order_by(Program.code))


def catalogue() -> Catalogue:
    """The content as this transaction sees it, pending changes included (as autoflush
    would have them)."""
    session = db.session()
    if session.autoflush:
        session.flush()  # returns at once when nothing is pending; a flush forgets CHECKED
    checked = session.info.get(CHECKED)
    if checked is not None:
        return checked
    key = read(KEY).first()
    key = tuple(key) if key is not None else None
    kept = current_app.extensions.setdefault("content_catalogue", {})
    snapshot = kept.get("snapshot")
    if session.info.get(WROTE):
        # its own writes count, and PostgreSQL bumps the version only as it commits
        snapshot = build(session.connection(), None)
    elif key is None or snapshot is None or snapshot.key != key:
        snapshot = build(session.connection(), key)
        if key is not None:
            kept["snapshot"] = snapshot
    session.info[CHECKED] = snapshot
    return snapshot


def build(connection, key: tuple | None) -> Catalogue:
    """Read the content: four statements, whatever the number of learners."""
    modules = tuple(
        CurrentModule(module_id, slug, version_id, number, title, frozenset(roles or ()),
                      hours or 0.0, source)
        for module_id, slug, version_id, number, title, roles, hours, source
        in connection.execute(CURRENT))
    flagged: dict[int, set] = {}
    competency_versions: dict[str, list] = {}
    for version_id, module_id, number, recomplete, listed in connection.execute(VERSIONS):
        if recomplete:
            flagged.setdefault(module_id, set()).add(number)
        for code in set(listed or ()) & set(COMPETENCIES):
            competency_versions.setdefault(code, []).append(version_id)
    quizzes = tuple(QuizEntry(quiz_id, slug, title, frozenset(roles or ()), max_attempts)
                    for quiz_id, slug, title, roles, max_attempts in connection.execute(QUIZZES))
    programs = tuple(ProgramEntry(*row[:5], deepcopy(row[5] or {}), deepcopy(row[6]), *row[7:])
                     for row in connection.execute(PROGRAMS))
    return Catalogue(key, modules, {k: frozenset(v) for k, v in flagged.items()},
                     {k: tuple(v) for k, v in competency_versions.items()}, quizzes, programs)


def forget_checked(session: Session) -> None:
    session.info.pop(CHECKED, None)


@event.listens_for(Session, "after_flush")
def note_write(session: Session, _flush_context) -> None:
    """A flush may have changed content: check again, and keep nothing built from here on."""
    session.info[WROTE] = True
    forget_checked(session)


@event.listens_for(Session, "do_orm_execute")
def note_bulk_write(state) -> None:
    """Bulk DML, and any textual SQL (it may write; it cannot be told apart cheaply)."""
    if state.is_insert or state.is_update or state.is_delete or isinstance(state.statement, TextClause):
        state.session.info[WROTE] = True
        forget_checked(state.session)


@event.listens_for(Session, "after_transaction_end")
def end_transaction(session: Session, transaction) -> None:
    """Check again after any transaction ends, a savepoint rolled back included; a new
    outer transaction starts without the mark of writing."""
    forget_checked(session)
    if transaction.parent is None:
        session.info.pop(WROTE, None)
