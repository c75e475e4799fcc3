"""Content files ⇄ database (SPEC §2): validate everything, then write, idempotently.

Each kind of file is a handler in HANDLERS, in the order they must be applied (roles
before the rules that name them). A handler parses its files into plain records,
reporting `path:line: message` problems; nothing is written unless every file of
every handler is clean.
"""
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from services import audit
from services.content_certifications import CertificationsFile
from services.content_modules import ModulesFile
from services.content_qualifications import QualificationTypesFile
from services.content_questions import QuestionsFile
from services.content_questions import QuizzesFile
from services.content_roster import RolesFile
from services.content_roster import StaffingFile
from services.errors import ValidationFailed

#: handlers in the order they are applied; later issues append theirs
HANDLERS = [RolesFile(), StaffingFile(), ModulesFile(), QuestionsFile(), QuizzesFile(),
            QualificationTypesFile(),  # before certifications.yaml, which names the types
            CertificationsFile()]


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    files: list[str] = field(default_factory=list)

    def add(self, other: "SyncResult") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged

    def __str__(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


class SyncContext:
    """What the files being synced define, so a handler can check references
    against the files first and the database second."""

    def __init__(self):
        self.defined: dict[str, set[str]] = {}


def sync_directory(directory: Path | str, only: tuple[str, ...] | None = None) -> SyncResult:
    """Load every content file under `directory`; on any problem write nothing."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValidationFailed([f"{directory}: not a directory"])
    context = SyncContext()
    parsed, problems = [], []
    for handler in HANDLERS:
        for path in sorted(directory.glob(handler.pattern)):
            if only and path.name not in only:
                continue
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as error:
                problems.append(f"{path}:{line_of_offset(path, error.start)}: not UTF-8 text")
                continue
            records, file_problems = handler.parse(path, text, context)
            problems.extend(file_problems)
            parsed.append((handler, path, records))
    for handler, path, records in parsed:
        problems.extend(handler.check(path, records, context))
    if problems:
        raise ValidationFailed(problems)
    result = SyncResult()
    for handler, path, records in parsed:
        result.add(handler.apply(records))
        result.files.append(str(path))
    if result.created or result.updated:
        audit.record("content.sync", target=("content", directory.name[:64]), directory=str(directory),
                     created=result.created, updated=result.updated, unchanged=result.unchanged,
                     files=len(result.files))
    return result


def line_of_offset(path: Path, offset: int) -> int:
    """The 1-based line holding byte `offset` of the file at `path`."""
    return path.read_bytes()[:offset].count(b"\n") + 1


def export_directory(directory: Path | str) -> list[Path]:
    """Write the database's content out as files that `sync_directory` reads back."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for handler in HANDLERS:
        written.extend(handler.export(directory))
    return written
