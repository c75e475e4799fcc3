"""Quiz attempts: start (draw and shuffle once), save answers, submit once, grade.

What a learner sees is fixed when the attempt starts (Attempt.layout) so a reload never
reshuffles. The database allows one open attempt per person and quiz; submitting is a
conditional UPDATE, so a double click, a retry or two tabs grade an attempt exactly once.
The deadline is enforced here, whatever the browser's timer says.
"""
import random
import secrets
from datetime import datetime
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from extensions import db
from models import Attempt
from models import Person
from models import Question
from models import Quiz
from models import Response
from models.base import utcnow
from services import certification
from services.errors import Conflict
from services.errors import DomainError
from services.errors import NotFound
from services.question_bank import draw
from services.question_bank import questions_by_qid
from services.question_types import get_type

#: answers arriving this soon after the deadline still count: the network takes time
GRACE = timedelta(seconds=2)
#: what save_answer reports
SAVED = "saved"
LATE = "late"
#: a score this close under the pass mark is float noise, not a fail
EPSILON = 1e-9


def get_quiz(slug: str) -> Quiz:
    """The quiz at /quizzes/<slug>, or NotFound."""
    quiz = None
    if slug and len(slug) <= 100:
        quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug))
    if quiz is None:
        raise NotFound(_("There is no such quiz."))
    return quiz


def learner_of(person: Person | None) -> Person:
    """The person who takes the quiz; an account outside the roster cannot."""
    if person is None:
        raise DomainError(_("Your account is not linked to a person in the roster, so you "
                            "cannot take quizzes. Ask your administrator to link it."))
    return person


def open_attempt(person: Person, quiz: Quiz) -> Attempt | None:
    """The person's unsubmitted attempt at the quiz, if any (there is at most one)."""
    return db.session.scalar(select(Attempt).where(
        Attempt.person_id == person.id, Attempt.quiz_id == quiz.id,
        Attempt.submitted_at.is_(None)).execution_options(populate_existing=True))


def attempts_used(person: Person, quiz: Quiz) -> int:
    """Submitted online attempts since the person last passed: what max_attempts limits (a
    paper sitting does not use one up). Counting from the last pass, as Totara resets
    attempts when recertification opens, lets a certificate be renewed year after year."""
    last_pass = (select(func.max(Attempt.submitted_at))
                 .where(Attempt.person_id == person.id, Attempt.quiz_id == quiz.id,
                        Attempt.passed.is_(True))
                 .scalar_subquery())
    return db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.person_id == person.id, Attempt.quiz_id == quiz.id, Attempt.source == "online",
        Attempt.submitted_at.is_not(None),
        or_(last_pass.is_(None), Attempt.submitted_at > last_pass))) or 0


def get_attempt(person: Person | None, quiz: Quiz, attempt_id: int) -> Attempt:
    """The person's own attempt at this quiz; anyone else's is NotFound."""
    attempt = db.session.get(Attempt, attempt_id)
    if person is None or attempt is None or attempt.person_id != person.id \
            or attempt.quiz_id != quiz.id:
        raise NotFound(_("There is no such attempt."))
    return attempt


def is_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether the attempt's time is up (never, when untimed)."""
    return attempt.deadline is not None and (now or utcnow()) > attempt.deadline + GRACE


def pick_questions(quiz: Quiz, rng: random.Random) -> list[Question]:
    """The fixed questions in their order, then each draw's; no question twice."""
    fixed = questions_by_qid(quiz.questions or [])
    chosen, seen = [], set()
    for qid in quiz.questions or []:
        if qid in fixed and qid not in seen:
            chosen.append(fixed[qid])
            seen.add(qid)
    for spec in quiz.draw or []:
        for question in draw(spec.get("bank"), spec.get("competency"),
                             int(spec.get("count") or 0), rng, exclude=set(seen)):
            chosen.append(question)
            seen.add(question.qid)
    return chosen


def option_order(question: Question, shuffle: bool, rng: random.Random) -> list[int]:
    """The order the options are shown in, as original indexes.

    Ordering questions are always shuffled (never shown already solved); a type that
    must keep its order (true/false) is never shuffled.
    """
    order = list(range(len(question.options or [])))
    kind = get_type(question.type)
    if kind.name == "ordering" or (shuffle and kind.shuffle_options):
        rng.shuffle(order)
        if kind.name == "ordering" and len(order) > 1 and order == sorted(order):
            order = order[1:] + order[:1]
    return order


def start_attempt(person: Person | None, quiz: Quiz, *, now: datetime | None = None,
                  rng: random.Random | None = None) -> Attempt:
    """Resume the open attempt, or begin a new one with its questions and order fixed."""
    person = learner_of(person)
    now = now or utcnow()
    current = open_attempt(person, quiz)
    if current is not None:
        return settle(current, now=now)
    if quiz.max_attempts and attempts_used(person, quiz) >= quiz.max_attempts:
        raise DomainError(_("You have used all %(n)d attempts at this quiz.", n=quiz.max_attempts))
    rng = rng or random.Random(secrets.randbits(64))
    questions = pick_questions(quiz, rng)
    if not questions:
        raise DomainError(_("This quiz has no questions yet."))
    if quiz.shuffle:
        rng.shuffle(questions)
    attempt = Attempt(
        person_id=person.id, quiz_id=quiz.id, source="online", started_at=now, sat_on=now.date(),
        deadline=now + timedelta(minutes=quiz.time_limit_minutes)
        if quiz.time_limit_minutes else None,
        layout=[{"question_id": q.id, "options": option_order(q, quiz.shuffle, rng)}
                for q in questions],
        responses=[Response(question_id=q.id, position=n) for n, q in enumerate(questions)])
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # a simultaneous request opened one first: use that
        current = open_attempt(person, quiz)
        if current is None:
            raise Conflict(_("The quiz could not be started. Please try again.")) from None
        return current
    return attempt


