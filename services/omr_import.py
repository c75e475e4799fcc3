"""Loading a paper sitting read by an answer-sheet scanner as graded attempts (SPEC §3).

The whole file is checked before anything is written; any problem raises
ValidationFailed with every problem as `row N, column C: message`, and nothing is
written. The rules:

- Columns: `number|工号/学号`, an optional `name|姓名` (read past), then one column per
  question id. A column may name any question the quiz can ask: one of its fixed
  questions, or any question of a bank (and competency, when the draw gives one) it
  draws from. Other ids are reported on the header row.
- Cells: the letters chosen, A for the first option as the bank writes it, whatever
  the quiz's shuffle; separators (spaces, commas, 、) and case are ignored; empty means
  unanswered (scores 0). A letter past the options, a letter given twice, two letters
  for a single-choice or true/false question, and an ordering that does not name every
  option once are problems of that cell.
- People: a number the database does not know, and one of a person outside the
  importer's scope, get the same message, so the file reveals nothing. The CLI
  (by=None) and superadmins import anyone; trainers and admins the people with an
  assignment in their grants' subtrees. A person may appear on one row only.
- Each row becomes a submitted attempt with source "paper", sat_on the sitting's date,
  started and submitted at noon UTC that day, its layout the file's questions in column
  order with their options in written order, one response per question column; then
  services.attempts.grade scores it like an online attempt.
- Re-importing: a person who already has a paper attempt of this quiz on this date
  with the same answers is skipped (counted "already imported"), so loading a file
  twice changes nothing; with different answers the row is a problem — a corrected
  scan is not silently merged over a graded attempt.
- Paper attempts are counted apart from online ones: a paper sitting never uses up the
  quiz's max_attempts online (services.attempts.attempts_used is to count source
  "online" only).

Every import that writes is recorded in the audit log.
"""
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Attempt
from models import Person
from models import Question
from models import QuestionBank
from models import Quiz
from models import Response
from models import User
from models.base import utcnow
from services import attempts
from services import audit
from services.authoring import AUTHOR_KINDS
from services.errors import DomainError
from services.errors import NotFound
from services.errors import ValidationFailed
from services.import_support import chunks
from services.omr_sheet import Sheet
from services.omr_sheet import SheetRow
from services.omr_sheet import read_rows
from services.omr_sheet import read_sheet
from services.scope import person_filter
from services.tabular import problem

#: the time of day a paper attempt is dated (UTC)
SITTING_TIME = time(12)


@dataclass
class ResultsImport:
    """What an import did (or, with dry_run, would do)."""

    #: attempts created (or to be created)
    created: int = 0
    #: rows whose identical paper attempt already existed
    unchanged: int = 0
    #: of the created attempts, how many passed (0 on a dry run: nothing is graded)
    passed: int = 0
    dry_run: bool = False

    @property
    def rows(self) -> int:
        return self.created + self.unchanged

    def __str__(self) -> str:
        if self.dry_run:
            return f"would create {self.created}, already imported {self.unchanged}"
        return f"created {self.created} ({self.passed} passed), already imported {self.unchanged}"


