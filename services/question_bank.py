"""Question banks: look questions up, draw them at random, and save them from records.

A record is the plain form every source produces (a bank file, the browser editor, a
Moodle import): {qid, type, competency, stem, options: [{text, correct, feedback}],
feedback, tags}. Saving compares the normalised record with what is stored, so a
re-sync of an unchanged file reports "unchanged".
"""
import random
import re

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Question
from models import QuestionBank
from models import User
from models.quiz import COMPETENCIES
from services import audit
from services.errors import Conflict
from services.errors import NotFound
from services.errors import ValidationFailed
from services.question_types import TYPES

QID = re.compile(r"^\w[\w.\-]{0,99}$")
BANK_SLUG = re.compile(r"^[a-z0-9][a-z0-9\-]{0,99}$")
FIELDS = ("type", "competency", "stem", "options", "feedback", "tags")


def questions_by_qid(qids) -> dict[str, Question]:
    """The stored questions with these qids (missing ones are simply absent)."""
    qids = list(qids)
    if not qids:
        return {}
    found = db.session.scalars(select(Question).where(Question.qid.in_(qids)))
    return {question.qid: question for question in found}


def draw(bank_slug: str, competency: str | None, count: int, rng: random.Random | None = None,
         *, exclude=()) -> list[Question]:
    """`count` questions at random from a bank (of one competency, if given); fewer if the
    bank has fewer. Candidates are sorted first so a seeded rng repeats its draw."""
    rng = rng or random.Random()
    stmt = (select(Question).join(QuestionBank).where(QuestionBank.slug == bank_slug)
            .order_by(Question.position, Question.id))
    if competency:
        stmt = stmt.where(Question.competency == competency)
    excluded = set(exclude)
    candidates = [q for q in db.session.scalars(stmt) if q.qid not in excluded]
    return rng.sample(candidates, min(max(count, 0), len(candidates)))


def find_bank(slug: str) -> QuestionBank:
    """The bank called `slug`, or NotFound."""
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.slug == slug))
    if bank is None:
        raise NotFound(_("There is no question bank %(slug)r.", slug=slug))
    return bank


def ensure_bank(slug: str, title: str | None = None) -> tuple[QuestionBank, str]:
    """The bank called `slug`, made if missing; its title set when one is given."""
    if not BANK_SLUG.match(slug or ""):
        raise ValidationFailed([_("a bank's name must be lowercase letters, digits and hyphens")])
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.slug == slug))
    if bank is None:
        bank = QuestionBank(slug=slug, title=title or slug)
        db.session.add(bank)
        db.session.flush()
        return bank, "created"
    if title and bank.title != title:
        bank.title = title
        return bank, "updated"
    return bank, "unchanged"


def normalize(record: dict) -> dict:
    """The record as stored: stripped text, booleans, no missing keys."""
    options = []
    for option in record.get("options") or []:
        option = option if isinstance(option, dict) else {"text": option}
        options.append({"text": str(option.get("text") or "").strip(),
                        "correct": bool(option.get("correct")),
                        "feedback": str(option.get("feedback") or "").strip()})
    if record.get("type") == "ordering":  # the written order is the answer
        for option in options:
            option["correct"] = False
    tags = record.get("tags") or []
    if isinstance(tags, str):
        tags = tags.split(",")
    return {
        "qid": str(record.get("qid") or "").strip(),
        "type": str(record.get("type") or "").strip(),
        "competency": str(record.get("competency") or "").strip() or None,
        "stem": str(record.get("stem") or "").strip(),
        "options": options,
        "feedback": str(record.get("feedback") or "").strip(),
        "tags": [str(tag).strip() for tag in tags if str(tag).strip()],
    }


def record_problems(record: dict) -> list[str]:
    """Everything wrong with a (normalised) record, as sentences; [] when it can be saved."""
    problems = []
    if not QID.match(record["qid"]):
        problems.append(_("a question id is letters, digits, '-', '_' or '.', "
                          "at most 100 characters, no spaces"))
    kind = TYPES.get(record["type"])
    if kind is None:
        problems.append(_("unknown question type %(name)r (expected one of: %(known)s)",
                          name=record["type"], known=", ".join(TYPES)))
    if record["competency"] is not None and record["competency"] not in COMPETENCIES:
        problems.append(_("unknown competency %(name)r (expected one of: %(known)s)",
                          name=record["competency"], known=", ".join(COMPETENCIES)))
    if not record["stem"]:
        problems.append(_("a question needs a stem"))
    if kind is not None:
        problems.extend(kind.validate(record["options"]))
    return problems


def save_question(bank: QuestionBank, record: dict, *, by: User | None = None,
                  position: int | None = None) -> tuple[Question, str]:
    """Create or update the question `record["qid"]` in `bank`; return it and
    "created", "updated" or "unchanged". A qid held by another bank is a Conflict."""
    record = normalize(record)
    problems = record_problems(record)
    if problems:
        raise ValidationFailed(problems)
    question = db.session.scalar(select(Question).where(Question.qid == record["qid"]))
    if question is not None and question.bank_id != bank.id:
        raise Conflict(_("The question id %(qid)r is already used in bank %(bank)r.",
                         qid=record["qid"], bank=question.bank.slug))
    if question is None:
        if position is None:
            last = db.session.scalar(select(func.max(Question.position))
                                     .where(Question.bank_id == bank.id))
            position = -1 if last is None else last
            position += 1
        question = Question(qid=record["qid"], bank=bank, position=position,
                            **{name: record[name] for name in FIELDS})
        db.session.add(question)
        db.session.flush()
        if by is not None:
            audit.record("question.create", by=by, target=("question", question.qid))
        return question, "created"
    changed = [name for name in FIELDS if getattr(question, name) != record[name]]
    if position is not None and question.position != position:
        question.position = position
        changed.append("position")
    if not changed:
        return question, "unchanged"
    for name in FIELDS:
        setattr(question, name, record[name])
    db.session.flush()
    if by is not None:
        audit.record("question.update", by=by, target=("question", question.qid), fields=changed)
    return question, "updated"


def question_record(question: Question) -> dict:
    """The record form of a stored question, as a bank file or the editor writes it."""
    return {"qid": question.qid, "type": question.type, "competency": question.competency,
            "stem": question.stem, "options": [dict(option) for option in question.options],
            "feedback": question.feedback or "", "tags": list(question.tags or [])}
