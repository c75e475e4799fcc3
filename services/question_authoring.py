"""Question banks and quizzes in the browser: listing, searching, creating and editing.

Saving goes through the same rules as `flask content sync` (services.question_bank,
services.quiz_defs), so what the editor accepts the files accept, and the other way round.
"""
from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from models import Question
from models import QuestionBank
from models import Quiz
from models import User
from services import question_bank
from services import quiz_defs
from services.errors import NotFound
from services.errors import ValidationFailed
from services.markdown import render_markdown
from services.pagination import Page
from services.pagination import paginate

#: the competency filter's value for questions not yet tagged
UNTAGGED = "none"


def bank_summaries() -> list:
    """Every bank with its number of questions, for the bank list and the draw menus."""
    count = func.count(Question.id)
    return db.session.execute(
        select(QuestionBank, count.label("questions"))
        .outerjoin(Question, Question.bank_id == QuestionBank.id)
        .group_by(QuestionBank.id).order_by(QuestionBank.slug)).all()


def list_questions(*, bank: str = "", q: str = "", competency: str = "", page=1) -> Page:
    """A page of questions in bank order; `q` matches the qid or the stem's text."""
    stmt = (select(Question).join(QuestionBank).options(joinedload(Question.bank))
            .order_by(QuestionBank.slug, Question.position, Question.id))
    if bank:
        stmt = stmt.where(QuestionBank.slug == bank)
    if competency == UNTAGGED:
        stmt = stmt.where(Question.competency.is_(None))
    elif competency:
        stmt = stmt.where(Question.competency == competency)
    q = (q or "").strip()
    if q:
        stmt = stmt.where(or_(Question.qid.contains(q, autoescape=True),
                              Question.stem.contains(q, autoescape=True)))
    return paginate(stmt, page)


def get_question(qid: str) -> Question:
    """The question `qid`, or NotFound."""
    question = db.session.scalar(select(Question).where(Question.qid == qid))
    if question is None:
        raise NotFound(_("No such question."))
    return question


def create_question(bank_slug: str, record: dict, *, by: User | None = None) -> Question:
    """Add a question to a bank (made if new); a taken id is refused, never overwritten."""
    if question_bank.questions_by_qid([str(record.get("qid") or "").strip()]):
        raise ValidationFailed([_("A question with the id %(qid)s already exists.",
                                  qid=record.get("qid"))])
    bank, _status = question_bank.ensure_bank((bank_slug or "").strip())
    return question_bank.save_question(bank, record, by=by)[0]


def update_question(question: Question, record: dict, *, by: User | None = None) -> Question:
    """Save an edited question; its id and bank stay, as quizzes and answers point at them."""
    return question_bank.save_question(question.bank, dict(record, qid=question.qid), by=by)[0]


def preview_question(record: dict) -> tuple[dict, list[str]]:
    """The question as a learner's review would show it, and what is wrong with it."""
    record = question_bank.normalize(record)
    problems = question_bank.record_problems(dict(record, qid=record["qid"] or "preview"))
    shown = dict(record, stem_html=render_markdown(record["stem"]),
                 feedback_html=render_markdown(record["feedback"]) if record["feedback"] else "")
    return shown, problems


def list_quizzes(q: str = "", page=1) -> Page:
    """A page of quizzes by title; `q` matches the title or slug."""
    stmt = select(Quiz).order_by(Quiz.title, Quiz.slug)
    q = (q or "").strip()
    if q:
        stmt = stmt.where(or_(Quiz.title.contains(q, autoescape=True),
                              Quiz.slug.contains(q.lower(), autoescape=True)))
    return paginate(stmt, page)


def get_quiz(slug: str) -> Quiz:
    """The quiz `slug`, or NotFound."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug))
    if quiz is None:
        raise NotFound(_("No such quiz."))
    return quiz


def create_quiz(slug: str, record: dict, *, by: User | None = None) -> Quiz:
    """Define a new quiz; a taken short name is refused, not overwritten."""
    slug = (slug or "").strip()
    if db.session.scalar(select(Quiz.id).where(Quiz.slug == slug)) is not None:
        raise ValidationFailed([_("A quiz with the short name %(slug)s already exists.",
                                  slug=slug)])
    return quiz_defs.save_quiz(slug, record, by=by)[0]


def update_quiz(quiz: Quiz, record: dict, *, by: User | None = None) -> Quiz:
    """Save an edited quiz; attempts already started keep the questions they drew."""
    return quiz_defs.save_quiz(quiz.slug, record, by=by)[0]