def checked_answer(question: Question, answer) -> list[int] | None:
    """The answer as original option indexes, or None for "unanswered"; DomainError if malformed."""
    if not answer:
        return None
    n = len(question.options or [])
    if not isinstance(answer, (list, tuple)) \
            or not all(isinstance(i, int) and 0 <= i < n for i in answer) \
            or len(set(answer)) != len(answer) \
            or (question.type in ("single", "truefalse") and len(answer) > 1):
        raise DomainError(_("This is not an answer to this question."))
    return list(answer)


def save_answer(attempt: Attempt, question_id: int, answer, *,
                now: datetime | None = None) -> str:
    """Save one answer: SAVED, or LATE when time is up (not saved; the attempt is submitted).

    A submitted attempt refuses changes (Conflict). The attempt's row is locked first
    (PostgreSQL) and the write is conditional on it being open, so an answer can never
    slip in after the grading of a simultaneous submit.
    """
    now = now or utcnow()
    response = db.session.scalar(select(Response).options(joinedload(Response.question)).where(
        Response.attempt_id == attempt.id, Response.question_id == question_id))
    if response is None:
        raise NotFound(_("This attempt has no such question."))
    answer = checked_answer(response.question, answer)
    submitted = db.session.scalar(select(Attempt.submitted_at).where(Attempt.id == attempt.id)
                                  .with_for_update())
    if submitted is not None:
        db.session.refresh(attempt)
        raise Conflict(_("This attempt has been submitted: its answers can no longer change."))
    if is_overdue(attempt, now):
        submit_attempt(attempt, now=now)
        return LATE
    if response.answer == answer:
        return SAVED
    result = db.session.execute(
        update(Response).where(Response.id == response.id,
                               exists().where(Attempt.id == attempt.id,
                                              Attempt.submitted_at.is_(None)))
        .values(answer=answer, answered_at=now).execution_options(synchronize_session=False))
    db.session.expire(response)
    if result.rowcount != 1:
        db.session.refresh(attempt)
        raise Conflict(_("This attempt has been submitted: its answers can no longer change."))
    return SAVED


def save_answers(attempt: Attempt, answers: dict[int, list[int] | None], *,
                 now: datetime | None = None) -> str:
    """Save a page's answers: SAVED, or LATE as soon as one comes after the deadline."""
    now = now or utcnow()
    for question_id, answer in answers.items():
        if save_answer(attempt, question_id, answer, now=now) == LATE:
            return LATE
    return SAVED


def settle(attempt: Attempt, *, now: datetime | None = None) -> Attempt:
    """Submit an open attempt whose time is up: what the timer would have done."""
    if attempt.submitted_at is None and is_overdue(attempt, now):
        return submit_attempt(attempt, now=now)
    return attempt


def submit_attempt(attempt: Attempt, *, now: datetime | None = None) -> Attempt:
    """Submit and grade, exactly once however many requests race: the one whose UPDATE
    changes the row grades; the others get the attempt as that one left it. A submission
    never reverts, so an attempt already read as submitted needs no claim: resubmitting
    (a double click, a retried request) writes nothing."""
    if attempt.submitted_at is not None:
        return attempt
    now = now or utcnow()
    when = min(now, attempt.deadline) if is_overdue(attempt, now) else now
    result = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=when).execution_options(synchronize_session=False))
    db.session.refresh(attempt)
    if result.rowcount == 1:
        grade(attempt)
    return attempt


def counts(attempt: Attempt, response: Response) -> bool:
    """Whether the response's answer counts: not saved after the deadline."""
    return not (attempt.deadline is not None and response.answered_at is not None
                and response.answered_at > attempt.deadline + GRACE)


def grade(attempt: Attempt) -> Attempt:
    """Score every response by its type, then the attempt: raw sum, share, passed."""
    responses = db.session.scalars(
        select(Response).options(joinedload(Response.question))
        .where(Response.attempt_id == attempt.id).order_by(Response.position)
        .execution_options(populate_existing=True)).all()
    total = 0.0
    for response in responses:
        question = response.question
        answer = response.answer if counts(attempt, response) else None
        response.score = get_type(question.type).score(question.options or [], answer)
        total += response.score
    attempt.raw_score = total
    attempt.score = total / len(responses) if responses else 0.0
    attempt.passed = attempt.score + EPSILON >= attempt.quiz.pass_mark
    db.session.flush()
    if attempt.passed:  # online or a paper sitting: a pass may complete a certification
        certification.reevaluate(attempt.person)
    return attempt
