"""Scoring, answer parsing and answer-sheet letters for every question type (SPEC §2.4)."""
import random

import pytest

from extensions import db
from services import question_bank
from services.errors import Conflict
from services.errors import DomainError
from services.errors import ValidationFailed
from services.question_types import TYPES
from services.question_types import get_type


def opts(*correct):
    """Options A, B, C, … with the given ones marked correct."""
    return [{"text": f"option {i}", "correct": bool(flag), "feedback": ""}
            for i, flag in enumerate(correct)]


ORDER = opts(0, 0, 0, 0)


@pytest.mark.parametrize("kind, options, answer, expected", [
    ("single", opts(0, 1, 0), [1], 1.0),
    ("single", opts(0, 1, 0), [0], 0.0),
    ("single", opts(0, 1, 0), [0, 1], 0.0),
    ("single", opts(0, 1, 0), None, 0.0),
    ("single", opts(0, 1, 0), [], 0.0),
    ("truefalse", opts(1, 0), [0], 1.0),
    ("truefalse", opts(1, 0), [1], 0.0),
    ("truefalse", opts(1, 0), None, 0.0),
    ("multiple", opts(1, 1, 0, 0), [0, 1], 1.0),
    ("multiple", opts(1, 1, 0, 0), [0], 0.5),
    ("multiple", opts(1, 1, 0, 0), [0, 2], 0.0),
    ("multiple", opts(1, 1, 1, 0), [0, 1, 3], pytest.approx(1 / 3)),
    ("multiple", opts(1, 0, 0, 0), [0, 1, 2], 0.0),   # wrong picks floor at 0, never below
    ("multiple", opts(1, 1, 0, 0), [2, 3], 0.0),
    ("multiple", opts(1, 1, 0, 0), [0, 1, 2, 3], 0.0),
    ("multiple", opts(1, 1, 0, 0), None, 0.0),
    ("ordering", ORDER, [0, 1, 2, 3], 1.0),
    ("ordering", ORDER, [1, 0, 2, 3], 0.5),
    ("ordering", ORDER, [3, 2, 1, 0], 0.0),
    ("ordering", ORDER, [0, 2, 1, 3], 0.5),
    ("ordering", ORDER, [0, 1], 0.5),                  # half-finished: the rest is wrong
    ("ordering", ORDER, None, 0.0),
])
def test_score_follows_spec(kind, options, answer, expected):
    assert get_type(kind).score(options, answer) == expected


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_every_score_is_a_share(kind):
    rng = random.Random(4)
    for _ in range(200):
        n = rng.randint(2, 6)
        options = opts(*[rng.random() < 0.5 for _ in range(n)])
        answer = rng.sample(range(n), rng.randint(0, n))
        assert 0.0 <= get_type(kind).score(options, answer) <= 1.0


def test_unknown_type_is_a_readable_error():
    with pytest.raises(DomainError, match="essay"):
        get_type("essay")


@pytest.mark.parametrize("kind, values, n, expected", [
    ("single", ["2"], 4, [2]),
    ("single", ["9"], 4, None),
    ("single", ["x"], 4, None),
    ("single", [], 4, None),
    ("truefalse", ["1"], 2, [1]),
    ("multiple", ["3", "0", "3", "junk", "-1"], 4, [0, 3]),
    ("multiple", [], 4, None),
    ("ordering", ["2", "0", "1"], 3, [2, 0, 1]),
    ("ordering", ["2", "2", "1"], 3, None),
    ("ordering", ["2", "5", "1"], 3, None),
    ("ordering", ["a"], 3, None),
])
def test_parse_answer_keeps_original_indexes(kind, values, n, expected):
    assert get_type(kind).parse_answer(values, n) == expected


