"""Time quiz_statistics (SPEC §6) over 100,000 attempts × 20 questions; target ≤ 1 s.

    .venv/bin/python bench/item_stats.py [--attempts 100000] [--repeat 3]
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/item_stats.py

By default on a throwaway SQLite file, bench/out/item_stats.db, recreated on each run;
BENCH_DATABASE_URL must be an empty database you can lose. Learners of varied ability
(a logistic model) answer 20 questions of all four types, graded by the type registry;
one person in five sits the quiz twice. Rows go in by bulk inserts. The figures are
the best of --repeat calls: everyone (the command line), a trainer scoped to the
university (the scope subquery), and all attempts rather than first ones.
"""
import argparse
import math
import os
import random
import sys
import time
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from config import Config  # noqa: E402
from config import normalise_database_url  # noqa: E402
from extensions import db  # noqa: E402
from models import Assignment  # noqa: E402
from models import Person  # noqa: E402
from models import Role  # noqa: E402
from models.quiz import Attempt  # noqa: E402
from models.quiz import Question  # noqa: E402
from models.quiz import QuestionBank  # noqa: E402
from models.quiz import Quiz  # noqa: E402
from models.quiz import Response  # noqa: E402
from services import accounts  # noqa: E402
from services import units  # noqa: E402
from services.item_stats import quiz_statistics  # noqa: E402
from services.question_types import get_type  # noqa: E402

#: (type, number of options, number correct) of the 20 questions
SHAPES = [("single", 4, 1)] * 10 + [("multiple", 5, 2)] * 4 + [("truefalse", 2, 1)] * 3 \
    + [("ordering", 4, 4)] * 3
CHUNK = 50_000


def make_app(url: str):
    """The app on the bench database."""
    class BenchConfig(Config):
        """Production settings on the bench database."""

        SQLALCHEMY_DATABASE_URI = normalise_database_url(url)

    return create_app(BenchConfig)


def questions() -> list[dict]:
    """The bank: option lists shaped as SHAPES says."""
    made = []
    for n, (kind, count, right) in enumerate(SHAPES, start=1):
        if kind == "truefalse":
            options = [{"text": "对", "correct": True}, {"text": "错", "correct": False}]
        else:
            options = [{"text": f"选项{i + 1}", "correct": kind == "ordering" or i < right}
                       for i in range(count)]
        made.append({"qid": f"bench-{n:03d}", "bank_id": 1, "position": n, "type": kind,
                     "competency": "recognition", "stem": f"第{n}题", "options": options})
    return made


def answer(rng: random.Random, kind: str, options: list[dict], p: float) -> list[int]:
    """What a learner who knows the question with probability p answers."""
    right = [i for i, o in enumerate(options) if o["correct"]]
    wrong = [i for i, o in enumerate(options) if not o["correct"]]
    if kind == "ordering":
        order = list(range(len(options)))
        if rng.random() > p:
            i = rng.randrange(len(order) - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        return order
    if kind == "multiple":
        return sorted([i for i in right if rng.random() < p]
                      + [i for i in wrong if rng.random() > p + 0.3])
    return [right[0] if rng.random() < p else rng.choice(wrong)]


def generate(attempts: int, seed: int) -> None:
    """Bulk-insert the people, their assignments, the quiz, its attempts and responses."""
    rng = random.Random(seed)
    uni = units.create_unit("BU", "基准大学", "university", None, None)
    college = units.create_unit("BC", "基准学院", "college", uni, None)
    db.session.add(Role(code="bench_role", name="基准角色", kind="student"))
    db.session.add(QuestionBank(id=1, slug="bench", title="基准题库"))
    db.session.flush()
    role_id = db.session.scalar(select(Role.id).where(Role.code == "bench_role"))
    bank = questions()
    db.session.execute(insert(Question), bank)
    ids = dict(db.session.execute(select(Question.qid, Question.id)).all())
    quiz = Quiz(slug="bench", title="基准测验", questions=[q["qid"] for q in bank])
    db.session.add(quiz)
    db.session.flush()
    people = attempts * 5 // 6
    db.session.execute(insert(Person), [{"id": n + 1, "number": f"P{n:07d}", "name": f"学员{n}"}
                                        for n in range(people)])
    db.session.execute(insert(Assignment), [
        {"person_id": n + 1, "role_id": role_id, "unit_id": college.id, "start": date(2026, 9, 1)}
        for n in range(people)])
    difficulty = [rng.gauss(0, 1) for _q in bank]
    ability = [rng.gauss(0.5, 1) for _p in range(people)]
    sitters = list(range(people)) + rng.sample(range(people), attempts - people)
    start = datetime(2026, 10, 1, 8)
    attempt_rows, response_rows = [], []
    for n, person in enumerate(sitters):
        raw = 0.0
        for position, (question, b) in enumerate(zip(bank, difficulty, strict=True)):
            p = 1 / (1 + math.exp(b - ability[person]))
            given = answer(rng, question["type"], question["options"], p)
            score = get_type(question["type"]).score(question["options"], given)
            raw += score
            response_rows.append({"attempt_id": n + 1, "question_id": ids[question["qid"]],
                                  "position": position, "answer": given, "score": score})
        submitted = start + timedelta(minutes=n)
        attempt_rows.append({"id": n + 1, "person_id": person + 1, "quiz_id": quiz.id,
                             "started_at": submitted - timedelta(minutes=15),
                             "submitted_at": submitted, "raw_score": raw,
                             "score": raw / len(bank), "passed": raw / len(bank) >= 0.8})
        if len(response_rows) >= CHUNK:
            flush_rows(attempt_rows, response_rows)
    flush_rows(attempt_rows, response_rows)
    accounts.create_user("bench-trainer@bench.edu.cn", "基准培训师", "bench-password",
                         grant=("trainer", "BU"))
    db.session.commit()


def flush_rows(attempt_rows: list, response_rows: list) -> None:
    """Bulk-insert what has piled up, so memory stays flat."""
    if attempt_rows:
        db.session.execute(insert(Attempt), attempt_rows)
    if response_rows:
        db.session.execute(insert(Response), response_rows)
    attempt_rows.clear()
    response_rows.clear()


def best_of(repeat: int, call) -> tuple[float, dict]:
    """The fastest of `repeat` calls, in seconds, and the last result."""
    times, result = [], None
    for _n in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
        db.session.rollback()
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL")
    if url is None:
        for leftover in OUT.glob("item_stats.db*"):
            leftover.unlink()
        url = f"sqlite:///{OUT / 'item_stats.db'}"
    print(f"Database: {url.split('@')[-1]}", flush=True)
    app = make_app(url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        started = time.perf_counter()
        generate(args.attempts, args.seed)
        print(f"  generated {args.attempts:,} attempts × {len(SHAPES)} questions "
              f"in {time.perf_counter() - started:.1f} s", flush=True)
        quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "bench"))
        trainer = accounts.find_login("bench-trainer@bench.edu.cn")
        cases = [("everyone, first attempts", {}),
                 ("trainer of the university, first attempts", {"user": trainer}),
                 ("everyone, all attempts", {"all_attempts": True})]
        for label, options in cases:
            seconds, result = best_of(args.repeat, lambda o=options: quiz_statistics(quiz, **o))
            print(f"  quiz_statistics, {label}: {seconds:.3f} s "
                  f"({result['attempts']:,} attempts; mean {result['mean']}, "
                  f"alpha {result['alpha']})", flush=True)


if __name__ == "__main__":
    main()
