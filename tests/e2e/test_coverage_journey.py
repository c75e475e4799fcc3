"""A university admin drills down the coverage pages from the university to the dorm
room that lacks its informant, on a phone and on a laptop; every page passes the basic
accessibility checks."""
from tests.e2e.a11y import assert_accessible
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import on_every_screen
from tests.e2e.browser import path_of
from tests.e2e.browser import sign_in


@on_every_screen
def test_an_admin_drills_down_to_a_dorm_with_a_vacancy(page, live_server, campus, make_unit,
                                                       make_user):
    empty = make_unit("D2", "dorm", campus.klass, name="2号寝室")
    make_user("uni@example.edu.cn", grant=("admin", "U1"), name="校管理员")
    sign_in(page, live_server, "uni@example.edu.cn")
    page.goto(live_server + "/coverage/U1")
    assert_accessible(page)
    assert_fits_the_screen(page)
    assert page.locator("h1").inner_text().endswith("示范大学")

    for code in ("C1", "K1"):
        with page.expect_navigation():
            page.click(f"#children tr[data-unit='{code}'] a")
        assert path_of(page) == f"/coverage/{code}"
        assert_accessible(page)
        assert_fits_the_screen(page)

    # the class page's dorm-informant row: one vacancy (D2), which opens the list behind it
    row = page.locator("[data-role='dorm_informant']:visible")  # a card on the phone
    with page.expect_navigation():
        row.locator("a[href*='view=vacancies']").click()
    vacancy = page.locator(f"#vacancies tr[data-unit='{empty.code}']")
    assert "2号寝室" in vacancy.inner_text()
    assert page.locator("#vacancies tr[data-unit='D1']").count() == 0
    assert_accessible(page)

    with page.expect_navigation():
        vacancy.locator("a").click()
    assert path_of(page) == "/units/D2"
    assert "2号寝室" in page.locator("h1").inner_text()
    assert_accessible(page)
