"""The issue's journey, on a phone and on a laptop: a college admin walks the unit tree to a
class, uploads a people file with a bad row, sees that row's problem and that nothing was
written, uploads the corrected file (with the keyboard alone) and sees the counts, then drills
into the coverage down to the people just imported. Every page passes the basic
accessibility checks.
"""
import re

from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import Person
from tests.e2e.a11y import assert_accessible
from tests.e2e.a11y import tab_to
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import follow_menu
from tests.e2e.browser import hold_posts
from tests.e2e.browser import on_every_screen
from tests.e2e.browser import path_of
from tests.e2e.browser import release
from tests.e2e.browser import sign_in
from tests.import_files import PEOPLE_HEADERS
from tests.import_files import write_file

GOOD_ROWS = [
    ["T100", "张老师", "class_teacher", "K1", "zhang@example.edu.cn", "", "2026-09-01", ""],
    ["S200", "赵同学", "class_psych_member", "K1", "", "", "2026-09-01", ""],
    ["S201", "钱同学", "dorm_informant", "D1", "", "", "2026-09-01", ""],
]


def count(model) -> int:
    """How many rows the database holds, fresh from the database."""
    return db.session.scalar(select(func.count(model.id)))


def record_xhr(page) -> list[str]:
    """The method and path of every XMLHttpRequest the page sends from now on."""
    sent: list[str] = []
    page.on("request", lambda r: sent.append(f"{r.method} {r.url.split('/', 3)[3]}")
            if r.resource_type == "xhr" else None)
    return sent


def upload(page, path) -> None:
    """Choose the people file and press Import."""
    page.check("input[name=kind][value=people]")
    page.set_input_files("input[name=file]", str(path))
    page.click("form[data-upload-progress] button[type=submit]")


def upload_by_keyboard(page, path) -> None:
    """The same with Space and Enter (the file itself comes from the system's file dialog)."""
    tab_to(page, "input[name=kind][value=people]")
    page.keyboard.press("Space")
    assert page.is_checked("input[name=kind][value=people]")
    page.set_input_files("input[name=file]", str(path))
    tab_to(page, "form[data-upload-progress] button[type=submit]")
    page.keyboard.press("Enter")


def drill_into_coverage(page) -> None:
    """From the college's coverage to the class, and to the class teacher just imported."""
    follow_menu(page, "/coverage")
    assert path_of(page) == "/coverage/C1"
    assert_accessible(page)
    assert_fits_the_screen(page)
    tab_to(page, "#children tr[data-unit='K1'] a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/coverage/K1"
    assert_accessible(page)
    assert_fits_the_screen(page)
    row = page.locator("[data-role='class_teacher']:visible")  # a card on the phone
    with page.expect_navigation():
        row.locator("a[href*='view=assigned']").click()
    holders = page.locator("#holders tr[data-person]")
    assert holders.count() == 1 and holders.get_attribute("data-person") == "T100"
    assert "张老师" in holders.inner_text()
    assert_accessible(page)
    assert_fits_the_screen(page)


@on_every_screen
def test_college_admin_fixes_a_bad_row_and_imports_the_people(page, live_server, campus, tmp_path):
    sign_in(page, live_server, "admin@example.edu.cn")
    assert path_of(page) == "/"

    follow_menu(page, "/units")
    assert_accessible(page)
    page.click("main a[href='/units/C1']")
    page.wait_for_url(f"{live_server}/units/C1")
    assert_accessible(page)
    page.click("#children a[href='/units/K1']")
    page.wait_for_url(f"{live_server}/units/K1")
    assert page.locator("h1").inner_text() == "心理1班"
    assert_accessible(page)

    follow_menu(page, "/import")
    assert path_of(page) == "/import"
    assert_accessible(page)
    people_before, assignments_before = count(Person), count(Assignment)

    bad = [list(row) for row in GOOD_ROWS]
    bad[1][2] = "astronaut"  # row 3 of the file: the header is row 1
    sent = record_xhr(page)
    held = hold_posts(page, "**/import")
    upload(page, write_file(tmp_path, "people.xlsx", [PEOPLE_HEADERS, *bad]))
    page.locator(".upload-progress.active").wait_for()
    assert page.is_disabled("form[data-upload-progress] button[type=submit]"), "no second upload"
    release(page, "**/import", held)
    problems = page.locator(".error-list li")
    problems.first.wait_for()
    assert sent == ["POST import"], "the upload went through XHR, with the progress bar"
    assert problems.count() == 1
    assert re.match(r"^row 3, column role: \S", problems.first.inner_text())
    assert "astronaut" in problems.first.inner_text()
    assert page.locator("input[name=file]").is_visible(), "the form is there to try again"
    assert_accessible(page)
    assert_fits_the_screen(page)
    db.session.expire_all()
    assert (count(Person), count(Assignment)) == (people_before, assignments_before)

    upload_by_keyboard(page, write_file(tmp_path, "people-fixed.csv", [PEOPLE_HEADERS, *GOOD_ROWS]))
    success = page.locator("main .alert-success")
    success.wait_for()
    assert sent == ["POST import"] * 2 + ["GET import"], "XHR sent it and followed the redirect"
    assert re.search(r"3\D+0\D+0", success.inner_text()), "created 3, updated 0, unchanged 0"
    assert page.locator(".error-list").count() == 0
    assert count(Person) == people_before + 3
    assert count(Assignment) == assignments_before + 3
    holders = db.session.scalars(select(Person.number).join(Assignment)
                                 .where(Assignment.unit_id == campus.klass.id)).all()
    assert sorted(holders) == ["S200", "T100"]
    assert_accessible(page)

    drill_into_coverage(page)


def test_a_file_over_the_size_limit_is_refused_on_the_page(page, live_server, campus, app,
                                                           monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100 * 1024)
    sign_in(page, live_server, "admin@example.edu.cn")
    page.goto(live_server + "/import")
    rows = [PEOPLE_HEADERS] + [[f"S{n:06d}", "同学" * 20, "dorm_informant", "D1"] for n in range(4000)]
    upload(page, write_file(tmp_path, "big.csv", rows))
    refusal = page.locator("main .invalid-feedback")
    refusal.wait_for()
    assert "100 KB" in refusal.inner_text()
    assert_accessible(page)  # the refusal is read out with the file field
    assert path_of(page) == "/import"
    assert page.locator("input[name=file]").is_visible()
    assert count(Person) == 1
