"""Password rules (length, common passwords, one's own name) wherever a password is set,
and scrypt hashes."""
import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from extensions import db
from models import User
from services import accounts
from services import passwords
from services.errors import DomainError
from tests.conftest import PASSWORD
from tests.conftest import AuthActions
from tests.conftest import csrf_token_from

PASSPHRASE_64 = "the quiet dormitory light stays on past midnight, 每晚十一点熄灯吧"[:64]


def refusal(password: str, **identity) -> str | None:
    try:
        passwords.check_password(password, **identity)
    except DomainError as error:
        return error.message
    return None


@pytest.mark.parametrize("password", ["long-enough", "x" * 64, PASSPHRASE_64, "y" * 128,
                                      "安全的中文口令不常见哦"])
def test_long_and_uncommon_passwords_are_accepted(app, password):
    assert refusal(password) is None


@pytest.mark.parametrize("password, message", [
    ("seven77", "at least 8"),
    ("z" * 129, "at most 128"),
])
def test_too_short_or_too_long_is_refused(app, password, message):
    assert message in refusal(password)


@pytest.mark.parametrize("password", [
    "123456789", "12345678", "woaini1314", "qq123456", "WoAiNi1314", "Password1", "1qaz2wsx",
    "iloveyou", "QWERTYUIOP", "a123456789", "abcd1234", "88888888", "1234567890", " password ",
])
def test_common_passwords_are_refused_whatever_their_case(app, password):
    assert "most common" in refusal(password)


def test_short_common_chinese_choices_are_refused_too(app):
    assert "at least 8" in refusal("5201314")
    assert "5201314" in passwords.common_passwords()


@pytest.mark.parametrize("password, identity", [
    ("Zhang.Wei@Example.edu.cn", {"email": "zhang.wei@example.edu.cn"}),
    ("zhang.wei", {"email": "zhang.wei@example.edu.cn"}),
    ("S20260001", {"number": "s20260001"}),
    ("Wang Xiaoming", {"name": "wang xiaoming"}),
])
def test_ones_own_email_name_or_number_is_refused(app, password, identity):
    assert "email address, name or number" in refusal(password, **identity)


def test_the_shipped_list_is_large_lower_case_and_spares_our_own_passwords(app):
    common = passwords.common_passwords()
    assert len(common) >= 10_000
    assert all(word == word.lower() for word in common)
    assert {"woaini1314", "qq123456", "5201314", "123456789", "password"} <= common
    from services.demo_load import DEMO_PASSWORD

    assert not {PASSWORD, DEMO_PASSWORD, "long-enough-1", "my-own-secret"} & common


def test_hashes_are_scrypt(app, make_user):
    user = make_user("ann@example.edu.cn")
    assert user.password_hash.startswith("scrypt:")


def test_an_older_hash_is_upgraded_at_sign_in(app, auth, make_user):
    user = make_user("ann@example.edu.cn")
    user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256")
    db.session.commit()
    assert auth.login("ann@example.edu.cn").headers["Location"] == "/"
    db.session.refresh(user)
    assert user.password_hash.startswith("scrypt:")
    assert accounts.authenticate("ann@example.edu.cn", PASSWORD) is not None


def change(client, auth, new: str):
    return client.post("/password", data={"current": PASSWORD, "password": new, "confirm": new,
                                          "csrf_token": auth.csrf_token("/password")})


def test_changing_to_a_common_password_is_refused_on_the_page(client, auth, make_user):
    user = make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    response = change(client, auth, "woaini1314")
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert accounts.authenticate("ann@example.edu.cn", PASSWORD) is not None
    assert accounts.authenticate("ann@example.edu.cn", "woaini1314") is None


def test_changing_to_ones_email_is_refused_on_the_page(client, auth, make_user):
    make_user("ann.lee@example.edu.cn")
    auth.login("ann.lee@example.edu.cn")
    response = change(client, auth, "ann.lee@example.edu.cn")
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_a_64_character_passphrase_is_accepted_and_signs_in(app, client, auth, make_user):
    make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    assert change(client, auth, PASSPHRASE_64).headers["Location"] == "/"
    auth.logout()
    other = AuthActions(app.test_client())
    assert other.login("ann@example.edu.cn", PASSPHRASE_64).headers["Location"] == "/"


def test_activation_refuses_a_common_password(client, make_user):
    user = make_user("ann@example.edu.cn")
    token = accounts.issue_activation(user, 14)
    db.session.commit()
    page = client.get(f"/activate/{token}").get_data(as_text=True)
    response = client.post(f"/activate/{token}", data={
        "password": "qq123456", "confirm": "qq123456", "csrf_token": csrf_token_from(page)})
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert accounts.authenticate("ann@example.edu.cn", "qq123456") is None
    assert client.get(f"/activate/{token}").status_code == 200  # the link still works


def test_cli_create_refuses_a_common_password(runner):
    result = runner.invoke(args=["users", "create", "ann@example.edu.cn", "--name", "安妮",
                                 "--password", "123456789"])
    assert result.exit_code == 1
    assert "most common" in result.stderr
    assert db.session.scalar(select(User)) is None


def test_cli_password_resets_with_the_same_rules(runner, app, make_user):
    user = make_user("ann@example.edu.cn")
    version = user.session_version
    refused = runner.invoke(args=["users", "password", "ann@example.edu.cn", "--password", "woaini1314"])
    assert refused.exit_code == 1 and "most common" in refused.stderr
    done = runner.invoke(args=["users", "password", "ann@example.edu.cn"],
                         input="a-fresh-secret-9\na-fresh-secret-9\n")
    assert done.exit_code == 0, done.output
    db.session.refresh(user)
    assert user.session_version == version + 1
    assert user.password_hash.startswith("scrypt:")
    assert accounts.authenticate("ann@example.edu.cn", "a-fresh-secret-9") is not None
    unknown = runner.invoke(args=["users", "password", "nobody@example.edu.cn", "--password", "x" * 12])
    assert unknown.exit_code == 1
