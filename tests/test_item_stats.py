"""Item statistics (SPEC §6) on a small example worked out by hand.

Four people sit a three-question quiz (first attempts):

    person  q1 single  q2 multiple  q3 truefalse  raw  share
    P1      1 [A]      1   [A,B]    1 [对]        3    1
    P2      1 [A]      0.5 [A]      0 [错]        1.5  0.5
    P3      0 [B]      0.5 [A,B,C]  1 [对]        1.5  0.5
    P4      0 [C]      0   (none)   0 [错]        0    0

q1: mean .5, var 1/3 (sd .577350); rest [2, .5, 1.5, 0] (mean 1, var 2.5/3);
    cov = (.5·1 + .5·−.5 − .5·.5 − .5·−1)/3 = 1/6; r = (1/6)/√(1/3 · 2.5/3) = .316228;
    sorted pairing: (−.5·−1 − .5·−.5 + .5·.5 + .5·1)/3 = .5, efficiency (1/6)/.5 = .333333.
q2: mean .5, var 1/6 (sd .408248); rest [2, 1, 1, 0] (var 2/3); cov 1/3; r = 1; efficiency 1.
q3: like q1 (rest [2, 1.5, .5, 0]): r .316228, efficiency .333333.
Quiz: share mean .5, median .5, sd √(1/6) = .408248; raw var 4.5/3 = 1.5;
    α = 3/2 · (1 − (1/3 + 1/6 + 1/3)/1.5) = 2/3.
P4 sits it again later and scores 3 — counted only with all attempts.
"""
import json
from datetime import date
from datetime import datetime

import pytest

from extensions import db
from models.quiz import Attempt
from models.quiz import Question
from models.quiz import QuestionBank
from models.quiz import Quiz
from models.quiz import Response
from services import item_formulas as f
from services.errors import NotFound
from services.item_stats import quiz_statistics

SINGLE = [{"text": "A", "correct": True}, {"text": "B", "correct": False},
          {"text": "C", "correct": False}]
MULTIPLE = [{"text": "A", "correct": True}, {"text": "B", "correct": True},
            {"text": "C", "correct": False}, {"text": "D", "correct": False}]
TRUEFALSE = [{"text": "对", "correct": True}, {"text": "错", "correct": False}]
#: person → [(q1 answer, score), (q2 …), (q3 …)], and the day of the first attempt
SHEET = {
    "P1": ([([0], 1), ([0, 1], 1), ([0], 1)], date(2026, 10, 1)),
    "P2": ([([0], 1), ([0], 0.5), ([1], 0)], date(2026, 10, 2)),
    "P3": ([([1], 0), ([0, 1, 2], 0.5), ([0], 1)], date(2026, 10, 3)),
    "P4": ([([2], 0), (None, 0), ([1], 0)], date(2026, 10, 4)),
}
RETAKE = [([0], 1), ([0, 1], 1), ([0], 1)]


def sit(person, quiz, questions, answers, day, paper=False):
    """A graded, submitted attempt as grading leaves it."""
    raw = sum(score for _answer, score in answers)
    attempt = Attempt(person=person, quiz=quiz, submitted_at=datetime.combine(day, datetime.min.time()),
                      raw_score=raw, score=raw / len(answers), passed=raw / len(answers) >= 0.8,
                      source="paper" if paper else "online", sat_on=day if paper else None)
    db.session.add(attempt)
    for position, (question, (answer, score)) in enumerate(zip(questions, answers, strict=True)):
        db.session.add(Response(attempt=attempt, question=question, position=position,
                                answer=answer, score=score))
    db.session.commit()
    return attempt


