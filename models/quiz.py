"""Question banks, quizzes, attempts and responses (SPEC §2.4, §2.5)."""
from datetime import date
from datetime import datetime

from sqlalchemy import JSON
from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from extensions import db
from models.base import utcnow
from models.org import Person

QUESTION_TYPES = ("single", "multiple", "truefalse", "ordering")
COMPETENCIES = ("recognition", "discernment", "intervention")


class QuestionBank(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    questions: Mapped[list["Question"]] = relationship(back_populates="bank",
                                                      order_by="Question.position")


class Question(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the id written in the bank file, unique across all banks (e.g. rec-001)
    qid: Mapped[str] = mapped_column(String(100), unique=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_bank.id"), index=True)
    #: order within the bank file
    position: Mapped[int] = mapped_column(default=0)
    #: single | multiple | truefalse | ordering
    type: Mapped[str] = mapped_column(String(16))
    #: recognition | discernment | intervention, or None until a trainer tags it
    competency: Mapped[str | None] = mapped_column(String(16), index=True)
    #: Markdown
    stem: Mapped[str] = mapped_column(Text)
    #: [{"text", "correct", "feedback"}]; ordering: listed in the correct order
    options: Mapped[list] = mapped_column(JSON, default=list)
    #: general feedback, shown after the attempt
    feedback: Mapped[str] = mapped_column(Text, default="")
    #: e.g. Moodle categories
    tags: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    bank: Mapped[QuestionBank] = relationship(back_populates="questions")

    __table_args__ = (
        CheckConstraint("type IN ('single', 'multiple', 'truefalse', 'ordering')", name="type"),
    )


class Quiz(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: role codes the quiz is required for
    roles: Mapped[list] = mapped_column(JSON, default=list)
    #: share of the maximum score needed to pass
    pass_mark: Mapped[float] = mapped_column(default=0.8)
    time_limit_minutes: Mapped[int | None]
    #: None or 0: unlimited
    max_attempts: Mapped[int | None]
    shuffle: Mapped[bool] = mapped_column(default=False)
    #: all (every question on one page) | paged (one question per screen)
    layout: Mapped[str] = mapped_column(String(8), default="all")
    #: fixed question qids, in order
    questions: Mapped[list] = mapped_column(JSON, default=list)
    #: [{"bank", "competency", "count"}] drawn at random per attempt
    draw: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Attempt(db.Model):
    """One sitting of a quiz; its questions and option order are fixed when it starts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"), index=True)
    #: online | paper
    source: Mapped[str] = mapped_column(String(8), default="online")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: answers saved after this are not counted (None: untimed)
    deadline: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    #: the day it counts for (the sitting's date for paper attempts)
    sat_on: Mapped[date | None]
    #: [{"question_id", "options": [original option indexes in the order shown]}]
    layout: Mapped[list] = mapped_column(JSON, default=list)
    #: sum of question scores, and the share of the maximum (set when graded)
    raw_score: Mapped[float | None]
    score: Mapped[float | None]
    passed: Mapped[bool | None]

    person: Mapped[Person] = relationship()
    quiz: Mapped[Quiz] = relationship()
    responses: Mapped[list["Response"]] = relationship(back_populates="attempt",
                                                      order_by="Response.position")

    __table_args__ = (
        Index("ix_attempt_person_quiz", "person_id", "quiz_id"),
        # One open attempt per person and quiz, even under simultaneous requests.
        Index("uq_attempt_open", "person_id", "quiz_id", unique=True,
              sqlite_where=text("submitted_at IS NULL"),
              postgresql_where=text("submitted_at IS NULL")),
    )


class Response(db.Model):
    """The answer to one question of an attempt, and its score in [0, 1]."""

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    #: original option indexes chosen (ordering: in the order given); None: unanswered
    answer: Mapped[list | None] = mapped_column(JSON)
    score: Mapped[float | None]
    answered_at: Mapped[datetime | None]

    attempt: Mapped[Attempt] = relationship(back_populates="responses")
    question: Mapped[Question] = relationship()

    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)
