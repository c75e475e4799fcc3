"""The issue's journey: a college admin signs in on a phone, walks the unit tree to a class,
uploads a people file with a bad row, sees that row's problem and that nothing was written,
then uploads the corrected file and sees the counts.
"""
import re

from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import Person
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import follow_menu
from tests.e2e.browser import path_of
from tests.e2e.browser import sign_in
from tests.import_files import PEOPLE_HEADERS
from tests.import_files import write_file

GOOD_ROWS = [
    ["T100", "张老师", "class_teacher", "K1", "zhang@example.edu.cn", "", "2026-09-01", ""],
    ["S200", "赵同学", "class_psych_member", "K1", "", "", "2026-09-01", ""],
    ["S201", "钱同学", "dorm_informant", "D1", "", "", "2026-09-01", ""],
]


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def upload(page, path) -> list:
    """Choose the people file and press Import; return the XHR requests the page sent."""
    sent = []
    page.on("request", lambda r: sent.append(r) if r.resource_type == "xhr" else None)
    page.check("input[name=kind][value=people]")
    page.set_input_files("input[name=file]", str(path))
    page.click("form[data-upload-progress] button[type=submit]")
    return sent


def test_college_admin_fixes_a_bad_row_and_imports_the_people(page, live_server, campus, tmp_path):
    sign_in(page, live_server, "admin@example.edu.cn")
    assert path_of(page) == "/"

    follow_menu(page, "/units")
    page.click("main a[href='/units/C1']")
    page.wait_for_url(f"{live_server}/units/C1")
    page.click("#children a[href='/units/K1']")
    page.wait_for_url(f"{live_server}/units/K1")
    assert page.locator("h1").inner_text() == "心理1班"

    follow_menu(page, "/import")
    assert path_of(page) == "/import"
    people_before, assignments_before = count(Person), count(Assignment)

    bad = [list(row) for row in GOOD_ROWS]
    bad[1][2] = "astronaut"  # row 3 of the file: the header is row 1
    sent = upload(page, write_file(tmp_path, "people.xlsx", [PEOPLE_HEADERS, *bad]))
    problems = page.locator(".error-list li")
    problems.first.wait_for()
    assert [r.method for r in sent] == ["POST"], "the upload went through XHR with the progress bar"
    assert problems.count() == 1
    assert re.match(r"^row 3, column role: \S", problems.first.inner_text())
    assert "astronaut" in problems.first.inner_text()
    assert page.locator("input[name=file]").is_visible(), "the form is there to try again"
    assert_fits_the_screen(page)
    db.session.expire_all()
    assert (count(Person), count(Assignment)) == (people_before, assignments_before)

    sent = upload(page, write_file(tmp_path, "people-fixed.csv", [PEOPLE_HEADERS, *GOOD_ROWS]))
    success = page.locator("main .alert-success")
    success.wait_for()
    assert [r.method for r in sent] == ["POST"]
    assert re.search(r"3\D+0\D+0", success.inner_text()), "created 3, updated 0, unchanged 0"
    assert page.locator(".error-list").count() == 0
    assert count(Person) == people_before + 3
    assert count(Assignment) == assignments_before + 3
    holders = db.session.scalars(select(Person.number).join(Assignment)
                                 .where(Assignment.unit_id == campus.klass.id)).all()
    assert sorted(holders) == ["S200", "T100"]
