"""An admin gives someone a role on a unit page and ends it; an impatient double click
creates one assignment, not two, and shows no error.
"""
from datetime import date

from sqlalchemy import select

from extensions import db
from models import Assignment
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import hold_posts
from tests.e2e.browser import path_of
from tests.e2e.browser import release
from tests.e2e.browser import sign_in

ADD_FORM = "#add form[action='/units/K1/assignments']"


def assignments_of(person) -> list[Assignment]:
    """What the database holds now, not what this session remembers."""
    db.session.expire_all()
    return list(db.session.scalars(select(Assignment).where(Assignment.person_id == person.id)))


def double_click_on_a_slow_server(page, selector: str) -> list:
    """Click twice, 150 ms apart, while the first request is still on its way; return the
    requests the browser sent."""
    held = hold_posts(page, "**/assignments")
    button = page.locator(selector)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(150)
    page.mouse.click(x, y)
    page.wait_for_timeout(150)
    with page.expect_navigation():
        release(page, "**/assignments", held)
    return held


def test_an_admin_adds_an_assignment_with_a_double_click_and_ends_it(page, live_server, campus,
                                                                   make_person):
    teacher = make_person("T100", name="张老师", role="subject_teacher", unit=campus.college)
    sign_in(page, live_server, "admin@example.edu.cn")
    page.goto(live_server + "/units/K1")

    page.fill(f"{ADD_FORM} input[name=number]", "T100")
    page.select_option(f"{ADD_FORM} select[name=role]", "class_teacher")
    assert page.input_value(f"{ADD_FORM} input[name=start]") == date.today().isoformat()
    sent = double_click_on_a_slow_server(page, f"{ADD_FORM} button[type=submit]")
    assert len(sent) == 1, "a double click sends the form once"
    assert path_of(page) == "/units/K1"
    assert page.locator("main .alert-success").count() == 1
    assert page.locator("main .alert-danger").count() == 0, "the second click was not sent"
    [assignment] = [a for a in assignments_of(teacher) if a.role.code == "class_teacher"]
    assert (assignment.role.code, assignment.unit_id, assignment.end) == (
        "class_teacher", campus.klass.id, None)
    row = page.locator("#assignments tr", has=page.locator("a[href='/people/T100']"))
    assert row.count() == 1
    assert_fits_the_screen(page)

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        row.locator(f"form[action='/assignments/{assignment.id}/end'] button[type=submit]").click()
    assert path_of(page) == "/units/K1"
    assert page.locator("main .alert-success").count() == 1
    db.session.refresh(assignment)
    assert assignment.end == date.today()
    assert row.count() == 1, "held through today, the role stays listed until tomorrow"
    assert row.locator("form[action$='/end']").count() == 0, "and can no longer be ended"


def test_ending_asks_first_and_a_no_changes_nothing(page, live_server, campus):
    sign_in(page, live_server, "admin@example.edu.cn")
    page.goto(live_server + "/units/D1")
    [assignment] = assignments_of(campus.student)
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click(f"form[action='/assignments/{assignment.id}/end'] button[type=submit]")
    page.wait_for_timeout(300)
    assert len(questions) == 1 and questions[0]
    assert path_of(page) == "/units/D1"
    assert page.is_enabled(f"form[action='/assignments/{assignment.id}/end'] button[type=submit]")
    assert assignments_of(campus.student)[0].end is None
