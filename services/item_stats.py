"""Item statistics of one quiz (SPEC §6), as Moodle's quiz statistics report defines them.

Which attempts count: submitted attempts of the quiz by people in the viewer's scope
(an assignment at a unit their trainer, admin or auditor grants cover; everyone for a
superadmin or the command line), optionally only people with an assignment in a unit's
subtree and attempts sat within a date range (the sitting's date for paper attempts,
else the day it was submitted, UTC). Of those, each person's first submitted attempt,
or all of them with `all_attempts`.

Set-based: two GROUP BY statements, whatever the number of attempts. One counts
attempts per total; the other counts responses per question × score × attempt total ×
answer given. The formulas (services.item_formulas) then run on those counts.
The rest-of-quiz score is the attempt's raw score (the sum of its question scores,
kept by grading) minus this question's score.
"""
import json
from collections import defaultdict
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import Text
from sqlalchemy import and_
from sqlalchemy import cast
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import Unit
from models import User
from models.quiz import Attempt
from models.quiz import Question
from models.quiz import Quiz
from models.quiz import Response
from services import item_formulas as f
from services import scope
from services.errors import NotFound
from services.module_stats import STATS_KINDS
from services.module_stats import people_in_scope

#: decimals kept in the figures (fractions, so 0.0001 is a hundredth of a percent)
DIGITS = 6


def find_quiz(slug: str) -> Quiz:
    """The quiz called `slug`, or NotFound."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug))
    if quiz is None:
        raise NotFound(_("No such quiz."))
    return quiz


def readable_quiz(user: User | None, slug: str) -> Quiz:
    """The quiz, for someone who may read statistics (a trainer, admin or auditor)."""
    if user is not None and not scope.has_any_grant(user, STATS_KINDS):
        raise NotFound(_("No such quiz."))
    return find_quiz(slug)


def stats_unit(user: User | None, code: str | None) -> Unit | None:
    """The unit a filter names, if the viewer may see it (the command line sees all)."""
    code = (code or "").strip()
    if not code:
        return None
    if user is None:
        unit = db.session.scalar(select(Unit).where(Unit.code == code))
        if unit is None:
            raise NotFound(_("No such unit."))
        return unit
    return scope.get_unit(user, code, STATS_KINDS)


def counted_attempts(quiz: Quiz, user: User | None, unit: Unit | None, since: date | None,
                     until: date | None, all_attempts: bool):
    """A subquery of the attempts that count: (id, raw, share)."""
    conditions = [Attempt.quiz_id == quiz.id, Attempt.submitted_at.is_not(None)]
    if user is not None:
        conditions.append(people_in_scope(Attempt.person_id, user))
    if unit is not None:
        conditions.append(Attempt.person_id.in_(
            select(Assignment.person_id).join(Unit, Unit.id == Assignment.unit_id)
            .where(scope.subtree_filter(unit))))
    if since is not None:
        conditions.append(or_(Attempt.sat_on >= since, and_(
            Attempt.sat_on.is_(None), Attempt.submitted_at >= datetime.combine(since, time()))))
    if until is not None:
        conditions.append(or_(Attempt.sat_on <= until, and_(
            Attempt.sat_on.is_(None),
            Attempt.submitted_at < datetime.combine(until + timedelta(days=1), time()))))
    columns = [Attempt.id.label("id"),
               func.coalesce(Attempt.raw_score, 0.0).label("raw"),
               func.coalesce(Attempt.score, 0.0).label("share")]
    if all_attempts:
        return select(*columns).where(*conditions).subquery("counted")
    order = func.row_number().over(partition_by=Attempt.person_id,
                                   order_by=(Attempt.submitted_at, Attempt.id))
    ranked = select(*columns, order.label("nth")).where(*conditions).subquery("ranked")
    return (select(ranked.c.id, ranked.c.raw, ranked.c.share)
            .where(ranked.c.nth == 1).subquery("counted"))


def quiz_statistics(quiz: Quiz, *, user: User | None = None, unit: Unit | None = None,
                    since: date | None = None, until: date | None = None,
                    all_attempts: bool = False) -> dict:
    """SPEC §6's object for `quiz`: quiz-level figures and one entry per question."""
    counted = counted_attempts(quiz, user, unit, since, until, all_attempts)
    totals = db.session.execute(
        select(counted.c.share, counted.c.raw, func.count())
        .group_by(counted.c.share, counted.c.raw)).all()
    answer = cast(Response.answer, Text)
    rows = db.session.execute(
        select(Response.question_id, Response.score, counted.c.raw, answer, func.count())
        .join(counted, counted.c.id == Response.attempt_id)
        .group_by(Response.question_id, Response.score, counted.c.raw, answer)).all()
    questions = question_entries(quiz, rows)
    attempts = sum(count for _share, _raw, count in totals)
    shares = [(share, count) for share, _raw, count in totals]
    return {
        "attempts": attempts,
        "mean": rounded(f.weighted_mean(shares)),
        "median": rounded(f.median(shares)),
        "sd": rounded(sqrt_or_none(f.sample_variance(shares))),
        "alpha": rounded(alpha(questions, attempts, totals)),
        "questions": [public(entry) for entry in questions],
    }


