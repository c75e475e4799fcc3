"""Signing in as a demo account that must choose its own password, and switching language."""
from sqlalchemy import select
from werkzeug.security import check_password_hash

from extensions import db
from models import User
from tests.conftest import PASSWORD
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import open_menu
from tests.e2e.browser import path_of
from tests.e2e.browser import sign_in

NEW_PASSWORD = "my-own-secret-2026"


def test_a_demo_account_must_choose_a_password_first(page, live_server, campus, make_user):
    make_user("demo@example.edu.cn", grant=("admin", "C1"), is_demo=True, must_change_password=True)
    sign_in(page, live_server, "demo@example.edu.cn")
    assert path_of(page) == "/password"
    assert_fits_the_screen(page)

    page.goto(live_server + "/units")
    assert path_of(page) == "/password", "no other page opens before the password is changed"

    page.fill("main input[name=current]", PASSWORD)
    page.fill("main input[name=password]", NEW_PASSWORD)
    page.fill("main input[name=confirm]", NEW_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert path_of(page) == "/"
    assert page.locator("main .alert-success").count() == 1

    page.goto(live_server + "/units")
    assert path_of(page) == "/units"
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "demo@example.edu.cn"))
    assert user.must_change_password is False
    assert check_password_hash(user.password_hash, NEW_PASSWORD)


LANGUAGE_BUTTON = "#nav form[action^='/language/'] button[type=submit]"


def switch_language(page) -> None:
    """Press the language button in the navbar (folded behind the toggler on a phone)."""
    open_menu(page)
    with page.expect_navigation():
        page.click(LANGUAGE_BUTTON)


def language(page) -> tuple[str, str]:
    """The page's language and what the language button offers instead."""
    return page.locator("html").get_attribute("lang"), page.locator(LANGUAGE_BUTTON).inner_text()


def test_the_language_switch_sticks_while_browsing(page, live_server, campus):
    sign_in(page, live_server, "admin@example.edu.cn")
    assert language(page) == ("zh-CN", "English")

    switch_language(page)
    assert path_of(page) == "/", "the switch keeps the reader on the same page"
    assert language(page) == ("en", "中文")
    page.goto(live_server + "/units/K1")
    assert language(page) == ("en", "中文")
    assert "Class" in page.locator("main p.text-muted").first.inner_text()
    assert db.session.scalar(select(User.locale).where(User.id == campus.admin.id)) == "en"

    switch_language(page)
    assert path_of(page) == "/units/K1"
    assert language(page) == ("zh-CN", "English")
    page.goto(live_server + "/people")
    assert language(page) == ("zh-CN", "English")


def test_a_language_chosen_on_the_sign_in_page_is_kept_after_signing_in(page, live_server, campus):
    page.goto(live_server + "/login")
    switch_language(page)
    assert path_of(page) == "/login"
    assert language(page) == ("en", "中文")
    page.reload()
    assert language(page) == ("en", "中文")

    sign_in(page, live_server, "admin@example.edu.cn")
    assert path_of(page) == "/"
    assert language(page) == ("en", "中文")
    assert db.session.scalar(select(User.locale).where(User.id == campus.admin.id)) == "en"
