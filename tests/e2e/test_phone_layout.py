"""On a 375-px phone every page fits the screen: nothing scrolls sideways."""
from datetime import date

import pytest

from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import page_width
from tests.e2e.browser import path_of
from tests.e2e.browser import sign_in


def test_a_dorm_informant_sees_their_role_on_the_dashboard(page, live_server, campus):
    page.goto(live_server + "/")
    assert path_of(page) == "/login"
    assert_fits_the_screen(page)

    sign_in(page, live_server, "S001")
    assert path_of(page) == "/"
    roles = page.locator("#my-roles li")
    assert roles.count() == 1
    assert "寝室信息员" in roles.first.inner_text() and "1号寝室" in roles.first.inner_text()
    assert page.locator("h1").inner_text().endswith("李同学")
    assert_fits_the_screen(page)
    assert page.locator("#nav a[href='/units']").count() == 0, "a learner has no roster menu"


@pytest.fixture
def crowded(campus, make_unit, make_person):
    """Long names and numbers, many people: what makes a phone page overflow."""
    long_name = "教育学院心理健康教育与咨询专业二〇二六级本科一班（拔尖创新人才培养实验班）"
    make_unit("K2-2026-EXPERIMENTAL-CLASS-0001", "class", campus.college, name=long_name)
    for n in range(12):
        make_person(f"2026{n:08d}", name=f"欧阳{'娜' * (n % 5 + 1)}", role="dorm_informant",
                    unit=campus.dorm, start=date(2026, 9, 1), email=f"student{n}@example.edu.cn")
    make_person("T-0001", name="张老师", role="class_teacher", unit=campus.klass)
    return campus


#: every page an admin opens, with long names and full lists
ADMIN_PAGES = ["/", "/units", "/units/C1", "/units/K1", "/units/D1", "/units?q=2026", "/people",
               "/people?q=欧阳", "/people/S001", "/import", "/password", "/profile"]


def test_admin_pages_fit_a_phone(page, live_server, crowded):
    sign_in(page, live_server, "admin@example.edu.cn")
    too_wide = {}
    for path in ADMIN_PAGES:
        page.goto(live_server + path)
        assert page.locator("main h1").count() == 1, f"{path} did not open"
        if page_width(page) > page.viewport_size["width"]:
            too_wide[path] = page_width(page)
    assert too_wide == {}, "these pages scroll sideways on a 375-px phone"
