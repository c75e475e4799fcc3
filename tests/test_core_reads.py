"""services/core_reads.read(): once a select is learned it runs on the DBAPI cursor, and
must give exactly what `session.connection().execute()` gives — values, types, names —
in the same transaction, and still be seen by a statement counter."""
from datetime import date
from datetime import datetime

import pytest
from sqlalchemy import bindparam
from sqlalchemy import case
from sqlalchemy import exc
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from extensions import db
from models import Assignment
from models import Attempt
from models import HourEntry
from models import Person
from models import Unit
from services import core_reads
from services.core_reads import read
from tests.certification_helpers import make_quiz
from tests.statements import recorded

# Learned statements are kept by identity: like the services' own, these are built once.
ATTEMPTS = (select(Attempt.id, Attempt.submitted_at, Attempt.sat_on, Attempt.score,
                   Attempt.passed, Attempt.source)
            .where(Attempt.person_id == bindparam("person_id"))
            .order_by(Attempt.id))
SUBMITTED_BEFORE = (select(Attempt.id, Attempt.started_at)
                    .where(Attempt.submitted_at < bindparam("before"),
                           Attempt.passed.is_(True))
                    .order_by(Attempt.id))
HOURS = (select(HourEntry.person_id, func.sum(HourEntry.hours), func.count(),
                func.max(HourEntry.date).label("last"))
         .where(HourEntry.date >= bindparam("start"), HourEntry.status == "approved")
         .group_by(HourEntry.person_id)
         .order_by(HourEntry.person_id))
TOTAL = select(func.coalesce(func.sum(HourEntry.hours), 0.0)).where(
    HourEntry.person_id == bindparam("person_id"))
PEOPLE = (select(Person.number.label("number"), Unit.code.label("unit"), Assignment.start,
                 Assignment.end)
          .join(Assignment, Assignment.person_id == Person.id)
          .join(Unit, Unit.id == Assignment.unit_id)
          .where(Person.number.in_(bindparam("numbers", expanding=True)))
          .order_by(Person.number))
SUMMARY = (select(Attempt.person_id, func.max(case((Attempt.passed.is_(True), 1), else_=0)),
                  func.avg(Attempt.score))
           .where(Attempt.person_id.in_(bindparam("ids", expanding=True)),
                  Attempt.quiz_id.in_(bindparam("quiz_ids", expanding=True)))
           .group_by(Attempt.person_id)
           .order_by(Attempt.person_id))
LISTED = (select(Person.number).where(Person.number.in_(["S001", "S003"]),
                                      Person.number != bindparam("not"))
          .order_by(Person.number))
CHILDREN = (select(Unit.code, Unit.students)
            .where(Unit.parent_id == bindparam("unit_id"), Unit.id != bindparam("unit_id"))
            .order_by(Unit.code))


@pytest.fixture
def world(make_unit, make_person):
    """Three people with attempts (passed, failed, open) and hours, on two units."""
    university = make_unit("U1", students=900)
    college = make_unit("C1", "college", university)
    make_unit("C2", "college", university, students=30)
    people = [make_person(f"S00{n}", role="dorm_informant", unit=college,
                          end=date(2027, 7, 1) if n == 2 else None) for n in (1, 2, 3)]
    quiz = make_quiz()
    first, second, _ = people
    db.session.add_all([
        Attempt(person_id=first.id, quiz_id=quiz.id, started_at=datetime(2026, 10, 1, 8),
                submitted_at=datetime(2026, 10, 1, 9, 30, 15, 250), score=0.9, raw_score=9,
                passed=True),
        Attempt(person_id=first.id, quiz_id=quiz.id, source="paper", sat_on=date(2026, 10, 3),
                submitted_at=datetime(2026, 10, 4, 9), score=0.25, raw_score=2.5, passed=False),
        Attempt(person_id=second.id, quiz_id=quiz.id, started_at=datetime(2026, 10, 2, 8)),
        HourEntry(person_id=first.id, date=date(2026, 9, 5), hours=1.5, activity="workshop",
                  source="manual", status="approved"),
        HourEntry(person_id=first.id, date=date(2026, 9, 20), hours=0.1, activity="workshop",
                  source="manual", status="approved"),
        HourEntry(person_id=second.id, date=date(2026, 9, 21), hours=2.0, activity="workshop",
                  source="manual", status="pending"),
    ])
    db.session.commit()
    return {"first": first, "second": second, "third": people[2], "quiz": quiz,
            "university": university}


