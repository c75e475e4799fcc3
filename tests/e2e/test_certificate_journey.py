"""The issue's informant journey (#6, #8), on a phone and on a laptop: a dorm informant
finishes a case study and a quiz, the last requirements of a certification, downloads the
certificate as a PDF, and the verification link printed on it proves the certificate to
anyone, with the holder's name masked. Every page passes the basic accessibility checks;
the answer, the quiz and the download are done with the keyboard alone."""
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from extensions import db
from services.content import sync_directory
from services.pdf import find_font
from tests.certification_helpers import add_hours
from tests.conftest import PASSWORD
from tests.e2e.a11y import assert_accessible
from tests.e2e.a11y import tab_to
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import follow_menu
from tests.e2e.browser import on_every_screen
from tests.e2e.browser import path_of
from tests.e2e.browser import watch_console
from tests.e2e.test_quiz_journey import answer as answer_quiz
from tests.e2e.test_quiz_journey import the_attempt
from tests.e2e.test_quiz_journey import wait_until
from tests.test_attempts import make_quiz
from tests.test_attempts import right_answers

PROGRAM = "night-watch"

CERTIFICATIONS = f"""programs:
  - code: {PROGRAM}
    title: 寝室守夜人认证
    title_en: Dorm night-watch certification
    roles: [dorm_informant]
    requires:
      modules: [late-message]
      quizzes: [basics]
      hours: 1
    valid_months: 12
"""

#: two sections: an opening, then one decision that ends the case
MODULE = """---
title: 深夜的消息
summary: 室友深夜发来一条让人不安的消息。
roles: [dorm_informant]
competencies: [recognition]
hours: 0.5
version: 1
---
凌晨一点，室友小周在寝室群里发了一句“以后不用等我了”。

## 报告

```decision
id: late-message
prompt: 你会怎么做？
options:
  - text: 等到明天再说
    correct: false
    feedback: 这样的话可能是危机信号，不能等。
  - text: 去看看小周，并立即告诉辅导员
    correct: true
    feedback: 关心他，并按报告链立即报告。
```

辅导员当晚赶到，陪小周去了医院。
"""


@pytest.fixture
def program(campus, tmp_path):
    """The program, synced from content files, with the hour it asks for already approved,
    so the module and the quiz are what the learner still has to do."""
    make_quiz()
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "late-message.md").write_text(MODULE, encoding="utf-8")
    (tmp_path / "certifications.yaml").write_text(CERTIFICATIONS, encoding="utf-8")
    sync_directory(tmp_path)
    db.session.commit()
    add_hours(campus.student, 1, date.today())
    return PROGRAM


def requirement(page, kind: str, ref: str | None = None):
    """One line of the program's list of requirements, as the learner sees it."""
    where = f"[data-ref='{ref}']" if ref else ""
    return page.locator(f"#program-{PROGRAM} li[data-kind={kind}]{where}")


def sign_in_by_keyboard(page, base: str, username: str) -> None:
    """The sign-in form, filled and sent with the keyboard alone."""
    page.goto(f"{base}/login")
    assert_accessible(page)
    tab_to(page, "main input[name=username]")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/"


def complete_the_module(page) -> None:
    """Open the module from the program and answer its decision: arrows choose, Enter sends."""
    with page.expect_navigation():
        requirement(page, "module", "late-message").locator("a").click()
    assert path_of(page) == "/modules/late-message"
    assert_accessible(page)
    with page.expect_navigation():
        page.click("#section-nav [data-nav=next]")
    assert_accessible(page)
    tab_to(page, "#choice-late-message-0")
    page.keyboard.press("ArrowDown")  # the second option, the right one
    assert page.is_checked("#choice-late-message-1")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    feedback = page.locator("#decision-late-message [data-feedback]")
    feedback.wait_for()
    assert feedback.get_attribute("data-feedback") == "right"
    page.locator("#module-completed").wait_for()
    assert_accessible(page)
    assert_fits_the_screen(page)


