"""A trainer writes a case study on a phone: the live preview follows the text, shows
problems with line numbers, and Save makes version 1."""
from sqlalchemy import select

from extensions import db
from models import ModuleVersion
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import follow_menu
from tests.e2e.browser import path_of
from tests.e2e.browser import sign_in
from tests.test_authoring import BAD_SOURCE
from tests.test_authoring import SOURCE


def test_a_trainer_writes_previews_and_saves_a_module(page, live_server, campus, make_user):
    make_user("trainer@example.edu.cn", grant=("trainer", "C1"), name="赵老师")
    sign_in(page, live_server, "trainer@example.edu.cn")
    follow_menu(page, "/author/modules")
    with page.expect_navigation():
        page.click("a[href='/author/modules/new']")
    page.locator("#module-preview .module-section").first.wait_for()  # the starter, previewed
    assert_fits_the_screen(page)
    page.fill("input[name=slug]", "night-call")
    page.fill("textarea[name=source]", BAD_SOURCE)
    page.locator("#problems:not(.d-none) li").first.wait_for()
    assert page.locator("#problems li").first.inner_text().startswith("line ")
    page.fill("textarea[name=source]", SOURCE)
    page.locator("#problems.d-none").wait_for(state="attached")
    page.get_by_text("凌晨一点，室友说他很难受。").wait_for()
    with page.expect_navigation():
        page.click("input[name=save]")
    page.wait_for_load_state("networkidle")
    assert path_of(page) == "/author/modules/night-call/edit"
    db.session.expire_all()
    assert db.session.scalar(select(ModuleVersion.version)) == 1
