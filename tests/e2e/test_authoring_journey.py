"""The issue's trainer journey, on a phone and on a laptop: a trainer writes a case study (the
live preview follows the text, shows problems with line numbers, and Save — pressed with
the keyboard — makes version 1), then reads a quiz's item statistics and counts every
attempt with the keyboard alone. Every page passes the basic accessibility checks."""
from datetime import date

import pytest
from sqlalchemy import select

from extensions import db
from models import ModuleVersion
from models import Question
from models import QuestionBank
from models import Quiz
from tests.e2e.a11y import assert_accessible
from tests.e2e.a11y import tab_to
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import follow_menu
from tests.e2e.browser import on_every_screen
from tests.e2e.browser import path_of
from tests.e2e.browser import sign_in
from tests.test_authoring import BAD_SOURCE
from tests.test_authoring import SOURCE
from tests.test_item_stats import MULTIPLE
from tests.test_item_stats import RETAKE
from tests.test_item_stats import SHEET
from tests.test_item_stats import SINGLE
from tests.test_item_stats import TRUEFALSE
from tests.test_item_stats import sit


@pytest.fixture
def sat_quiz(campus, make_person):
    """The item-statistics example worked out by hand (tests/test_item_stats.py), sat by four
    informants of the trainer's college, and a fifth attempt (a retake) by the last."""
    bank = QuestionBank(slug="check-bank", title="题库")
    questions = [Question(qid=qid, bank=bank, type=kind, competency="recognition", stem=qid,
                          options=options)
                 for qid, kind, options in (("q1", "single", SINGLE), ("q2", "multiple", MULTIPLE),
                                            ("q3", "truefalse", TRUEFALSE))]
    quiz = Quiz(slug="check", title="识别测验", questions=["q1", "q2", "q3"])
    db.session.add_all([bank, *questions, quiz])
    db.session.commit()
    people = {number: make_person(number, role="dorm_informant", unit=campus.dorm)
              for number in SHEET}
    for number, (answers, day) in SHEET.items():
        sit(people[number], quiz, questions, answers, day)
    sit(people["P4"], quiz, questions, RETAKE, date(2026, 10, 10))
    return quiz


def write_a_module(page) -> None:
    """From the module list to version 1 of a new case study, saved with Tab and Enter."""
    follow_menu(page, "/author/modules")
    assert_accessible(page)
    with page.expect_navigation():
        page.click("a[href='/author/modules/new']")
    page.locator("#module-preview .module-section").first.wait_for()  # the starter, previewed
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.fill("input[name=slug]", "night-call")
    page.fill("textarea[name=source]", BAD_SOURCE)
    page.locator("#problems:not(.d-none) li").first.wait_for()
    assert page.locator("#problems li").first.inner_text().startswith("line ")
    assert_accessible(page)
    page.fill("textarea[name=source]", SOURCE)
    page.locator("#problems.d-none").wait_for(state="attached")
    page.get_by_text("凌晨一点，室友说他很难受。").wait_for()
    tab_to(page, "input[name=save]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert path_of(page) == "/author/modules/night-call/edit"
    assert_accessible(page)
    db.session.expire_all()
    assert db.session.scalar(select(ModuleVersion.version)) == 1


def figure(page, key: str) -> str:
    return page.locator(f"#summary [data-figure={key}]").inner_text()


@on_every_screen
def test_a_trainer_writes_a_module_and_reads_item_statistics(page, live_server, campus, make_user,
                                                              sat_quiz):
    make_user("trainer@example.edu.cn", grant=("trainer", "C1"), name="赵老师")
    sign_in(page, live_server, "trainer@example.edu.cn")
    write_a_module(page)

    with page.expect_navigation():
        page.click("main a[href='/author/modules']")
    with page.expect_navigation():
        page.click("main .nav-tabs a[href='/author/quizzes']")
    assert_accessible(page)
    with page.expect_navigation():
        page.click("main a[href='/author/quizzes/check/statistics']")
    assert_accessible(page)
    assert_fits_the_screen(page)
    assert (figure(page, "attempts"), figure(page, "mean"), figure(page, "alpha")) == (
        "4", "50.0%", "66.7%")
    sections = page.locator("section[data-question]")
    assert [sections.nth(i).get_attribute("data-question") for i in range(3)] == ["q1", "q2", "q3"]
    assert "31.6%" in sections.nth(0).inner_text()  # q1's discrimination index
    assert "100.0%" in sections.nth(1).inner_text()  # q2's
    assert page.locator("section .weak").count() == 0  # none under 20%

    tab_to(page, "#filters input[name=attempts]")
    page.keyboard.press("Space")
    tab_to(page, "#filters button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "attempts=all" in page.url
    assert (figure(page, "attempts"), figure(page, "mean")) == ("5", "60.0%")
    assert_accessible(page)
    assert_fits_the_screen(page)