@pytest.fixture
def example(make_unit, make_person, make_user):
    uni = make_unit("U1")
    c1, c2 = make_unit("C1", "college", uni), make_unit("C2", "college", uni)
    bank = QuestionBank(slug="basics", title="基础")
    questions = [Question(qid=qid, bank=bank, type=kind, competency="recognition", stem=qid,
                          options=options)
                 for qid, kind, options in (("q1", "single", SINGLE), ("q2", "multiple", MULTIPLE),
                                            ("q3", "truefalse", TRUEFALSE))]
    quiz = Quiz(slug="check", title="测验", questions=["q1", "q2", "q3"])
    db.session.add_all([bank, *questions, quiz])
    db.session.commit()
    people = {}
    for number, (answers, day) in SHEET.items():
        unit = c1 if number in ("P1", "P2") else c2
        people[number] = make_person(number, role="counselor", unit=unit)
        sit(people[number], quiz, questions, answers, day, paper=number == "P3")
    sit(people["P4"], quiz, questions, RETAKE, date(2026, 10, 10))
    return {"quiz": quiz, "questions": questions, "people": people, "units": (uni, c1, c2),
            "trainer": make_user("t@x.cn", grant=("trainer", "C1"), locale="en"),
            "root": make_user("root@x.cn", grant=("superadmin", None), locale="en"),
            "nobody": make_user("n@x.cn")}


def by_id(result):
    return {q["id"]: q for q in result["questions"]}


def test_every_figure_matches_the_hand_computed_example(example):
    result = quiz_statistics(example["quiz"], user=example["root"])
    assert list(result) == ["attempts", "mean", "median", "sd", "alpha", "questions"]
    assert result["attempts"] == 4
    assert result["mean"] == 0.5
    assert result["median"] == 0.5
    assert result["sd"] == pytest.approx(0.408248, abs=1e-6)
    assert result["alpha"] == pytest.approx(2 / 3, abs=1e-6)
    assert [q["id"] for q in result["questions"]] == ["q1", "q2", "q3"]
    q1, q2, q3 = (by_id(result)[qid] for qid in ("q1", "q2", "q3"))
    assert list(q1) == ["id", "n", "facility", "sd", "discrimination_index",
                        "discriminative_efficiency", "options"]
    assert q1["n"] == 4 and q1["facility"] == 0.5
    assert q1["sd"] == pytest.approx(0.577350, abs=1e-6)
    assert q1["discrimination_index"] == pytest.approx(0.316228, abs=1e-6)
    assert q1["discriminative_efficiency"] == pytest.approx(0.333333, abs=1e-6)
    assert q2["sd"] == pytest.approx(0.408248, abs=1e-6)
    assert q2["discrimination_index"] == pytest.approx(1.0, abs=1e-6)
    assert q2["discriminative_efficiency"] == pytest.approx(1.0, abs=1e-6)
    assert q3["discrimination_index"] == pytest.approx(0.316228, abs=1e-6)
    assert q3["discriminative_efficiency"] == pytest.approx(0.333333, abs=1e-6)


def test_option_shares_count_each_chosen_option(example):
    result = by_id(quiz_statistics(example["quiz"]))
    assert result["q1"]["options"] == [{"text": "A", "chosen": 0.5}, {"text": "B", "chosen": 0.25},
                                       {"text": "C", "chosen": 0.25}]
    # multiple: P1 chose A,B; P2 A; P3 A,B,C; P4 nothing (still counted in the four)
    assert [o["chosen"] for o in result["q2"]["options"]] == [0.75, 0.5, 0.25, 0.0]
    assert [o["chosen"] for o in result["q3"]["options"]] == [0.5, 0.5]


def test_first_attempts_by_default_all_on_request(example):
    first = quiz_statistics(example["quiz"])
    every = quiz_statistics(example["quiz"], all_attempts=True)
    assert first["attempts"] == 4 and every["attempts"] == 5
    assert every["mean"] == pytest.approx(0.6)  # (1 + .5 + .5 + 0 + 1) / 5
    assert by_id(every)["q1"]["facility"] == pytest.approx(0.6)
    assert by_id(every)["q1"]["n"] == 5


