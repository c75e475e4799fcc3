"""A learner takes quizzes through the pages, without JavaScript: both layouts, the
review with feedback, the dashboard, and who may do what."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Attempt
from tests.test_attempts import make_quiz
from tests.test_attempts import right_answers


@pytest.fixture
def learner(make_person, make_user, make_unit):
    dorm = make_unit("D1", "university", name="1号寝室")
    person = make_person("S001", name="李同学", role="dorm_informant", unit=dorm)
    make_user("s001@example.edu.cn", person=person, locale="en")  # tests read English
    return person


def the_attempt() -> Attempt:
    db.session.expire_all()
    return db.session.scalars(select(Attempt)).one()


def form_for(attempt: Attempt, answers: dict[int, list[int]], **extra) -> dict:
    """The attempt page's form, filled in with `answers` as a browser would send it."""
    data = {"shown": ",".join(str(qid) for qid in answers), **extra}
    for response in attempt.responses:
        qid = response.question_id
        if qid not in answers:
            continue
        if response.question.type == "ordering":
            for position, index in enumerate(answers[qid], start=1):
                data[f"q{qid}-{index}"] = str(position)
        else:
            data[f"q{qid}"] = [str(i) for i in answers[qid]]
    return data


def test_not_signed_in_goes_to_the_login_page(client, app):
    make_quiz()
    response = client.get("/quizzes/basics")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_an_account_without_a_person_is_told_why_it_cannot_start(client, auth, make_user):
    make_quiz()
    make_user("trainer@example.edu.cn", locale="en")
    auth.login("trainer@example.edu.cn")
    page = client.get("/quizzes/basics").get_data(as_text=True)
    assert 'id="no-person"' in page and "data-start" not in page
    response = auth.post("/quizzes/basics/start")
    assert response.status_code == 400
    assert "not linked to a person" in response.get_data(as_text=True)
    assert db.session.scalars(select(Attempt)).all() == []


def test_an_unknown_quiz_is_404(client, auth, learner):
    auth.login("S001")
    assert client.get("/quizzes/nope").status_code == 404


def test_the_whole_quiz_on_one_page(client, auth, learner):
    make_quiz(max_attempts=3, time_limit_minutes=20)
    auth.login("S001")
    intro = client.get("/quizzes/basics").get_data(as_text=True)
    assert 'data-fact="questions">4<' in intro and 'data-fact="attempts-left">3 of 3<' in intro
    assert 'data-start="start"' in intro

    response = auth.post("/quizzes/basics/start")
    attempt = the_attempt()
    page_url = f"/quizzes/basics/attempts/{attempt.id}"
    assert response.headers["Location"] == page_url
    page = client.get(page_url).get_data(as_text=True)
    assert page.count("data-question=") == 4 and 'id="quiz-timer"' in page
    assert "data-seconds-left=" in page and "js/quiz.js" in page

    answers = right_answers(attempt)
    response = auth.post(page_url, form_for(attempt, answers, go="stay"))
    assert response.headers["Location"] == page_url
    assert all(r.answer is not None for r in the_attempt().responses)
    response = auth.post(page_url, form_for(attempt, answers, go="finish"))
    assert response.headers["Location"] == page_url + "/finish"
    finish = client.get(page_url + "/finish").get_data(as_text=True)
    assert 'data-answered="4" data-total="4"' in finish

    response = auth.post(page_url + "/submit")
    assert response.headers["Location"] == page_url + "/review"
    attempt = the_attempt()
    assert attempt.submitted_at is not None and attempt.score == 1.0 and attempt.passed
    review = client.get(page_url + "/review").get_data(as_text=True)
    assert 'data-passed="yes"' in review and "100%" in review
    assert "及时报告：反馈" in review and "等待观察：反馈" in review, "feedback on every option"
    assert "q-single 的总体反馈" in review and "<strong>q-single</strong>" in review
    assert client.get(page_url).headers["Location"] == page_url + "/review"
    intro = client.get("/quizzes/basics").get_data(as_text=True)
    assert 'data-fact="attempts-left">2 of 3<' in intro and 'id="past-attempts"' in intro


def test_one_question_per_screen(client, auth, learner):
    make_quiz(layout="paged")
    auth.login("S001")
    auth.post("/quizzes/basics/start")
    attempt = the_attempt()
    page_url = f"/quizzes/basics/attempts/{attempt.id}"
    page = client.get(page_url).get_data(as_text=True)
    assert page.count("data-question=") == 1 and 'id="quiz-navigator"' in page
    answers = right_answers(attempt)
    for number, response in enumerate(attempt.responses, start=1):
        page = client.get(f"{page_url}?q={number}").get_data(as_text=True)
        assert f'data-question="{response.question_id}"' in page
        one = {response.question_id: answers[response.question_id]}
        go = str(number + 1) if number < 4 else "finish"
        saved = auth.post(page_url, form_for(attempt, one, go=go, q=str(number)))
        expected = f"{page_url}?q={number + 1}" if number < 4 else f"{page_url}/finish"
        assert saved.headers["Location"] == expected
    navigator = client.get(f"{page_url}?q=2").get_data(as_text=True)
    assert navigator.count("btn-outline-success") == 3, "the other answered questions show as such"
    auth.post(page_url + "/submit")
    assert the_attempt().score == 1.0


