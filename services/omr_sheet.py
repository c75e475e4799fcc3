"""Reading an answer-sheet scanner's table (SPEC §3): a number column, then one column
per question id, each cell the letters chosen.

This half checks the file on its own terms — headers against the quiz's questions,
letters against each question's options — and reports `row N, column C: message`
problems; services/omr_import.py checks the rows against the database and writes.
Letters name options in the order the bank writes them (A = the first option),
whatever the quiz's shuffle setting.
"""
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from models import Question
from services.errors import DomainError
from services.errors import ValidationFailed
from services.question_types import get_type
from services.tabular import Column
from services.tabular import data_rows
from services.tabular import find_header
from services.tabular import match_headers
from services.tabular import normalise_header
from services.tabular import problem
from services.tabular_files import raw_rows

NUMBER = Column("number", ("number", "工号/学号", "工号", "学号", "学号/工号", "工号或学号"))
#: scanners often print the name too; it is read past, never checked (that would reveal people)
NAME = Column("name", ("name", "姓名"), required=False)
#: the field of a question's column, apart from the fixed ones
QUESTION = "q:"
#: types answered with one letter, and those whose answer names every option once
ONE_LETTER = ("single", "truefalse")
EVERY_LETTER = ("ordering",)
#: what may separate letters in a cell ("B,D", "B D", "B、D")
SEPARATORS = str.maketrans("", "", " \t,;、，；")


@dataclass
class Sheet:
    """The header of an answer-sheet file, and its data rows read lazily."""

    header_row: int
    #: field → header text as the file writes it
    headers: dict[str, str]
    #: the questions of the file's columns, in column order
    questions: list[Question]
    rows: Iterator[tuple[int, dict[str, Any]]]
    problems: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        return self.headers.get(name, name)


def read_sheet(source: Any, pool: dict[str, Question]) -> Sheet:
    """Open `source` and match its header to the number column and the quiz's questions.

    :param pool: every question the quiz may ask, by qid
    A header that names no question of the pool is a problem of the header row; a file
    without a number column or without any question column is refused outright.
    """
    columns = [NUMBER, NAME] + [Column(QUESTION + qid, (qid,), required=False) for qid in pool]
    rows = raw_rows(source)
    number, header = find_header(rows, columns)
    if header is None:
        raise ValidationFailed(["row 1: " + _("the file has no header row")])
    positions, texts, ignored, problems = match_headers(number, header, columns)
    problems += unknown_columns(number, ignored)
    asked = sorted((p, f) for f, p in positions.items() if f.startswith(QUESTION))
    if not asked and "number" in positions:
        problems.append(f"row {number}: " + _("the file has no column named by a question id of "
                                              "this quiz"))
    if "number" not in positions or not asked:
        rows.close()
        raise ValidationFailed(problems)
    questions = [pool[f.removeprefix(QUESTION)] for _p, f in asked]
    return Sheet(number, texts, questions, data_rows(rows, positions, columns, number), problems)


def unknown_columns(row: int, texts: list[str]) -> list[str]:
    """Problems for header texts naming no question of the quiz: unknown ids or other quizzes'."""
    if not texts:
        return []
    stored = {normalise_header(q) for q in db.session.scalars(
        select(Question.qid).where(Question.qid.in_(texts)))}
    return [problem(row, text, _("question %(qid)s is not in this quiz", qid=text)
                    if normalise_header(text) in stored else
                    _("no question has the id %(qid)s", qid=text)) for text in texts]


def sheet_answer(question: Question, cell: Any) -> list[int] | None:
    """The original option indexes a cell's letters choose; None if the cell is empty.

    Raises DomainError for a letter past the options, a letter given twice, more than
    one letter for a single-choice or true/false question, or an ordering that does not
    name every option exactly once.
    """
    letters = unicodedata.normalize("NFKC", str(cell or "")).upper().translate(SEPARATORS)
    if not letters:
        return None
    count = len(question.options)
    answer = get_type(question.type).letters_to_answer(letters, count)
    if len(set(letters)) != len(letters):
        raise DomainError(_("%(letters)s names an option more than once", letters=letters))
    if question.type in ONE_LETTER and len(letters) > 1:
        raise DomainError(_("%(letters)s: this question takes one letter", letters=letters))
    if question.type in EVERY_LETTER and len(letters) != count:
        raise DomainError(_("%(letters)s: put all %(n)d letters in order, each once",
                            letters=letters, n=count))
    return answer


@dataclass(slots=True)
class SheetRow:
    """One person's answers as the file gives them."""

    row: int
    number: str
    #: one answer per question of the sheet, in column order
    answers: list[list[int] | None]
    person_id: int | None = None


def read_rows(sheet: Sheet, problems: list[str]) -> list[SheetRow]:
    """Every data row, checked in isolation and against the file's other rows."""
    records: list[SheetRow] = []
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        person = str(cells["number"])
        if not person:
            problems.append(problem(number, sheet.header("number"), _("a value is required")))
        elif person in seen:
            problems.append(problem(number, sheet.header("number"),
                                    _("%(number)s already answered on row %(row)d",
                                      number=person, row=seen[person])))
        else:
            seen[person] = number
        answers = []
        for question in sheet.questions:
            name = QUESTION + question.qid
            try:
                answers.append(sheet_answer(question, cells[name]))
            except DomainError as error:
                problems.append(problem(number, sheet.header(name), error.message))
                answers.append(None)
        records.append(SheetRow(number, person, answers))
    return records
