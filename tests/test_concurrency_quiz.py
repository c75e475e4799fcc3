"""Fifty tabs of one learner pressing "start" or "submit" at the same moment, through the
real pages: one open attempt, one submitted attempt graded once — on SQLite and PostgreSQL."""
import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Attempt
from models import Response
from services import attempts
from tests.parallel import CROWD
from tests.parallel import at_once
from tests.parallel import clones
from tests.parallel import statuses
from tests.test_attempts import make_quiz
from tests.test_attempts import right_answers
from tests.test_quiz_views import form_for


@pytest.fixture
def learner(make_person, make_user, make_unit):
    dorm = make_unit("D1", "university", name="1号寝室")
    person = make_person("S001", name="李同学", role="dorm_informant", unit=dorm)
    make_user("s001@example.edu.cn", person=person, locale="en")
    return person


@pytest.fixture
def tabs(client, auth, learner):
    """The learner, signed in once, in CROWD tabs; and a CSRF token those tabs share."""
    make_quiz()
    auth.login("S001")
    token = auth.csrf_token("/quizzes/basics")
    return clones(client, CROWD), token


def all_attempts() -> list[Attempt]:
    db.session.expire_all()
    return db.session.scalars(select(Attempt)).all()


def test_fifty_starts_open_one_attempt(tabs):
    browsers, token = tabs
    responses = at_once(lambda i: browsers[i].post("/quizzes/basics/start",
                                                   data={"csrf_token": token}))
    assert statuses(responses) == {302: CROWD}, statuses(responses)
    [attempt] = all_attempts()
    assert attempt.submitted_at is None
    assert {r.headers["Location"] for r in responses} == {f"/quizzes/basics/attempts/{attempt.id}"}
    assert db.session.scalar(select(func.count(Response.id))) == len(attempt.layout)


@pytest.mark.parametrize("how", ["submit-button", "finish-page"])
def test_fifty_submits_grade_one_attempt_once(tabs, auth, monkeypatch, how):
    browsers, token = tabs
    auth.post("/quizzes/basics/start")
    [attempt] = all_attempts()
    base = f"/quizzes/basics/attempts/{attempt.id}"
    if how == "submit-button":  # the attempt page's form: save the answers, then submit
        path, data = base, form_for(attempt, right_answers(attempt), go="submit")
    else:  # the last check's button
        auth.post(base, data=form_for(attempt, right_answers(attempt), go="finish"))
        path, data = f"{base}/submit", {}
    graded = []
    real_grade = attempts.grade
    monkeypatch.setattr(attempts, "grade", lambda a: graded.append(a.id) or real_grade(a))

    responses = at_once(lambda i: browsers[i].post(path, data=dict(data, csrf_token=token)))

    assert statuses(responses) == {302: CROWD}, statuses(responses)
    assert {r.headers["Location"] for r in responses} == {f"{base}/review"}
    assert graded == [attempt.id]
    [done] = all_attempts()
    assert done.submitted_at is not None and done.passed is True and done.score == 1.0
    assert db.session.scalar(select(func.count(Response.id))) == len(done.layout)
