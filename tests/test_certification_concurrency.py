"""Two evaluations at once (two requests, each its own session and transaction) never issue
two certificates for one program period: the (person, program, issued) constraint decides,
on SQLite and on PostgreSQL alike."""
import threading
from datetime import date

import pytest
from sqlalchemy import select

from extensions import db
from models import Certificate
from models import Person
from models import Quiz
from services import certification
from tests.certification_helpers import add_hours
from tests.certification_helpers import complete_module
from tests.certification_helpers import make_module
from tests.certification_helpers import make_program
from tests.certification_helpers import make_quiz
from tests.certification_helpers import pass_quiz

D = date


@pytest.fixture
def ready(make_unit, make_person):
    """An informant who has met every requirement of the program, nothing issued yet."""
    university = make_unit("U1")
    dorm = make_unit("D1", "dorm", make_unit("K1", "class", make_unit("C1", "college", university)))
    person = make_person("S001", role="dorm_informant", unit=dorm, start=D(2025, 9, 1))
    make_program(renewal={"modules": [], "quizzes": ["informant-quiz"], "hours": 0,
                          "qualifications": []})
    complete_module(person, make_module(), D(2026, 3, 1))
    pass_quiz(person, make_quiz(), D(2026, 3, 1))
    add_hours(person, 4, D(2026, 3, 1))
    return person


def evaluate_at_once(app, person_id: int, as_of: date, monkeypatch) -> list:
    """Run reevaluate in two threads that both get past the "nothing issued yet" check
    before either inserts; return what each issued (or the exception it raised)."""
    barrier = threading.Barrier(2, timeout=20)
    real = certification.new_code

    def code_after_both_checked():
        barrier.wait()
        return real()

    monkeypatch.setattr(certification, "new_code", code_after_both_checked)
    results = [None, None]

    def run(i):
        with app.app_context():
            try:
                person = db.session.get(Person, person_id)
                results[i] = [c.code for c in certification.reevaluate(person, as_of=as_of)]
                db.session.commit()
            except Exception as error:  # noqa: BLE001 (reported by the assertion below)
                db.session.rollback()
                results[i] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def issued_rows(person_id: int) -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(select(Certificate.issued, Certificate.renews_id)
                              .where(Certificate.person_id == person_id)
                              .order_by(Certificate.issued)).all()


def test_two_simultaneous_evaluations_issue_one_certificate(app, ready, monkeypatch):
    results = evaluate_at_once(app, ready.id, D(2026, 3, 5), monkeypatch)
    assert all(isinstance(r, list) for r in results), results
    assert sorted(len(r) for r in results) == [0, 1]
    assert issued_rows(ready.id) == [(D(2026, 3, 5), None)]


def test_two_simultaneous_renewals_issue_one_renewal(app, ready, monkeypatch):
    [first] = certification.reevaluate(ready, as_of=D(2026, 3, 5))
    pass_quiz(ready, db.session.scalars(select(Quiz)).one(), D(2027, 2, 1))
    db.session.commit()
    results = evaluate_at_once(app, ready.id, D(2027, 2, 1), monkeypatch)
    assert all(isinstance(r, list) for r in results), results
    assert sorted(len(r) for r in results) == [0, 1]
    assert issued_rows(ready.id) == [(D(2026, 3, 5), None), (D(2027, 3, 5), first.id)]
