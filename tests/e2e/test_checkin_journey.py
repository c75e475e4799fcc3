"""A trainer puts a session's QR code on the screen; a learner scans it on a phone, signs in,
is checked in, and finds the session's hours approved on their hours page."""
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from extensions import db
from models import Attendance
from models import HourEntry
from models.base import utcnow
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import path_of
from tests.e2e.browser import sign_in
from tests.e2e.browser import watch_console
from tests.session_setup import schedule


def test_a_learner_checks_in_by_qr_and_sees_the_hours(page, browser, live_server, campus,
                                                      make_user):
    make_user("trainer@example.edu.cn", grant=("trainer", "C1"), name="陈老师")
    session = schedule(campus.college, None, starts_at=utcnow() - timedelta(minutes=5),
                       title="危机识别工作坊", hours=2.0)

    sign_in(page, live_server, "trainer@example.edu.cn")
    page.goto(f"{live_server}/sessions")
    assert page.locator(f"#managed a[href='/sessions/{session.id}']").is_visible()
    assert_fits_the_screen(page)
    page.goto(f"{live_server}/sessions/{session.id}")
    assert_fits_the_screen(page)
    with page.expect_navigation():
        page.click("#qr-link")
    assert path_of(page) == f"/sessions/{session.id}/qr"
    assert page.locator("#checkin-qr svg").is_visible()
    assert page.locator("meta[http-equiv=refresh]").get_attribute("content") == "30"
    url = page.locator("#checkin-qr").get_attribute("data-url")
    assert page.locator("#checkin-url").get_attribute("href") == url
    assert urlsplit(url).path.startswith(f"/checkin/{session.id}/")
    assert page.locator("#present-count").inner_text().strip() == "0"
    assert_fits_the_screen(page)

    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    try:
        learner = phone.new_page()
        learner.set_default_timeout(15000)
        problems = watch_console(learner)
        learner.goto(url)  # the camera opens the link; signing in comes first
        assert path_of(learner) == "/login"
        learner.fill("main input[name=username]", "s001@example.edu.cn")
        learner.fill("main input[name=password]", "correct-horse-42")
        learner.click("main button[type=submit]")
        # back on the check-in page, static/js/checkin.js presses the button itself
        learner.wait_for_url(f"**/sessions/{session.id}/checked-in")
        assert learner.locator("#hours-credited").is_visible()
        assert_fits_the_screen(learner)

        learner.goto(f"{live_server}/hours")
        db.session.expire_all()
        [entry] = db.session.scalars(select(HourEntry).where(
            HourEntry.person_id == campus.student.id, HourEntry.source == "session")).all()
        assert (entry.status, entry.hours, entry.source_ref) == (
            "approved", 2.0, f"session:{session.id}")
        card = learner.locator(f"#my-entries [data-entry='{entry.id}']")
        assert card.locator("[data-status=approved]").is_visible()
        assert "危机识别工作坊" in card.inner_text()
        assert_fits_the_screen(learner)

        learner.goto(url)  # scanning again changes nothing
        assert path_of(learner) == f"/sessions/{session.id}/checked-in"
        assert not problems, "the phone reported problems:\n" + "\n".join(problems)
    finally:
        phone.close()

    db.session.expire_all()
    assert len(db.session.scalars(select(Attendance)).all()) == 1
    assert len(db.session.scalars(select(HourEntry)).all()) == 1
    page.reload()
    assert page.locator("#present-count").inner_text().strip() == "1"