def test_scope_unit_and_dates_choose_the_people_and_sittings(example):
    quiz, (uni, _c1, c2) = example["quiz"], example["units"]
    assert quiz_statistics(quiz, user=example["trainer"])["attempts"] == 2  # P1, P2 in C1
    assert quiz_statistics(quiz, user=example["nobody"])["attempts"] == 0
    assert quiz_statistics(quiz, user=example["root"], unit=c2)["attempts"] == 2
    assert quiz_statistics(quiz, unit=uni)["attempts"] == 4
    # P3 sat on paper on 3 October; P4's first attempt was on the 4th
    assert quiz_statistics(quiz, since=date(2026, 10, 3))["attempts"] == 2
    assert quiz_statistics(quiz, until=date(2026, 10, 2))["attempts"] == 2
    only_third = quiz_statistics(quiz, since=date(2026, 10, 3), until=date(2026, 10, 3))
    assert only_third["attempts"] == 1 and only_third["mean"] == 0.5


def test_undefined_figures_are_null(example):
    quiz = example["quiz"]
    one = quiz_statistics(quiz, until=date(2026, 10, 1))  # P1 alone
    assert one["attempts"] == 1 and one["sd"] is None and one["alpha"] is None
    q1 = by_id(one)["q1"]
    assert q1["n"] == 1 and q1["facility"] == 1.0
    assert q1["sd"] is None and q1["discrimination_index"] is None
    none = quiz_statistics(quiz, since=date(2030, 1, 1))
    assert none["attempts"] == 0 and none["mean"] is None and none["median"] is None
    assert by_id(none)["q1"]["n"] == 0 and by_id(none)["q1"]["options"][0]["chosen"] is None
    # P1 and P2 both got q1 right: no variance, no correlation
    two = by_id(quiz_statistics(quiz, until=date(2026, 10, 2)))["q1"]
    assert two["sd"] == 0.0 and two["discrimination_index"] is None
    assert two["discriminative_efficiency"] is None


def test_ordering_counts_options_put_in_their_place(example):
    quiz, person = example["quiz"], example["people"]["P1"]
    steps = Question(qid="o1", bank=example["questions"][0].bank, type="ordering", stem="步骤",
                     options=[{"text": t, "correct": True} for t in ("一", "二", "三")])
    db.session.add(steps)
    quiz.questions = ["q1", "q2", "q3", "o1"]
    db.session.commit()
    sit(person, quiz, [steps], [([0, 2, 1], 1 / 3)], date(2026, 11, 1))
    result = by_id(quiz_statistics(quiz, since=date(2026, 11, 1), all_attempts=True))
    assert [o["chosen"] for o in result["o1"]["options"]] == [1.0, 0.0, 0.0]


def test_formulas_on_counts():
    assert f.median([(1, 1), (2, 1), (3, 1), (4, 1)]) == 2.5
    assert f.median([(0, 2), (5, 1)]) == 0
    assert f.sample_variance([(1, 1)]) is None
    # sorted pairing of [0, 1, 1] with [3, 1, 2]: means 2/3 and 2
    assert f.sorted_pairing_sum([(0, 1), (1, 2)], [(3, 1), (1, 1), (2, 1)], 2 / 3, 2) \
        == pytest.approx((-2 / 3) * (-1) + (1 / 3) * 0 + (1 / 3) * 1)
    assert f.cronbach_alpha(1, 1, 1) is None and f.cronbach_alpha(2, 1, 0) is None


def test_cli_and_api_print_the_same_object(example, runner, client, app):
    from services import accounts

    quiz = example["quiz"]
    done = runner.invoke(args=["quiz", "stats", "check", "--json"])
    assert done.exit_code == 0, done.output
    printed = json.loads(done.output)
    assert printed == quiz_statistics(quiz)
    token = accounts.create_token(example["root"], "t")
    db.session.commit()
    answered = client.get("/api/v1/quizzes/check/statistics",
                          headers={"Authorization": f"Bearer {token}"})
    assert answered.status_code == 200
    assert answered.get_json() == printed
    table = runner.invoke(args=["quiz", "stats", "check"])
    assert table.exit_code == 0 and "q2" in table.output and "66.7" in table.output
    missing = runner.invoke(args=["quiz", "stats", "nope"])
    assert missing.exit_code == 1 and "No such quiz" in missing.output


