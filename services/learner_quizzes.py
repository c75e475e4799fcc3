"""The learner's quizzes: the dashboard list and a quiz's introduction page.

The dashboard takes a fixed number of queries however many quizzes there are: the quizzes
come from the content catalogue (services/content_catalogue.py), then one aggregate over
the person's attempts.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_
from sqlalchemy import bindparam
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Attempt
from models import Person
from models import Quiz
from services.content_catalogue import QuizEntry
from services.content_catalogue import catalogue
from services.core_reads import read
from services.learner_modules import role_codes


@dataclass
class QuizRow:
    #: the quiz, or its catalogue row (QuizEntry) on the dashboard
    quiz: Quiz | QuizEntry
    #: best score (0…1) of a submitted attempt, None before the first
    best: float | None
    passed: bool
    used: int
    #: 0: unlimited
    limit: int
    open: bool

    @property
    def left(self) -> int | None:
        """Attempts left, None when unlimited."""
        return max(self.limit - self.used, 0) if self.limit else None

    @property
    def status(self) -> str:
        """open | passed | failed | exhausted | not_started, for the badge and the button."""
        if self.open:
            return "open"
        if self.passed:
            return "passed"
        if self.left == 0:
            return "exhausted"
        return "failed" if self.used else "not_started"


#: what needs doing first comes first
ORDER = {"open": 0, "not_started": 1, "failed": 2, "passed": 3, "exhausted": 4}


def quiz_size(quiz: Quiz) -> int:
    """How many questions an attempt has: fixed plus drawn (a small bank may give fewer)."""
    drawn = sum(int(spec.get("count") or 0) for spec in quiz.draw or [])
    return len(set(quiz.questions or [])) + drawn


_submitted = Attempt.submitted_at.is_not(None)
#: built once: building it costs more than running it
SUMMARIES = (select(Attempt.quiz_id,
                    func.max(case((_submitted, Attempt.score))),
                    func.max(case((Attempt.passed.is_(True), 1), else_=0)),
                    func.count(case((and_(_submitted, Attempt.source == "online"), 1))),
                    func.max(case((_submitted, 0), else_=1)))
             .where(Attempt.person_id == bindparam("person_id"),
                    Attempt.quiz_id.in_(bindparam("quiz_ids", expanding=True)))
             .group_by(Attempt.quiz_id))


def summaries(person: Person, quiz_ids: list[int]) -> dict[int, tuple]:
    """Per quiz: (best score, passed?, online attempts used, open?) — one query; a paper
    sitting counts for the best score and passing, not against max_attempts."""
    rows = read(SUMMARIES, {"person_id": person.id,
                                                        "quiz_ids": quiz_ids})
    return {quiz_id: (best, bool(passed), used or 0, bool(open_))
            for quiz_id, best, passed, used, open_ in rows}


def row_for(quiz: Quiz | QuizEntry, summary: tuple | None) -> QuizRow:
    """One dashboard row from a quiz and its summary."""
    best, passed, used, open_ = summary or (None, False, 0, False)
    return QuizRow(quiz, best, passed, used, quiz.max_attempts or 0, open_)


def learner_quizzes(person: Person | None, on: date | None = None,
                    codes: set[str] | None = None) -> list[QuizRow]:
    """The quizzes the person's current roles require (`codes`, when the caller has them
    already), most pressing first."""
    if person is None:
        return []
    if codes is None:
        codes = role_codes(person, on or date.today())
    if not codes:
        return []
    quizzes = [q for q in catalogue().quizzes if codes & q.roles]
    if not quizzes:
        return []
    found = summaries(person, [q.id for q in quizzes])
    rows = [row_for(q, found.get(q.id)) for q in quizzes]
    rows.sort(key=lambda row: ORDER[row.status])
    return rows


def quiz_row(person: Person | None, quiz: Quiz) -> QuizRow:
    """The same summary for one quiz, for its introduction page."""
    if person is None:
        return row_for(quiz, None)
    return row_for(quiz, summaries(person, [quiz.id]).get(quiz.id))


def past_attempts(person: Person | None, quiz: Quiz) -> list[Attempt]:
    """The person's submitted attempts at the quiz, newest first."""
    if person is None:
        return []
    return list(db.session.scalars(
        select(Attempt).where(Attempt.person_id == person.id, Attempt.quiz_id == quiz.id,
                              Attempt.submitted_at.is_not(None))
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())))