def get_quiz(slug: str) -> Quiz:
    """The quiz called `slug`, or NotFound."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug))
    if quiz is None:
        raise NotFound(_("No such quiz %(slug)s.", slug=slug))
    return quiz


def question_pool(quiz: Quiz) -> dict[str, Question]:
    """Every question the quiz may ask, by qid: its fixed ones and those of its draw pools."""
    pool = {q.qid: q for q in db.session.scalars(select(Question).where(
        Question.qid.in_(list(quiz.questions or []))))}
    for rule in quiz.draw or []:
        stmt = select(Question).join(QuestionBank).where(QuestionBank.slug == rule.get("bank"))
        if rule.get("competency"):
            stmt = stmt.where(Question.competency == rule["competency"])
        pool.update({q.qid: q for q in db.session.scalars(stmt)})
    return pool


def import_results(quiz_slug: str, source: Any, *, sat_on: date, dry_run: bool = False,
                   by: User | None = None) -> ResultsImport:
    """Turn every row of an answer-sheet file into a graded paper attempt; all or nothing.

    :param source: a path, or an upload (werkzeug FileStorage) named .xlsx or .csv
    :param sat_on: the day of the sitting
    """
    quiz = get_quiz(quiz_slug)
    if sat_on > utcnow().date() + timedelta(days=1):
        raise DomainError(_("The sitting's date %(date)s is in the future.", date=sat_on.isoformat()))
    sheet = read_sheet(source, question_pool(quiz))
    problems = sheet.problems
    records = read_rows(sheet, problems)
    find_people(records, sheet, by, problems)
    result = ResultsImport(dry_run=dry_run)
    new = skip_imported(records, sheet, quiz, sat_on, problems, result)
    if problems:
        raise ValidationFailed(sorted(problems, key=row_of))
    result.created = len(new)
    if not dry_run:
        result.passed = write(new, sheet, quiz, sat_on)
        audit.record("quiz.import_results", by=by, target=("quiz", quiz.slug),
                     sat_on=sat_on.isoformat(), created=result.created,
                     unchanged=result.unchanged, passed=result.passed)
    return result


def find_people(records: list[SheetRow], sheet: Sheet, by: User | None, problems: list[str]) -> None:
    """Resolve numbers to people the importer may see; any other is simply unknown."""
    numbers = {r.number for r in records if r.number}
    found: dict[str, int] = {}
    for chunk in chunks(numbers):
        stmt = select(Person.number, Person.id).where(Person.number.in_(chunk))
        if by is not None:
            stmt = stmt.where(person_filter(by, AUTHOR_KINDS))
        found.update({row.number: row.id for row in db.session.execute(stmt)})
    for record in records:
        record.person_id = found.get(record.number)
        if record.number and record.person_id is None:
            problems.append(problem(record.row, sheet.header("number"),
                                    _("unknown number %(number)s", number=record.number)))


def skip_imported(records: list[SheetRow], sheet: Sheet, quiz: Quiz, sat_on: date,
                  problems: list[str], result: ResultsImport) -> list[SheetRow]:
    """The rows still to write: identical paper attempts of that day are skipped, differing
    ones are problems."""
    ids = [r.person_id for r in records if r.person_id is not None]
    existing: dict[int, dict] = {}
    for chunk in chunks(ids):
        for attempt in db.session.scalars(
                select(Attempt).options(selectinload(Attempt.responses)).where(
                    Attempt.quiz_id == quiz.id, Attempt.source == "paper", Attempt.sat_on == sat_on,
                    Attempt.person_id.in_(chunk))):
            existing.setdefault(attempt.person_id, {}).update(
                {r.question_id: r.answer for r in attempt.responses})
    new = []
    for record in records:
        if record.person_id not in existing:
            new.append(record)
            continue
        answers = {q.id: a for q, a in zip(sheet.questions, record.answers, strict=True)}
        if answers == existing[record.person_id]:
            result.unchanged += 1
        else:
            problems.append(problem(record.row, sheet.header("number"), _(
                "%(number)s already has a paper attempt on %(date)s with other answers",
                number=record.number, date=sat_on.isoformat())))
    return new


def write(records: list[SheetRow], sheet: Sheet, quiz: Quiz, sat_on: date) -> int:
    """Create and grade one submitted paper attempt per row; return how many passed."""
    noon = datetime.combine(sat_on, SITTING_TIME)
    layout = [{"question_id": q.id, "options": list(range(len(q.options)))} for q in sheet.questions]
    passed = 0
    for record in records:
        attempt = Attempt(person_id=record.person_id, quiz=quiz, source="paper", started_at=noon,
                          submitted_at=noon, sat_on=sat_on, deadline=None,
                          layout=[dict(item) for item in layout])
        attempt.responses = [
            Response(question=question, position=position, answer=answer,
                     answered_at=None if answer is None else noon)
            for position, (question, answer) in enumerate(zip(sheet.questions, record.answers,
                                                               strict=True))]
        db.session.add(attempt)
        db.session.flush()
        attempts.grade(attempt)
        passed += bool(attempt.passed)
    db.session.flush()
    return passed


def row_of(text: str) -> int:
    """The row number a `row N…` problem is about, for sorting."""
    return int(text.split(",", 1)[0].split(":", 1)[0].removeprefix("row "))