def test_ordering_positions_must_each_be_used_once(client, auth, learner):
    make_quiz()
    auth.login("S001")
    auth.post("/quizzes/basics/start")
    attempt = the_attempt()
    order = next(r for r in attempt.responses if r.question.type == "ordering").question_id
    page_url = f"/quizzes/basics/attempts/{attempt.id}"
    data = {"shown": str(order), "go": "stay", **{f"q{order}-{i}": "1" for i in range(4)}}
    response = auth.post(page_url, data, follow_redirects=True)
    assert "give each item a different position" in response.get_data(as_text=True)
    assert all(r.answer is None for r in the_attempt().responses)


def test_autosave_answers_json_and_refuses_after_the_deadline(client, auth, learner):
    make_quiz(time_limit_minutes=10)
    auth.login("S001")
    auth.post("/quizzes/basics/start")
    attempt = the_attempt()
    single = next(r for r in attempt.responses if r.question.type == "single").question_id
    page_url = f"/quizzes/basics/attempts/{attempt.id}"
    fetch = {"X-Requested-With": "fetch"}
    saved = auth.post(page_url, {"shown": str(single), f"q{single}": "0"}, headers=fetch)
    assert saved.get_json()["status"] == "saved"
    assert the_attempt().responses[0].answer == [0]

    attempt = the_attempt()
    attempt.deadline = attempt.started_at - timedelta(minutes=1)
    attempt.responses[0].answered_at = attempt.started_at - timedelta(minutes=2)
    db.session.commit()
    late = auth.post(page_url, {"shown": str(single), f"q{single}": "1"}, headers=fetch)
    assert late.get_json()["status"] == "submitted"
    assert late.get_json()["review"] == page_url + "/review"
    attempt = the_attempt()
    assert attempt.submitted_at == attempt.deadline and attempt.responses[0].answer == [0]
    assert attempt.raw_score == 1.0


def test_a_late_form_is_not_saved_and_goes_to_the_review(client, auth, learner):
    make_quiz(time_limit_minutes=10)
    auth.login("S001")
    auth.post("/quizzes/basics/start")
    attempt = the_attempt()
    attempt.deadline = attempt.started_at - timedelta(seconds=30)
    db.session.commit()
    page_url = f"/quizzes/basics/attempts/{attempt.id}"
    response = auth.post(page_url, form_for(attempt, right_answers(attempt), go="submit"))
    assert response.headers["Location"] == page_url + "/review"
    attempt = the_attempt()
    assert attempt.submitted_at is not None and attempt.raw_score == 0.0
    assert all(r.answer is None for r in attempt.responses)


def test_submitting_twice_keeps_one_graded_attempt(client, auth, learner):
    make_quiz()
    auth.login("S001")
    auth.post("/quizzes/basics/start")
    attempt = the_attempt()
    page_url = f"/quizzes/basics/attempts/{attempt.id}"
    auth.post(page_url, form_for(attempt, right_answers(attempt), go="stay"))
    first = auth.post(page_url + "/submit")
    submitted_at = the_attempt().submitted_at
    second = auth.post(page_url + "/submit")
    assert first.headers["Location"] == second.headers["Location"] == page_url + "/review"
    assert the_attempt().submitted_at == submitted_at
    resave = auth.post(page_url, form_for(attempt, {}, go="stay"))
    assert resave.headers["Location"] == page_url + "/review"
    assert db.session.scalars(select(Attempt)).all() == [the_attempt()]


def test_no_attempts_left(client, auth, learner):
    make_quiz(max_attempts=1)
    auth.login("S001")
    auth.post("/quizzes/basics/start")
    auth.post(f"/quizzes/basics/attempts/{the_attempt().id}/submit")
    intro = client.get("/quizzes/basics").get_data(as_text=True)
    assert 'id="no-attempts-left"' in intro and "data-start" not in intro
    response = auth.post("/quizzes/basics/start")
    assert response.status_code == 400 and "all 1 attempts" in response.get_data(as_text=True)


def test_someone_elses_attempt_is_404(client, auth, learner, make_person, make_user):
    make_quiz()
    auth.login("S001")
    auth.post("/quizzes/basics/start")
    mine = the_attempt()
    auth.logout()
    other = make_person("S002")
    make_user("s002@example.edu.cn", person=other)
    auth.login("S002")
    page_url = f"/quizzes/basics/attempts/{mine.id}"
    assert client.get(page_url).status_code == 404
    assert client.get(page_url + "/review").status_code == 404
    assert auth.post(page_url + "/submit").status_code == 404
    assert the_attempt().submitted_at is None


def test_the_dashboard_lists_the_quizzes_for_my_roles(client, auth, learner):
    make_quiz(max_attempts=2)
    make_quiz("counselors", roles=["counselor"])
    auth.login("S001")
    page = client.get("/").get_data(as_text=True)
    assert 'id="my-quizzes"' in page and 'id="my-modules"' in page
    assert 'data-quiz="basics" data-status="not_started"' in page
    assert 'data-quiz="counselors"' not in page
    auth.post("/quizzes/basics/start")
    assert 'data-quiz="basics" data-status="open"' in client.get("/").get_data(as_text=True)
    attempt = the_attempt()
    page_url = f"/quizzes/basics/attempts/{attempt.id}"
    auth.post(page_url, form_for(attempt, right_answers(attempt), go="stay"))
    auth.post(page_url + "/submit")
    page = client.get("/").get_data(as_text=True)
    assert 'data-quiz="basics" data-status="passed"' in page
    assert "100%" in page and "1 of 2" in page