@pytest.mark.parametrize("kind, letters, n, expected", [
    ("single", "B", 4, [1]),
    ("single", " b ", 4, [1]),
    ("single", "", 4, None),
    ("truefalse", "A", 2, [0]),
    ("multiple", "DB", 4, [1, 3]),
    ("multiple", "B,D", 4, [1, 3]),
    ("ordering", "CABD", 4, [2, 0, 1, 3]),
])
def test_letters_to_answer(kind, letters, n, expected):
    assert get_type(kind).letters_to_answer(letters, n) == expected


@pytest.mark.parametrize("kind, letters, n", [
    ("single", "E", 4),
    ("truefalse", "C", 2),
    ("multiple", "A1", 4),
    ("ordering", "CABB", 4),
    ("ordering", "CABZ", 4),
])
def test_bad_letters_are_refused(kind, letters, n):
    with pytest.raises(DomainError):
        get_type(kind).letters_to_answer(letters, n)


@pytest.mark.parametrize("kind, options, fragment", [
    ("single", opts(1, 1), "exactly one correct"),
    ("single", opts(0, 0), "exactly one correct"),
    ("single", opts(1), "at least two options"),
    ("truefalse", opts(1, 0, 0), "exactly two options"),
    ("multiple", opts(0, 0, 0), "at least one correct"),
    ("ordering", [{"text": "a"}, {"text": ""}], "option 2 has no text"),
])
def test_validate_names_the_problem(kind, options, fragment):
    assert any(fragment in problem for problem in get_type(kind).validate(options))


@pytest.mark.parametrize("kind, options", [
    ("single", opts(0, 1, 0)), ("truefalse", opts(0, 1)),
    ("multiple", opts(1, 0, 1)), ("ordering", ORDER),
])
def test_validate_accepts_good_options(kind, options):
    assert get_type(kind).validate(options) == []


def test_only_truefalse_keeps_its_order():
    assert {name for name, kind in TYPES.items() if not kind.shuffle_options} == {"truefalse"}


RECORD = {"qid": "rec-001", "type": "single", "competency": "recognition", "stem": "Which?",
          "options": opts(0, 1), "feedback": "because", "tags": ["a"]}


def test_save_question_creates_updates_and_reports_unchanged(app):
    bank, status = question_bank.ensure_bank("recognition-basics", "识别")
    assert status == "created"
    question, status = question_bank.save_question(bank, RECORD)
    assert status == "created" and question.position == 0
    assert question_bank.save_question(bank, RECORD)[1] == "unchanged"
    _question, status = question_bank.save_question(bank, dict(RECORD, stem="Which one?"))
    assert status == "updated"
    db.session.commit()
    assert question_bank.questions_by_qid(["rec-001", "nope"])["rec-001"].stem == "Which one?"


def test_save_question_refuses_a_bad_record_and_a_qid_of_another_bank(app):
    bank = question_bank.ensure_bank("one")[0]
    other = question_bank.ensure_bank("two")[0]
    with pytest.raises(ValidationFailed) as error:
        question_bank.save_question(bank, dict(RECORD, type="essay", competency="x"))
    assert len(error.value.problems) == 2
    question_bank.save_question(bank, RECORD)
    with pytest.raises(Conflict):
        question_bank.save_question(other, RECORD)


def test_draw_is_random_within_bank_and_competency_and_repeatable(app):
    bank = question_bank.ensure_bank("pool")[0]
    for number in range(10):
        competency = "recognition" if number % 2 else "intervention"
        question_bank.save_question(bank, dict(RECORD, qid=f"q{number}", competency=competency))
    drawn = question_bank.draw("pool", "recognition", 3, random.Random(1))
    assert len(drawn) == 3 and {q.competency for q in drawn} == {"recognition"}
    assert [q.qid for q in drawn] == [q.qid for q in
                                      question_bank.draw("pool", "recognition", 3, random.Random(1))]
    assert len(question_bank.draw("pool", "recognition", 50, random.Random(1))) == 5
    assert len(question_bank.draw("pool", None, 50, random.Random(1), exclude=["q1"])) == 9
