"""Attempts: questions and order fixed at the start, resuming, attempt limits, the deadline,
scoring, and submitting exactly once — also when requests race."""
import random
import threading
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Attempt
from models import Question
from models import QuestionBank
from models import Quiz
from models import Response
from services import attempts
from services.errors import Conflict
from services.errors import DomainError

T0 = datetime(2026, 10, 1, 8, 0, 0)

#: qid → (type, [(text, correct)]); ordering options are listed in the right order
FIXED = {
    "q-single": ("single", [("及时报告", True), ("等待观察", False), ("在群里讨论", False)]),
    "q-multi": ("multiple", [("失眠", True), ("退缩", True), ("参加社团", False), ("按时上课", False)]),
    "q-tf": ("truefalse", [("对", True), ("错", False)]),
    "q-order": ("ordering", [("稳定情绪", True), ("陪伴", True), ("报告辅导员", True), ("记录", True)]),
}


def make_bank(slug: str, questions: dict, competency: str = "recognition") -> QuestionBank:
    """A bank with these questions, feedback on every option."""
    bank = QuestionBank(slug=slug, title=f"题库{slug}")
    db.session.add(bank)
    for position, (qid, (kind, options)) in enumerate(questions.items()):
        db.session.add(Question(
            qid=qid, bank=bank, position=position, type=kind, competency=competency,
            stem=f"**{qid}** 的题干", feedback=f"{qid} 的总体反馈",
            options=[{"text": text, "correct": correct, "feedback": f"{text}：反馈"}
                     for text, correct in options]))
    db.session.flush()
    return bank


def make_pool(slug: str = "pool", n: int = 6) -> QuestionBank:
    """A bank of `n` single-choice questions to draw from."""
    return make_bank(slug, {f"{slug}-{i}": ("single", [("对的", True), ("错的", False),
                                                        ("也错", False)]) for i in range(n)})


def make_quiz(slug: str = "basics", **fields) -> Quiz:
    """The four fixed questions (one per type), in a quiz for dorm informants."""
    if db.session.scalar(select(QuestionBank).where(QuestionBank.slug == "fixed")) is None:
        make_bank("fixed", FIXED)
    values = dict(title=f"测验{slug}", roles=["dorm_informant"], pass_mark=0.5, shuffle=False,
                  layout="all", questions=list(FIXED), draw=[])
    values.update(fields)
    quiz = Quiz(slug=slug, **values)
    db.session.add(quiz)
    db.session.commit()
    return quiz


def right_answers(attempt: Attempt) -> dict[int, list[int]]:
    """Every question of the attempt answered right, by question id."""
    answers = {}
    for response in attempt.responses:
        question = response.question
        if question.type == "ordering":
            answers[question.id] = list(range(len(question.options)))
        else:
            answers[question.id] = [i for i, o in enumerate(question.options) if o["correct"]]
    return answers


def by_qid(attempt: Attempt) -> dict[str, int]:
    return {r.question.qid: r.question_id for r in attempt.responses}


@pytest.fixture
def learner(make_person):
    return make_person("S001", name="李同学")


def test_the_draw_and_the_order_are_fixed_when_the_attempt_starts(app, learner):
    make_pool()
    quiz = make_quiz(shuffle=True, draw=[{"bank": "pool", "competency": "recognition", "count": 3}])
    attempt = attempts.start_attempt(learner, quiz, now=T0, rng=random.Random(7))
    db.session.commit()
    layout = attempt.layout
    qids = [db.session.get(Question, item["question_id"]).qid for item in layout]
    assert len(qids) == 7 and len(set(qids)) == 7
    assert set(FIXED) <= set(qids) and sum(q.startswith("pool-") for q in qids) == 3
    assert [r.question_id for r in attempt.responses] == [item["question_id"] for item in layout]
    orders = {db.session.get(Question, i["question_id"]).qid: i["options"] for i in layout}
    assert orders["q-tf"] == [0, 1], "true/false is never shuffled"
    assert sorted(orders["q-order"]) == [0, 1, 2, 3] and orders["q-order"] != [0, 1, 2, 3]

    again = attempts.start_attempt(learner, quiz, now=T0 + timedelta(minutes=5))
    assert again.id == attempt.id and again.layout == layout, "resuming never reshuffles"
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_without_shuffle_only_ordering_items_are_mixed(app, learner):
    quiz = make_quiz()
    attempt = attempts.start_attempt(learner, quiz, now=T0, rng=random.Random(1))
    orders = {db.session.get(Question, i["question_id"]).qid: i["options"] for i in attempt.layout}
    assert list(orders) == list(FIXED), "fixed questions keep the quiz's order"
    assert orders["q-single"] == [0, 1, 2] and orders["q-multi"] == [0, 1, 2, 3]
    assert orders["q-order"] != [0, 1, 2, 3]


