"""On a phone: a learner logs a workshop with a PDF, the college admin approves it in bulk,
and the learner sees it approved, counted against what their role requires."""
from datetime import date
from datetime import timedelta

from sqlalchemy import select

from extensions import db
from models import HourEntry
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import follow_menu
from tests.e2e.browser import path_of
from tests.e2e.browser import sign_in

PDF = b"%PDF-1.4\n" + b"0" * 3000


def test_log_approve_and_see_the_hours_on_a_phone(page, live_server, campus, tmp_path):
    evidence = tmp_path / "签到表.pdf"
    evidence.write_bytes(PDF)

    sign_in(page, live_server, "s001@example.edu.cn")
    follow_menu(page, "/hours")
    assert path_of(page) == "/hours"
    assert_fits_the_screen(page)
    page.fill("input[name=date]", (date.today() - timedelta(days=1)).isoformat())
    page.fill("input[name=hours]", "2.5")
    page.select_option("select[name=activity]", "case_seminar")
    page.fill("textarea[name=description]", "学院组织的寝室危机个案研讨")
    page.set_input_files("input[name=evidence]", str(evidence))
    with page.expect_navigation():
        page.click("#log-hours button[type=submit]")
    assert page.locator("#my-entries [data-status=pending]").count() == 1
    assert_fits_the_screen(page)
    page.context.clear_cookies()  # the next person on the same phone

    sign_in(page, live_server, "admin@example.edu.cn")
    page.goto(live_server + "/hours/review")
    assert page.locator("[data-entry]").count() == 1
    assert page.locator("[data-tick-all-box]").is_visible()  # the script shows "tick all"
    assert_fits_the_screen(page)
    page.check("[data-tick-all]")
    with page.expect_navigation():
        page.click("#review-form button[name=decision][value=approve]:not([formaction])")
    assert page.locator("[data-entry]").count() == 0
    assert db.session.scalar(select(HourEntry.status)) == "approved"
    page.goto(live_server + "/hours/totals?unit=C1")
    assert page.locator("#by-unit [data-unit=K1] [data-hours]").get_attribute("data-hours") == "2.5"
    assert_fits_the_screen(page)
    page.context.clear_cookies()

    sign_in(page, live_server, "s001@example.edu.cn")
    page.goto(live_server + "/hours")
    assert page.locator("#my-entries [data-status=approved]").count() == 1
    assert page.locator("[data-requirement=role] .progress-bar").inner_text() == "62%"  # 2.5 of 4
    assert_fits_the_screen(page)