def question_entries(quiz: Quiz, rows) -> list[dict]:
    """One entry per question: the quiz's fixed questions in order, then the drawn by id."""
    joint = defaultdict(lambda: defaultdict(int))
    answers = defaultdict(lambda: defaultdict(int))
    for question_id, score, raw, answer, count in rows:
        score = score or 0.0  # an unanswered question scores 0
        joint[question_id][(score, raw - score)] += count
        answers[question_id][answer] += count
    found = db.session.scalars(select(Question).where(or_(
        Question.id.in_(list(joint)), Question.qid.in_(list(quiz.questions or []))))).all()
    fixed = {qid: n for n, qid in enumerate(quiz.questions or [])}
    found = sorted(found, key=lambda q: (fixed.get(q.qid, len(fixed)), q.qid))
    entries = []
    for question in found:
        figures = f.question_figures((s, r, c) for (s, r), c in joint[question.id].items())
        figures["variance"] = (figures["sd"] ** 2) if figures["sd"] is not None else None
        entries.append({"id": question.qid, **figures,
                        "options": option_shares(question, answers[question.id], figures["n"])})
    return entries


def option_shares(question: Question, answers: dict, n: int) -> list[dict]:
    """The share of responses choosing each option (each option of a multiple-choice set
    counts); for ordering, the share placing the option in its right position."""
    options = question.options or []
    chosen = [0] * len(options)
    for text, count in answers.items():
        answer = json.loads(text) if text else None
        if not isinstance(answer, list):
            continue
        if question.type == "ordering":
            picked = {i for position, i in enumerate(answer) if i == position}
        else:
            picked = set(answer)
        for index in picked:
            if isinstance(index, int) and 0 <= index < len(options):
                chosen[index] += count
    return [{"text": option.get("text", ""), "chosen": rounded(chosen[i] / n) if n else None}
            for i, option in enumerate(options)]


def alpha(questions: list[dict], attempts: int, totals) -> float | None:
    """Cronbach's α. k is the number of questions an attempt holds (Σ n / attempts) and
    Σ var(item) is k × the response-weighted mean question variance: exactly Σ var(qᵢ)
    when every attempt has the same questions, a fair estimate when they are drawn."""
    scored = [q for q in questions if q["variance"] is not None]
    responses = sum(q["n"] for q in questions)
    if not attempts or not scored:
        return None
    k = responses / attempts
    weighted = sum(q["n"] * q["variance"] for q in scored) / sum(q["n"] for q in scored)
    return f.cronbach_alpha(k, k * weighted, f.sample_variance(
        [(raw, count) for _share, raw, count in totals]))


def public(entry: dict) -> dict:
    """An entry as SPEC §6 words it, figures rounded."""
    return {"id": entry["id"], "n": entry["n"],
            **{key: rounded(entry[key]) for key in (
                "facility", "sd", "discrimination_index", "discriminative_efficiency")},
            "options": entry["options"]}


def sqrt_or_none(value: float | None) -> float | None:
    """A standard deviation from a variance that may be undefined."""
    return None if value is None else max(value, 0.0) ** 0.5


def rounded(value: float | None) -> float | None:
    """Fractions to DIGITS decimals (no float noise in JSON); None stays None."""
    return None if value is None else round(float(value), DIGITS) + 0.0