def test_a_drawn_question_never_repeats_a_fixed_one(app, learner):
    make_pool(n=3)
    quiz = make_quiz(questions=["pool-0", "q-single"],
                     draw=[{"bank": "pool", "competency": None, "count": 5}])
    attempt = attempts.start_attempt(learner, quiz, now=T0)
    qids = [r.question.qid for r in attempt.responses]
    assert sorted(qids) == ["pool-0", "pool-1", "pool-2", "q-single"]


def test_a_quiz_without_questions_cannot_start(app, learner):
    quiz = make_quiz(questions=["missing"])
    with pytest.raises(DomainError, match="no questions"):
        attempts.start_attempt(learner, quiz, now=T0)


def test_an_account_without_a_person_cannot_start(app):
    with pytest.raises(DomainError, match="not linked to a person"):
        attempts.start_attempt(None, make_quiz(), now=T0)


def test_max_attempts_counts_submitted_attempts(app, learner):
    quiz = make_quiz(max_attempts=2)
    first = attempts.start_attempt(learner, quiz, now=T0)
    attempts.submit_attempt(first, now=T0 + timedelta(minutes=1))
    second = attempts.start_attempt(learner, quiz, now=T0 + timedelta(minutes=2))
    assert second.id != first.id
    assert attempts.start_attempt(learner, quiz, now=T0 + timedelta(minutes=3)).id == second.id
    attempts.submit_attempt(second, now=T0 + timedelta(minutes=4))
    db.session.commit()
    with pytest.raises(DomainError, match="all 2 attempts"):
        attempts.start_attempt(learner, quiz, now=T0 + timedelta(minutes=5))
    assert attempts.attempts_used(learner, quiz) == 2


def test_a_pass_gives_a_fresh_set_of_attempts_for_renewal(app, learner):
    """Renewing a certificate means passing again next year: attempts count from the last pass."""
    quiz = make_quiz(max_attempts=1)
    first = attempts.start_attempt(learner, quiz, now=T0)
    attempts.save_answers(first, right_answers(first), now=T0)
    attempts.submit_attempt(first, now=T0 + timedelta(minutes=1))
    db.session.commit()
    assert first.passed is True
    assert attempts.attempts_used(learner, quiz) == 0
    later = T0 + timedelta(days=330)
    second = attempts.start_attempt(learner, quiz, now=later)
    attempts.submit_attempt(second, now=later + timedelta(minutes=1))  # nothing answered: failed
    db.session.commit()
    assert second.passed is False
    with pytest.raises(DomainError, match="all 1 attempts"):
        attempts.start_attempt(learner, quiz, now=later + timedelta(minutes=2))


def test_a_paper_sitting_does_not_use_up_online_attempts(app, learner):
    quiz = make_quiz(max_attempts=1)
    db.session.add(Attempt(person_id=learner.id, quiz_id=quiz.id, source="paper", started_at=T0,
                           submitted_at=T0, sat_on=T0.date(), layout=[], score=0.2, passed=False))
    db.session.commit()
    assert attempts.attempts_used(learner, quiz) == 0
    assert attempts.start_attempt(learner, quiz, now=T0).source == "online"


