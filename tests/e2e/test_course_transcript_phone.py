"""On a phone: a class teacher logs a lesson of the mental-health course, the admin's course
report and the transcript pages fit a 375-px screen."""
from datetime import date
from datetime import timedelta

from extensions import db
from models import CourseDelivery
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import path_of
from tests.e2e.browser import sign_in


def test_a_teacher_logs_a_lesson_and_the_admin_sees_it(page, live_server, campus, make_person,
                                                      make_user):
    teacher = make_person("T001", name="张老师", role="class_teacher", unit=campus.klass,
                          start=date(2020, 9, 1))
    make_user("t001@example.edu.cn", person=teacher, name="张老师")
    sign_in(page, live_server, "t001@example.edu.cn")
    with page.expect_navigation():
        page.click("#transcript-links a[href='/course']")
    with page.expect_navigation():
        page.click("#my-classes a[href='/course/K1/log']")
    assert_fits_the_screen(page)
    page.fill("input[name=on]", (date.today() - timedelta(days=1)).isoformat())
    page.fill("input[name=hours]", "2")
    page.fill("input[name=topic]", "情绪与压力")
    with page.expect_navigation():
        page.click("#log button[type=submit]")
    assert path_of(page) == "/course/K1/log"
    assert "情绪与压力" in page.locator("#deliveries").inner_text()
    assert db.session.scalar(db.select(CourseDelivery.hours)) == 2.0
    assert_fits_the_screen(page)

    page.context.clear_cookies()
    sign_in(page, live_server, "admin@example.edu.cn")
    page.goto(live_server + "/units/C1")
    with page.expect_navigation():
        page.click("main a[href='/course/C1']")
    assert page.locator("#course-classes tr[data-status='under']").count() == 1
    assert_fits_the_screen(page)


def test_the_transcript_fits_a_phone(page, live_server, campus):
    sign_in(page, live_server, "s001@example.edu.cn")
    with page.expect_navigation():
        page.click("#transcript-links a[href='/transcript']")
    assert path_of(page) == "/transcript"
    page.locator("[data-print]").wait_for(state="visible")  # shown once the script runs
    assert_fits_the_screen(page)
    page.context.clear_cookies()
    sign_in(page, live_server, "admin@example.edu.cn")
    page.goto(live_server + "/people/S001/transcript")
    assert page.locator("#transcript-hours").count() == 1
    assert_fits_the_screen(page)
