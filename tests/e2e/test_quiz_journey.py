"""A dorm informant takes a timed quiz on a phone (and on a laptop): answers save as they
change, a quick double submit (and a second tab's) records one graded attempt, and the timer
submits at zero. Every page passes the basic accessibility checks."""
import re
from datetime import timedelta

from sqlalchemy import select

from extensions import db
from models import Attempt
from models.base import utcnow
from tests.e2e.a11y import assert_accessible
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import on_every_screen
from tests.e2e.browser import path_of
from tests.e2e.browser import sign_in
from tests.test_attempts import make_quiz
from tests.test_attempts import right_answers


def the_attempt() -> Attempt:
    db.session.expire_all()
    return db.session.scalars(select(Attempt)).one()


def wait_until(page, check, what: str, seconds: float = 10) -> None:
    """Poll the database until `check()` holds, as the page saves in the background."""
    for _ in range(int(seconds * 20)):
        if check():
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never happened: {what}")


def answer(page, attempt: Attempt, answers: dict[int, list[int]]) -> None:
    """Answer on screen: tap radios and boxes, pick each ordering item's position."""
    for response in attempt.responses:
        qid = response.question_id
        if qid not in answers:
            continue
        if response.question.type == "ordering":
            for position, index in enumerate(answers[qid], start=1):
                page.select_option(f"#q{qid}-{index}", str(position))
        else:
            for index in answers[qid]:
                page.check(f"#q{qid}-{index}")


def start(page, live_server) -> Attempt:
    sign_in(page, live_server, "S001")
    row = page.locator("#my-quizzes [data-quiz=basics]")
    assert row.get_attribute("data-status") == "not_started"
    with page.expect_navigation():
        row.locator("[data-next-step]").click()
    assert path_of(page) == "/quizzes/basics"
    assert page.locator("[data-fact=questions]").inner_text() == "4"
    assert_accessible(page)
    assert_fits_the_screen(page)
    with page.expect_navigation():
        page.click("[data-start=start]")
    attempt = the_attempt()
    assert path_of(page) == f"/quizzes/basics/attempts/{attempt.id}"
    assert_accessible(page)
    return attempt


@on_every_screen
def test_a_timed_quiz_submitted_twice_quickly_is_graded_once(page, live_server, campus):
    make_quiz(time_limit_minutes=5)
    attempt = start(page, live_server)
    clock = page.locator("#quiz-timer [data-clock]")
    assert re.fullmatch(r"[45]:\d\d", clock.inner_text())
    assert_fits_the_screen(page)

    answer(page, attempt, right_answers(attempt))
    wait_until(page, lambda: all(r.answer for r in the_attempt().responses),
               "every answer saved without leaving the page")
    with page.expect_navigation():
        page.click("#quiz-form button[data-nav=finish]")
    assert page.locator("#quiz-answered").get_attribute("data-answered") == "4"
    assert_accessible(page)
    assert_fits_the_screen(page)

    # a second tab submits at the same moment as a double tap on the button
    page.evaluate("""() => {
        const form = document.getElementById("quiz-submit-form");
        for (let i = 0; i < 2; i++) {
            fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin"});
        }
    }""")
    with page.expect_navigation(url=re.compile(r"/review$")):
        page.dblclick("#quiz-submit")
    result = page.locator("#quiz-result")
    assert result.get_attribute("data-passed") == "yes"
    assert page.locator("[data-general-feedback]").count() == 4
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.wait_for_load_state("networkidle")

    db.session.expire_all()
    attempts = db.session.scalars(select(Attempt)).all()
    assert len(attempts) == 1
    assert attempts[0].submitted_at is not None and attempts[0].score == 1.0
    assert all(r.score == 1.0 for r in attempts[0].responses)


def test_the_timer_submits_when_it_reaches_zero(page, live_server, campus):
    make_quiz(time_limit_minutes=5, layout="paged")
    attempt = start(page, live_server)
    first = attempt.responses[0]
    answer(page, attempt, {first.question_id: right_answers(attempt)[first.question_id]})
    wait_until(page, lambda: the_attempt().responses[0].answer is not None, "the answer saved")

    attempt = the_attempt()
    attempt.deadline = utcnow() + timedelta(seconds=3)
    db.session.commit()
    with page.expect_navigation(url=re.compile(r"/review$"), timeout=15000):
        page.reload()
    attempt = the_attempt()
    assert attempt.submitted_at is not None and attempt.raw_score == 1.0
    assert page.locator("#quiz-result").get_attribute("data-passed") == "no"