def test_api_filters_and_scope(example, client):
    from services import accounts

    token = accounts.create_token(example["trainer"], "t")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    path = "/api/v1/quizzes/check/statistics"
    assert client.get(path, headers=headers).get_json()["attempts"] == 2
    assert client.get(path + "?attempts=all", headers=headers).get_json()["attempts"] == 2
    assert client.get(path + "?unit=C2", headers=headers).status_code == 404
    assert client.get(path + "?unit=C1&until=2026-10-01", headers=headers).get_json()["attempts"] == 1
    bad = client.get(path + "?since=yesterday", headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_request"
    assert client.get(path + "?attempts=some", headers=headers).status_code == 400
    assert client.get("/api/v1/quizzes/nope/statistics", headers=headers).status_code == 404
    assert client.get(path).status_code == 401


def test_missing_quiz_is_not_found(app):
    from services.item_stats import find_quiz

    with pytest.raises(NotFound):
        find_quiz("nope")


def test_the_page_shows_percentages_flags_and_filters(example, auth, client):
    auth.login("t@x.cn")  # trainer of C1: P1 and P2 only
    page = client.get("/author/quizzes/check/statistics")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-figure="attempts">2<' in html
    assert 'data-figure="mean">75.0%<' in html  # (1 + .5) / 2
    # q1: both right, no correlation → not flagged; q3: 1 and 0 against rests 2 and 1.5 → r = 1
    assert html.count('class="badge text-bg-warning weak"') == 0
    everyone = client.get("/author/quizzes/check/statistics?attempts=all&until=2026-10-01")
    assert 'data-figure="attempts">1<' in everyone.get_data(as_text=True)
    outside = client.get("/author/quizzes/check/statistics?unit=C2")
    assert outside.status_code == 200 and "No such unit." in outside.get_data(as_text=True)
    bad = client.get("/author/quizzes/check/statistics?since=31/12/2026")
    assert bad.status_code == 200 and "YYYY-MM-DD" in bad.get_data(as_text=True)
    assert client.get("/author/quizzes/nope/statistics").status_code == 404


def test_weak_questions_are_flagged(example, auth, client):
    auth.login("root@x.cn")
    html = client.get("/author/quizzes/check/statistics").get_data(as_text=True)
    assert 'data-figure="alpha">66.7%<' in html
    assert "Weak discrimination" not in html  # 31.6 %, 100 % and 31.6 %
    # q4: only P4, the weakest, gets it right — a negative discrimination
    extra = Question(qid="q4", bank=example["questions"][0].bank, type="truefalse", stem="q4",
                     options=TRUEFALSE)
    db.session.add(extra)
    for attempt in db.session.scalars(db.select(Attempt).order_by(Attempt.id).limit(4)):
        right = attempt.person.number == "P4"
        db.session.add(Response(attempt=attempt, question=extra, position=3,
                                answer=[0 if right else 1], score=1.0 if right else 0.0))
        attempt.raw_score += 1.0 if right else 0.0
    db.session.commit()
    html = client.get("/author/quizzes/check/statistics").get_data(as_text=True)
    # with q4 in the total, q1 and q3 no longer correlate with the rest (r = 0) either
    flagged = {part.split('"')[0] for part in html.split('data-question="')[1:]
               if "Weak discrimination" in part}
    assert flagged == {"q1", "q3", "q4"}


def test_the_download_has_chinese_headers(example, auth, client):
    from io import BytesIO

    from openpyxl import load_workbook

    auth.login("root@x.cn")
    got = client.get("/author/quizzes/check/statistics.xlsx?attempts=all")
    assert got.status_code == 200
    assert "check-statistics.xlsx" in got.headers["Content-Disposition"]
    book = load_workbook(BytesIO(got.data), read_only=True)
    assert book.sheetnames == ["概况", "题目", "选项"]
    summary = list(book["概况"].iter_rows(values_only=True))
    assert summary[0][1] == "计入作答数" and summary[1][1] == 5
    questions = list(book["题目"].iter_rows(values_only=True))
    assert questions[0][:3] == ("题号", "作答数", "容易度(%)")
    assert questions[1][:3] == ("q1", 5, 60.0)


def test_learners_do_not_see_the_page(example, auth, client, make_user):
    make_user("learner@x.cn", person=example["people"]["P1"])
    auth.login("learner@x.cn")
    assert client.get("/author/quizzes/check/statistics").status_code == 404