def pass_the_quiz(page) -> None:
    """Open the quiz from the program, answer it right, and submit it with the keyboard."""
    with page.expect_navigation():
        requirement(page, "quiz", "basics").locator("a").click()
    assert path_of(page) == "/quizzes/basics"
    assert_accessible(page)
    with page.expect_navigation():
        page.click("[data-start=start]")
    attempt = the_attempt()
    assert_accessible(page)
    answer_quiz(page, attempt, right_answers(attempt))
    wait_until(page, lambda: all(r.answer for r in the_attempt().responses), "every answer saved")
    with page.expect_navigation():
        page.click("#quiz-form button[data-nav=finish]")
    assert_accessible(page)
    tab_to(page, "#quiz-submit")
    with page.expect_navigation(url=re.compile(r"/review$")):
        page.keyboard.press("Enter")
    assert page.locator("#quiz-result").get_attribute("data-passed") == "yes"
    assert_accessible(page)
    assert_fits_the_screen(page)


@on_every_screen
def test_a_learner_finishes_the_last_requirements_and_the_certificate_verifies(
        page, browser, live_server, campus, program):
    sign_in_by_keyboard(page, live_server, "s001@example.edu.cn")
    follow_menu(page, "/certification")
    card = page.locator(f"#program-{PROGRAM}")
    assert card.locator("[data-state]").get_attribute("data-state") == "in_progress"
    assert "寝室守夜人认证" in card.inner_text()
    assert requirement(page, "hours").get_attribute("data-done") == "yes"
    assert requirement(page, "module", "late-message").get_attribute("data-done") == "no"
    assert requirement(page, "quiz", "basics").get_attribute("data-done") == "no"
    assert card.locator("a[href^='/certificates/']").count() == 0
    assert_accessible(page)
    assert_fits_the_screen(page)

    complete_the_module(page)
    follow_menu(page, "/certification")
    assert requirement(page, "module", "late-message").get_attribute("data-done") == "yes"
    pass_the_quiz(page)

    follow_menu(page, "/certification")
    card = page.locator(f"#program-{PROGRAM}")
    assert card.locator("[data-state]").get_attribute("data-state") == "certified"
    assert card.locator("li[data-done=no]").count() == 0
    assert card.locator("[data-dates]").is_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
    with page.expect_navigation():
        card.locator("a[href^='/certificates/']").click()
    code = path_of(page).removeprefix("/certificates/")
    assert re.fullmatch(r"[A-Z0-9-]+", code), code
    assert "李同学" in page.locator("main").inner_text()
    verify_url = f"{live_server}/verify/{code}"
    assert page.locator(f"main a[href='{verify_url}']").is_visible()
    assert page.locator("main figure svg[role=img][aria-label]").is_visible()  # the QR code
    assert_accessible(page)
    assert_fits_the_screen(page)

    if find_font() is None:
        pytest.skip("no CJK font on this machine (install fonts-noto-cjk or set PDF_FONT)")
    tab_to(page, f"main a[href='/certificates/{code}.pdf']")
    with page.expect_download() as downloading:
        page.keyboard.press("Enter")
    download = downloading.value
    assert download.suggested_filename == f"证书-{code}.pdf"
    data = download.path().read_bytes()
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    text = text.replace("\x00", "")  # pypdf reads fpdf2's CID text with NUL padding
    for expected in ("李同学", "寝室守夜人认证", code, verify_url):
        assert expected in text, f"{expected!r} is not on the PDF:\n{text}"

    stranger = browser.new_context(viewport=page.viewport_size, locale="zh-CN")
    try:
        verifier = stranger.new_page()
        verifier.set_default_timeout(15000)
        problems = watch_console(verifier)
        verifier.goto(verify_url)  # what scanning the QR code opens: nobody signed in
        assert path_of(verifier) == f"/verify/{code}"
        assert verifier.locator("[role=status][data-status]").get_attribute("data-status") == "valid"
        assert "✓" in verifier.locator("[role=status][data-status]").inner_text()
        shown = verifier.locator("main").inner_text()
        assert "李*学" in shown and "李同学" not in shown
        assert "李同学" not in verifier.content()
        assert code in shown and "寝室守夜人认证" in shown
        assert verifier.locator("form[action='/logout']").count() == 0  # nobody is signed in
        assert_accessible(verifier)
        assert_fits_the_screen(verifier)
        assert not problems, "the verifier's browser reported problems:\n" + "\n".join(problems)
    finally:
        stranger.close()
