"""What the attempt and review pages show, and reading a page's answers back from its form.

Options are listed in the attempt's fixed order; every option carries its original index,
which is what forms send and what Response.answer stores. Ordering questions are answered
without JavaScript by giving each option a position (1…n) in a select box.
"""
from dataclasses import dataclass
from dataclasses import field

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from models import Attempt
from models import Question
from models import Response
from services.attempts import counts
from services.markdown import render_markdown
from services.question_types import get_type


@dataclass
class ShownOption:
    #: the option's index in the bank, what the form sends
    index: int
    text: str
    correct: bool
    feedback: str
    chosen: bool
    #: ordering: the position (1-based) the learner gave it, and the right one
    position: int | None = None
    right_position: int | None = None


@dataclass
class ShownQuestion:
    number: int
    question: Question
    response: Response
    stem: Markup
    options: list[ShownOption]
    answered: bool
    #: whether the saved answer counts (False: saved after the deadline)
    counted: bool = True
    feedback: Markup = field(default_factory=Markup)
    #: ordering: the option texts in the right order
    right_order: list[str] = field(default_factory=list)

    @property
    def type(self) -> str:
        return self.question.type

    @property
    def field(self) -> str:
        """The form field name of this question's answer."""
        return f"q{self.question.id}"


def shown_questions(attempt: Attempt) -> list[ShownQuestion]:
    """The attempt's questions in the order it fixed, with the answers saved so far."""
    responses = {r.question_id: r for r in db.session.scalars(
        select(Response).options(joinedload(Response.question))
        .where(Response.attempt_id == attempt.id)
        .execution_options(populate_existing=True))}
    shown = []
    for number, item in enumerate(attempt.layout or [], start=1):
        response = responses.get(item["question_id"])
        if response is None:
            continue
        question = response.question
        answer = response.answer or []
        options = []
        for index in item.get("options") or range(len(question.options or [])):
            option = question.options[index]
            options.append(ShownOption(
                index=index, text=option.get("text", ""), correct=bool(option.get("correct")),
                feedback=option.get("feedback") or "", chosen=index in answer,
                position=answer.index(index) + 1 if question.type == "ordering"
                and index in answer else None,
                right_position=index + 1 if question.type == "ordering" else None))
        shown.append(ShownQuestion(
            number=number, question=question, response=response,
            stem=render_markdown(question.stem or ""), options=options,
            answered=bool(response.answer), counted=counts(attempt, response),
            feedback=render_markdown(question.feedback) if question.feedback else Markup(),
            right_order=[o.get("text", "") for o in question.options or []]
            if question.type == "ordering" else []))
    return shown


def ordering_answer(form: dict[str, list[str]], name: str, n: int) -> tuple[list[str] | None, bool]:
    """Positions chosen per option → option indexes in that order; (None, True) when untouched,
    (None, False) when the positions are not each used once."""
    positions = {}
    for index in range(n):
        value = (form.get(f"{name}-{index}") or [""])[0].strip()
        if value:
            positions[index] = value
    if not positions:
        return None, True
    try:
        by_position = {int(value): index for index, value in positions.items()}
    except ValueError:
        return None, False
    if len(positions) != n or sorted(by_position) != list(range(1, n + 1)):
        return None, False
    return [str(by_position[p]) for p in range(1, n + 1)], True


def answers_from_form(questions: list[ShownQuestion], form: dict[str, list[str]]):
    """The answers a page's form carries, for the questions it showed (listed in `shown`).

    Returns ({question_id: answer or None}, problems): an ordering question whose positions
    are not each used once is left as it was and named in the problems.
    """
    shown = set()
    for value in form.get("shown", []):
        shown.update(part for part in value.split(",") if part.strip().isdigit())
    answers, problems = {}, []
    for item in questions:
        if str(item.question.id) not in shown:
            continue
        kind = get_type(item.type)
        n = len(item.question.options or [])
        if item.type == "ordering":
            values, ok = ordering_answer(form, item.field, n)
            if not ok:
                problems.append(_("Question %(n)d: give each item a different position, "
                                  "from 1 to %(count)d.", n=item.number, count=n))
                continue
        else:
            values = form.get(item.field, [])
        answers[item.question.id] = kind.parse_answer(values, n) if values else None
    return answers, problems


def answered_count(questions: list[ShownQuestion]) -> int:
    """How many questions have an answer saved."""
    return sum(1 for item in questions if item.answered)