def test_scoring_follows_each_type(app, learner):
    quiz = make_quiz(pass_mark=0.5)
    attempt = attempts.start_attempt(learner, quiz, now=T0)
    ids = by_qid(attempt)
    now = T0 + timedelta(minutes=1)
    attempts.save_answer(attempt, ids["q-single"], [0], now=now)        # right: 1
    attempts.save_answer(attempt, ids["q-multi"], [0, 2], now=now)      # +½ −½: 0
    attempts.save_answer(attempt, ids["q-tf"], [1], now=now)            # wrong: 0
    attempts.save_answer(attempt, ids["q-order"], [0, 1, 3, 2], now=now)  # 2 of 4 places: ½
    attempts.submit_attempt(attempt, now=now)
    db.session.commit()
    scores = {r.question.qid: r.score for r in attempt.responses}
    assert scores == {"q-single": 1.0, "q-multi": 0.0, "q-tf": 0.0, "q-order": 0.5}
    assert attempt.raw_score == 1.5 and attempt.score == 1.5 / 4
    assert attempt.passed is False

    quiz.max_attempts = None
    again = attempts.start_attempt(learner, quiz, now=T0 + timedelta(hours=1))
    attempts.save_answers(again, right_answers(again), now=T0 + timedelta(hours=1))
    attempts.save_answer(again, by_qid(again)["q-multi"], [1], now=T0 + timedelta(hours=1))
    attempts.submit_attempt(again, now=T0 + timedelta(hours=1))
    assert again.raw_score == 3.5 and again.passed is True


def test_a_malformed_answer_is_refused(app, learner):
    attempt = attempts.start_attempt(learner, make_quiz(), now=T0)
    ids = by_qid(attempt)
    for answer in ([0, 1], [7], ["0"], [0, 0]):
        with pytest.raises(DomainError):
            attempts.save_answer(attempt, ids["q-single"], answer, now=T0)


def test_answers_after_the_deadline_are_not_saved_and_not_counted(app, learner):
    quiz = make_quiz(time_limit_minutes=10)
    attempt = attempts.start_attempt(learner, quiz, now=T0)
    assert attempt.deadline == T0 + timedelta(minutes=10)
    ids = by_qid(attempt)
    assert attempts.save_answer(attempt, ids["q-single"], [0], now=T0 + timedelta(minutes=9)) \
        == attempts.SAVED
    late = attempts.save_answer(attempt, ids["q-tf"], [0], now=T0 + timedelta(minutes=11))
    db.session.commit()
    assert late == attempts.LATE
    assert attempt.submitted_at == attempt.deadline, "time ran out at the deadline"
    answers = {r.question.qid: r.answer for r in attempt.responses}
    assert answers["q-single"] == [0] and answers["q-tf"] is None
    assert attempt.raw_score == 1.0
    with pytest.raises(Conflict):
        attempts.save_answer(attempt, ids["q-tf"], [0], now=T0 + timedelta(minutes=12))


def test_an_answer_stored_after_the_deadline_never_counts(app, learner):
    """Whatever wrote it (a race, a paper import gone wrong), a late answer scores 0."""
    attempt = attempts.start_attempt(learner, make_quiz(time_limit_minutes=10), now=T0)
    for response in attempt.responses:
        response.answer = right_answers(attempt)[response.question_id]
        response.answered_at = T0 + timedelta(minutes=30)
    db.session.flush()
    attempts.submit_attempt(attempt, now=T0 + timedelta(minutes=5))
    assert attempt.raw_score == 0.0 and attempt.passed is False


def test_an_overdue_attempt_is_submitted_when_next_touched(app, learner):
    quiz = make_quiz(time_limit_minutes=10)
    attempt = attempts.start_attempt(learner, quiz, now=T0)
    attempts.save_answers(attempt, right_answers(attempt), now=T0 + timedelta(minutes=1))
    db.session.commit()
    resumed = attempts.start_attempt(learner, quiz, now=T0 + timedelta(hours=2))
    assert resumed.id == attempt.id and resumed.submitted_at == T0 + timedelta(minutes=10)
    assert resumed.score == 1.0 and resumed.passed is True