def described(rows) -> list:
    """What a caller can tell of rows: values, their types, and the names they go by."""
    return [(tuple(row), tuple(type(value) for value in row), row._fields) for row in rows]


def normally(statement, params: dict) -> list:
    return db.session.connection().execute(statement, params).all()


@pytest.fixture
def learnt(monkeypatch):
    """read() three times (the second time learns), and check the third ran directly."""
    normal = []
    learn = core_reads.read_and_learn
    monkeypatch.setattr(core_reads, "read_and_learn",
                        lambda *args: normal.append(args) or learn(*args))

    def reads(statement, params: dict):
        results = [read(statement, params), read(statement, params)]
        normal.clear()
        results.append(read(statement, params))
        assert not normal, "the third read of a select runs directly"
        assert described(results[0]) == described(results[1]) == described(results[2])
        return results[2]

    reads.normal = normal
    return reads


#: name → (statement, parameters for the world)
CASES = {
    "dates, datetimes, floats, booleans, NULLs": (ATTEMPTS, lambda w: {"person_id": w["first"].id}),
    "no row": (ATTEMPTS, lambda w: {"person_id": w["third"].id}),
    "open attempt": (ATTEMPTS, lambda w: {"person_id": w["second"].id}),
    "datetime parameter": (SUBMITTED_BEFORE, lambda w: {"before": datetime(2026, 10, 5)}),
    "aggregates, date parameter, literal": (HOURS, lambda w: {"start": date(2026, 9, 1)}),
    "coalesced sum": (TOTAL, lambda w: {"person_id": w["first"].id}),
    "joins, labels, IN of none": (PEOPLE, lambda w: {"numbers": []}),
    "IN of one": (PEOPLE, lambda w: {"numbers": ["S002"]}),
    "IN of three": (PEOPLE, lambda w: {"numbers": ["S003", "S001", "S002"]}),
    "two INs, case": (SUMMARY, lambda w: {"ids": [w["first"].id, w["second"].id],
                                          "quiz_ids": [w["quiz"].id]}),
    "a parameter used twice": (CHILDREN, lambda w: {"unit_id": w["university"].id}),
    "an IN of a list in the statement": (LISTED, lambda w: {"not": "S002"}),
}


def case_of(world, name: str) -> tuple:
    statement, params = CASES[name]
    return statement, params(world)


@pytest.mark.parametrize("name", CASES)
def test_a_learnt_read_returns_what_sqlalchemy_returns(world, learnt, name):
    statement, params = case_of(world, name)
    assert described(learnt(statement, params)) == described(normally(statement, params))


def test_the_data_the_cases_read_is_what_they_claim(world, learnt):
    """So the comparisons above compare real dates, datetimes, floats and booleans."""
    rows = learnt(*case_of(world, "dates, datetimes, floats, booleans, NULLs"))
    assert [row[1:5] for row in rows] == [
        (datetime(2026, 10, 1, 9, 30, 15, 250), None, 0.9, True),
        (datetime(2026, 10, 4, 9), date(2026, 10, 3), 0.25, False)]
    assert learnt(*case_of(world, "aggregates, date parameter, literal"))[0][1:] == (
        pytest.approx(1.6), 2, date(2026, 9, 20))
    assert [row.number for row in learnt(*case_of(world, "IN of three"))] == ["S001", "S002", "S003"]


