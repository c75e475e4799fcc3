"""Bring Moodle questions into a bank, and write a bank out (SPEC §2.4).

`import_questions` reads GIFT or Moodle XML, checks every question against the type
rules first and writes nothing if anything is wrong; questions whose Moodle type has
no equivalent here are skipped and listed, never dropped silently. An imported
question's id is the bank's slug and the slug of its Moodle name ("mybank-q2"),
made unique within the file and across banks; a name that already starts with the
bank's slug (as in our own exports) is kept, so an export imports back unchanged.
Re-importing a file updates the questions it made and leaves the rest of the bank.
"""
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from models import Question
from models import QuestionBank
from models import User
from models.quiz import COMPETENCIES
from services import audit
from services.content_questions import bank_yaml
from services.errors import DomainError
from services.errors import ValidationFailed
from services.gift import parse_gift
from services.gift_export import write_gift
from services.moodle_xml import parse_moodle_xml
from services.moodle_xml import write_moodle_xml
from services.question_bank import BANK_SLUG
from services.question_bank import ensure_bank
from services.question_bank import find_bank
from services.question_bank import normalize
from services.question_bank import record_problems
from services.question_bank import save_question
from services.upload_reading import UTF16_BOMS
from services.upload_reading import looks_binary

READERS = {"gift": parse_gift, "moodle-xml": parse_moodle_xml}
WRITERS = {
    "gift": lambda bank, questions: write_gift(questions),
    "moodle-xml": lambda bank, questions: write_moodle_xml(questions),
    "yaml": lambda bank, questions: (bank_yaml(bank, questions), []),
}
EXTENSIONS = {".gift": "gift", ".txt": "gift", ".xml": "moodle-xml"}
#: room left in a 100-character qid for a "-NN" suffix
QID_BASE = 90


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: (name, Moodle type) of each question with no equivalent here
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


@dataclass
class ExportResult:
    text: str
    #: (qid, type) of each question the format cannot hold
    skipped: list[tuple[str, str]] = field(default_factory=list)


def format_for(filename: str) -> str:
    """The import format a file's extension stands for: .gift/.txt GIFT, .xml Moodle XML."""
    fmt = EXTENSIONS.get(Path(filename or "").suffix.lower())
    if fmt is None:
        raise DomainError(_("Cannot tell the format of %(name)s: use .gift or .txt for GIFT and "
                            ".xml for Moodle XML.", name=Path(filename or "").name or "?"))
    return fmt


def decode(source: bytes | str) -> str:
    """Text from an uploaded GIFT file: UTF-8 (with or without BOM), else GB18030; UTF-16
    with a BOM."""
    if isinstance(source, str):
        return source
    for encoding in ("utf-16",) if source.startswith(UTF16_BOMS) else ("utf-8-sig", "gb18030"):
        try:
            text = source.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:  # a NUL character: PostgreSQL cannot store it
            return text
    raise DomainError(_("The file is not text in UTF-8 or GB18030."))


def slugify(name: str) -> str:
    """Lower-case letters and digits (Chinese kept) joined by hyphens."""
    name = unicodedata.normalize("NFKC", name or "").lower()
    return re.sub(r"[^\w]+|_+", "-", name).strip("-")


def base_qid(bank_slug: str, name: str, number: int) -> str:
    """The id a question named `name` (the `number`th in its file) would get in the bank."""
    slug = slugify(name)
    if slug.startswith(bank_slug + "-"):
        return slug[:QID_BASE].rstrip("-")
    return f"{bank_slug}-{slug or f'q{number}'}"[:QID_BASE].rstrip("-")


def unique_qid(base: str, used: set[str], taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, … — the first not used in this file nor by another bank."""
    qid, n = base, 1
    while qid in used or qid in taken:
        n += 1
        qid = f"{base}-{n}"
    used.add(qid)
    return qid


def import_questions(source: bytes | str, fmt: str, bank_slug: str, *,
                     competency: str | None = None, by: User | None = None) -> ImportResult:
    """Read `source` (GIFT or Moodle XML) into the bank `bank_slug`, made if missing; all or
    nothing. Without `competency` a question keeps the one a trainer gave it."""
    if fmt not in READERS:
        raise DomainError(_("Unknown format %(fmt)s (expected gift or moodle-xml).", fmt=fmt))
    problems = []
    if not BANK_SLUG.match(bank_slug or ""):
        problems.append(_("a bank's name must be lowercase letters, digits and hyphens"))
    if competency and competency not in COMPETENCIES:
        problems.append(_("unknown competency %(name)r (expected one of: %(known)s)",
                          name=competency, known=", ".join(COMPETENCIES)))
    if problems:
        raise ValidationFailed(problems)
    if isinstance(source, bytes) and looks_binary(source):
        raise DomainError(_("The file is not a text file: save the questions from Moodle as GIFT "
                            "(.gift, .txt) or Moodle XML (.xml) and upload that."))
    parsed = READERS[fmt](source if fmt == "moodle-xml" else decode(source))
    problems = list(parsed.problems)
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.slug == bank_slug))
    mine = {q.qid: q for q in bank.questions} if bank else {}
    taken = set(db.session.scalars(
        select(Question.qid).where(Question.qid.startswith(bank_slug + "-", autoescape=True),
                                   Question.bank_id != (bank.id if bank else -1))))
    records, used = [], set()
    for number, question in enumerate(parsed.questions, start=1):
        qid = unique_qid(base_qid(bank_slug, question.name, number), used, taken)
        kept = mine[qid].competency if qid in mine else None
        record = normalize({"qid": qid, "type": question.type, "competency": competency or kept,
                            "stem": question.stem, "options": question.options,
                            "feedback": question.feedback, "tags": question.tags})
        problems += [f"{question.where} ({question.name}): {problem}"
                     for problem in record_problems(record)]
        records.append(record)
    if not records and not parsed.skipped and not problems:
        problems.append(_("The file holds no questions."))
    if problems:
        raise ValidationFailed(problems)
    result = ImportResult(skipped=parsed.skipped, notes=parsed.notes)
    if records:
        bank, _outcome = ensure_bank(bank_slug)
    for record in records:
        _question, outcome = save_question(bank, record, by=by)
        setattr(result, outcome, getattr(result, outcome) + 1)
    audit.record("questions.imported", by=by, target=("question_bank", bank_slug), format=fmt,
                 created=result.created, updated=result.updated, unchanged=result.unchanged,
                 skipped=len(result.skipped))
    return result


def export_questions(bank_slug: str, fmt: str) -> ExportResult:
    """The bank's questions, in bank order, as gift, moodle-xml or yaml text."""
    if fmt not in WRITERS:
        raise DomainError(_("Unknown format %(fmt)s (expected gift, moodle-xml or yaml).", fmt=fmt))
    bank = find_bank(bank_slug)
    questions = list(db.session.scalars(select(Question).where(Question.bank_id == bank.id)
                                        .order_by(Question.position, Question.id)))
    text, skipped = WRITERS[fmt](bank, questions)
    return ExportResult(text=text, skipped=skipped)