def test_submitting_twice_grades_once(app, learner, monkeypatch):
    attempt = attempts.start_attempt(learner, make_quiz(), now=T0)
    attempts.save_answers(attempt, right_answers(attempt), now=T0)
    graded = []
    real = attempts.grade
    monkeypatch.setattr(attempts, "grade", lambda a: graded.append(a.id) or real(a))
    attempts.submit_attempt(attempt, now=T0 + timedelta(minutes=1))
    attempts.submit_attempt(attempt, now=T0 + timedelta(minutes=2))
    db.session.commit()
    assert graded == [attempt.id]
    assert attempt.submitted_at == T0 + timedelta(minutes=1) and attempt.score == 1.0


def post_in_parallel(app, cookie: str, token: str, path: str, n: int = 6) -> list:
    """POST `path` from `n` threads at once, each its own client sharing one signed-in
    session (like tabs), each request in its own app context and database session."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        client = app.test_client()
        client.set_cookie("session", cookie)
        barrier.wait()
        results[i] = client.post(path, data={"csrf_token": token})

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def signed_in(client, auth, make_user, learner) -> tuple[str, str]:
    make_user("s001@example.edu.cn", person=learner)
    auth.login("S001")
    token = auth.csrf_token("/")  # kept in the session: read the cookie after
    return client.get_cookie("session").value, token


def test_parallel_submits_give_exactly_one_graded_attempt(app, client, auth, make_user,
                                                          learner, monkeypatch):
    quiz = make_quiz()
    attempt = attempts.start_attempt(learner, quiz)
    attempts.save_answers(attempt, right_answers(attempt))
    db.session.commit()
    cookie, token = signed_in(client, auth, make_user, learner)
    graded = []
    lock = threading.Lock()
    real = attempts.grade

    def counting(a):
        with lock:
            graded.append(a.id)
        return real(a)

    monkeypatch.setattr(attempts, "grade", counting)
    path = f"/quizzes/{quiz.slug}/attempts/{attempt.id}/submit"
    responses = post_in_parallel(app, cookie, token, path)
    review = f"/quizzes/{quiz.slug}/attempts/{attempt.id}/review"
    assert [r.status_code for r in responses] == [302] * len(responses)
    assert {r.headers["Location"] for r in responses} == {review}
    assert graded == [attempt.id]
    db.session.expire_all()
    rows = db.session.scalars(select(Attempt)).all()
    assert len(rows) == 1 and rows[0].submitted_at is not None and rows[0].score == 1.0
    assert db.session.scalar(select(func.count()).select_from(Response)
                             .where(Response.score.is_not(None))) == 4


def test_parallel_starts_open_one_attempt(app, client, auth, make_user, learner):
    quiz = make_quiz()
    cookie, token = signed_in(client, auth, make_user, learner)
    responses = post_in_parallel(app, cookie, token, f"/quizzes/{quiz.slug}/start")
    db.session.expire_all()
    opened = db.session.scalars(select(Attempt)).all()
    assert len(opened) == 1
    assert {r.headers["Location"] for r in responses} == {
        f"/quizzes/{quiz.slug}/attempts/{opened[0].id}"}


def statements_for_dashboard(person) -> int:
    from sqlalchemy import event

    from services.learner_quizzes import learner_quizzes

    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        rows = learner_quizzes(person)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert rows
    return len(seen)


def test_my_quizzes_takes_the_same_queries_for_1_or_5_quizzes(app, make_unit, make_person):
    dorm = make_unit("D1", name="1号寝室")
    person = make_person("S009", role="dorm_informant", unit=dorm)
    quiz = make_quiz("q0")
    attempts.submit_attempt(attempts.start_attempt(person, quiz))
    db.session.commit()
    one = statements_for_dashboard(person)
    for n in range(1, 5):
        attempts.start_attempt(person, make_quiz(f"q{n}", max_attempts=3))
    db.session.commit()
    assert statements_for_dashboard(person) == one