def test_each_length_of_an_in_list_is_learnt_and_matches(world, learnt):
    lists = (["S002", "S003"], [], ["S001"], ["S003", "S002", "S001", "nobody"])
    for numbers in lists:
        learnt(PEOPLE, {"numbers": numbers})
    for numbers in lists:  # each length has its own SQL
        assert described(read(PEOPLE, {"numbers": numbers})) == described(
            normally(PEOPLE, {"numbers": numbers}))
    assert not learnt.normal


def test_the_result_offers_what_the_callers_use(world, learnt):
    first = world["first"]
    rows = learnt(ATTEMPTS, {"person_id": first.id})
    expected = db.session.connection().execute(ATTEMPTS, {"person_id": first.id}).first()
    assert rows.first() == expected and rows.first().score == expected.score
    assert rows.first()._mapping == expected._mapping
    assert rows.mappings().first()["source"] == "online"
    assert rows.all() == list(rows) and rows.scalar() == expected[0]
    assert [tuple(row) for row in rows] == [tuple(row) for row in rows.all()]
    assert learnt(TOTAL, {"person_id": first.id}).scalar() == pytest.approx(1.6)
    empty = learnt(ATTEMPTS, {"person_id": world["third"].id})
    assert empty.first() is None and empty.scalar() is None and empty.all() == []


def test_pending_changes_are_read_and_a_rollback_leaves_nothing(world, learnt):
    third = world["third"]
    learnt(TOTAL, {"person_id": third.id})
    db.session.add(HourEntry(person_id=third.id, date=date(2026, 9, 9), hours=3.5,
                             activity="workshop", source="manual", status="approved"))
    assert learnt(TOTAL, {"person_id": third.id}).scalar() == 3.5  # flushed first
    db.session.rollback()
    assert learnt(TOTAL, {"person_id": third.id}).scalar() == 0.0


def test_a_statement_counter_counts_every_read(world, learnt):
    first = world["first"]
    learnt(ATTEMPTS, {"person_id": first.id})
    with recorded() as statements:
        read(ATTEMPTS, {"person_id": first.id})
        read(PEOPLE, {"numbers": ["S001"]})
    assert len(statements) == 2
    assert len(learnt.normal) == 2  # with a listener, SQLAlchemy runs them
    learnt(ATTEMPTS, {"person_id": first.id})  # and directly again once it is gone


def test_unusual_statements_read_normally(world, learnt):
    number = text("SELECT number FROM person WHERE number = :number")
    with_options = select(Person.number).execution_options(populate_existing=True)
    for statement, params in ((number, {"number": "S001"}), (with_options, {})):
        for _ in range(3):
            assert read(statement, params).all() == normally(statement, params)
        assert len(learnt.normal) == 3
        learnt.normal.clear()


def test_statements_built_per_call_are_not_kept(world):
    learned = len(core_reads._learned)
    for _ in range(3):
        assert read(select(Person.number).where(Person.number == "S001")).scalar() == "S001"
    assert len(core_reads._learned) == learned


def test_a_missing_parameter_fails_as_sqlalchemy_fails(world, learnt):
    learnt(ATTEMPTS, {"person_id": world["first"].id})
    with pytest.raises(exc.StatementError, match="person_id"):
        read(ATTEMPTS, {"who": 1})


def test_an_in_of_none_or_of_a_set_reads_as_sqlalchemy_reads_it(world, learnt):
    learnt(PEOPLE, {"numbers": ["S001"]})
    for numbers in (None, {"S002"}, ("S001", "S003")):
        for _ in range(3):
            assert described(read(PEOPLE, {"numbers": numbers})) == described(
                normally(PEOPLE, {"numbers": numbers}))


def test_a_database_error_is_raised_as_sqlalchemy_raises_it(world, learnt, monkeypatch):
    first = world["first"]
    learnt(TOTAL, {"person_id": first.id})
    (plan,) = core_reads._learned[id(TOTAL)].plans.values()
    monkeypatch.setattr(plan, "sql", "SELECT nothing FROM nowhere")
    with pytest.raises(exc.DBAPIError):
        read(TOTAL, {"person_id": first.id})
    db.session.rollback()
