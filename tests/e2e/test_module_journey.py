"""A dorm informant completes a case study on a phone and on a laptop, with JavaScript, and
sees the hours; the last answer is given with the keyboard alone, and every page passes the
basic accessibility checks."""
from tests.e2e.a11y import assert_accessible
from tests.e2e.a11y import tab_to
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import on_every_screen
from tests.e2e.browser import path_of
from tests.e2e.browser import sign_in
from tests.test_training_service import add_module


def answer(page, decision_id: str, option: int) -> None:
    """Choose an option and wait for its feedback, swapped in without a reload."""
    page.check(f"#choice-{decision_id}-{option}")
    page.click(f"#decision-{decision_id} form[data-decision-form] button[type=submit]")
    page.locator(f"#decision-{decision_id} [data-feedback]").wait_for()


def answer_by_keyboard(page, decision_id: str, option: int) -> None:
    """The same with Tab, Space and Enter only."""
    tab_to(page, f"#choice-{decision_id}-{option}")
    page.keyboard.press("Space")
    assert page.is_checked(f"#choice-{decision_id}-{option}")
    tab_to(page, f"#decision-{decision_id} form[data-decision-form] button[type=submit]")
    page.keyboard.press("Enter")
    page.locator(f"#decision-{decision_id} [data-feedback]").wait_for()


def next_section(page) -> None:
    with page.expect_navigation():
        page.click("#section-nav [data-nav=next]")
    assert_accessible(page)


@on_every_screen
def test_an_informant_completes_a_module_and_sees_the_hours(page, live_server, campus):
    add_module()
    sign_in(page, live_server, "S001")
    row = page.locator("#my-modules [data-module=silent-dorm]")
    assert row.get_attribute("data-status") == "not_started"
    assert_accessible(page)
    with page.expect_navigation():
        row.locator("[data-next-step]").click()
    assert path_of(page) == "/modules/silent-dorm"
    assert "12356" in page.locator("#module-help").inner_text()
    assert_accessible(page)
    assert_fits_the_screen(page)

    next_section(page)
    page.evaluate("window.stayedOnThePage = true")
    answer(page, "first-step", 0)
    assert page.locator("#decision-first-step [data-feedback]").get_attribute("data-feedback") == "wrong"
    assert page.locator("#decision-first-step [data-right]").count() == 1
    assert page.evaluate("window.stayedOnThePage === true"), "the answer reloaded the page"
    assert_accessible(page)
    assert_fits_the_screen(page)

    next_section(page)
    page.evaluate("window.stayedOnThePage = true")
    answer_by_keyboard(page, "report", 0)
    completed = page.locator("#module-completed")
    assert "50%" in completed.inner_text() and "1.5" in completed.inner_text()
    assert page.evaluate("window.stayedOnThePage === true"), "the answer reloaded the page"
    assert_accessible(page)
    assert_fits_the_screen(page)

    with page.expect_navigation():
        completed.locator("a[href='/']").click()
    row = page.locator("#my-modules [data-module=silent-dorm]")
    assert row.get_attribute("data-status") == "completed"
    assert page.locator("#hours-earned [data-hours]").get_attribute("data-hours") == "1.5"
    assert_accessible(page)
    assert_fits_the_screen(page)
