"""Sessions (ASVS 3): cookie flags, renewal at sign-in, idle and absolute limits, signing
out everywhere, and sign-in answers that do not tell whether an account exists."""
import os
import re
import subprocess
import sys
import time

import pytest
from flask_babel import gettext
from sqlalchemy import select

from blueprints.session_limits import SEEN_AT
from blueprints.session_limits import SIGNED_IN_AT
from extensions import db
from models import AuditEvent
from services import accounts
from tests.conftest import PASSWORD
from tests.conftest import ROOT
from tests.conftest import AuthActions


def said(app, msgid: str) -> str:
    """A message as the default (Chinese) page shows it."""
    with app.test_request_context():
        return gettext(msgid)


def session_cookie_header(response) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    return header


def test_session_cookie_is_httponly_and_samesite_lax_and_no_remember_cookie(client, auth, make_user):
    make_user("ann@example.edu.cn")
    response = auth.login("ann@example.edu.cn")
    header = session_cookie_header(response)
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Secure" not in header  # BASE_URL is http:// in the tests
    assert not any(h.startswith("remember_token=") for h in response.headers.getlist("Set-Cookie"))


def test_session_cookie_is_secure_when_configured(app, client, auth, make_user):
    make_user("ann@example.edu.cn")
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        header = session_cookie_header(auth.login("ann@example.edu.cn"))
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


@pytest.mark.parametrize("base_url, secure", [("https://sw.example.edu.cn", True),
                                              ("http://127.0.0.1:5000", False)])
def test_an_https_base_url_makes_every_cookie_secure(base_url, secure):
    code = ("from config import Config as C; print(C.SESSION_COOKIE_SECURE, C.REMEMBER_COOKIE_SECURE,"
            " C.SESSION_COOKIE_HTTPONLY, C.REMEMBER_COOKIE_HTTPONLY, C.SESSION_COOKIE_SAMESITE,"
            " C.REMEMBER_COOKIE_SAMESITE)")
    env = dict(os.environ, BASE_URL=base_url, SECRET_KEY="x")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == [str(secure), str(secure), "True", "True", "Lax", "Lax"]


def test_signing_in_renews_the_session(app, client, auth, make_user):
    make_user("ann@example.edu.cn")
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie("session").value
    auth.login("ann@example.edu.cn")
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session and "_user_id" in session
    # the cookie from before sign-in is still anonymous: nothing to fixate
    stale = app.test_client()
    stale.set_cookie("session", before)
    assert stale.get("/").headers["Location"].startswith("/login")


def set_clock(client, **ago_seconds) -> None:
    now = int(time.time())
    with client.session_transaction() as session:
        for key, seconds in ago_seconds.items():
            session[{"signed_in": SIGNED_IN_AT, "seen": SEEN_AT}[key]] = now - seconds


def test_an_idle_session_expires_with_a_message(app, client, auth, make_user):
    make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    set_clock(client, seen=(app.config["SESSION_IDLE_MINUTES"] + 1) * 60)
    response = client.get("/profile?page=1")
    assert response.headers["Location"] == "/login?next=/profile?page%3D1"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert said(app, "Your session has expired. Please sign in again.") in page
    assert client.get("/").headers["Location"].startswith("/login")


def test_an_active_session_is_kept_and_its_clock_moves(app, client, auth, make_user):
    make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    set_clock(client, seen=(app.config["SESSION_IDLE_MINUTES"] - 1) * 60)
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session[SEEN_AT] < 5


def test_the_idle_timeout_is_configurable(app, client, auth, make_user):
    make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    set_clock(client, seen=6 * 60)
    assert client.get("/").status_code == 200
    app.config["SESSION_IDLE_MINUTES"] = 5
    try:
        set_clock(client, seen=6 * 60)
        assert client.get("/").headers["Location"].startswith("/login")
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 30


def test_a_busy_session_still_ends_after_its_absolute_lifetime(app, client, auth, make_user):
    make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    assert lifetime <= 12 * 3600
    set_clock(client, signed_in=lifetime + 1, seen=0)
    assert client.get("/").headers["Location"].startswith("/login")


def test_changing_the_password_does_not_renew_the_absolute_lifetime(app, client, auth,
                                                                   make_user):
    make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    set_clock(client, signed_in=3600, seen=0)
    with client.session_transaction() as session:
        signed_in_at = session[SIGNED_IN_AT]
    answer = auth.post("/password", {"current": PASSWORD, "password": "Lantern-Orbit-42",
                                     "confirm": "Lantern-Orbit-42"})
    assert answer.status_code in (302, 303), answer.get_data(as_text=True)[:300]
    with client.session_transaction() as session:
        assert session[SIGNED_IN_AT] == signed_in_at


def test_a_session_without_its_times_is_not_trusted(client, auth, make_user):
    make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    with client.session_transaction() as session:
        del session[SIGNED_IN_AT]
    assert client.get("/").headers["Location"].startswith("/login")


def test_an_expired_session_cannot_post(app, client, auth, make_user):
    user = make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    token = auth.csrf_token("/profile")
    set_clock(client, seen=3600 * 2)
    response = client.post("/profile/tokens", data={"name": "x", "csrf_token": token})
    assert response.headers["Location"] == "/login"
    assert list(db.session.scalars(select(accounts.ApiToken).where(
        accounts.ApiToken.user_id == user.id))) == []


def test_sign_out_everywhere_ends_every_session_and_is_audited(app, client, auth, make_user):
    user = make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    phone = app.test_client()
    AuthActions(phone).login("ann@example.edu.cn")
    assert phone.get("/").status_code == 200
    page = client.get("/profile").get_data(as_text=True)
    assert re.search(r'<form method="post" action="/profile/sign-out-everywhere"', page)
    response = auth.post("/profile/sign-out-everywhere")
    assert response.headers["Location"] == "/login"
    assert said(app, "You have been signed out on every device.") in \
        client.get("/login").get_data(as_text=True)
    assert client.get("/").headers["Location"].startswith("/login")
    assert phone.get("/").headers["Location"].startswith("/login")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.signed_out_everywhere"))
    assert event.actor_id == user.id and event.target_id == str(user.id) and event.ip
    # signing in again works
    assert AuthActions(phone).login("ann@example.edu.cn").headers["Location"] == "/"


def test_sign_out_everywhere_needs_a_post_with_csrf(app, client, auth, make_user):
    make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    assert client.get("/profile/sign-out-everywhere").status_code == 405
    assert client.post("/profile/sign-out-everywhere").status_code == 400
    assert client.get("/").status_code == 200


def login_page_without_token(response) -> str:
    return re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))


def test_failed_sign_in_does_not_tell_whether_the_account_exists(client, auth, make_user):
    make_user("ann@example.edu.cn")
    make_user("gone@example.edu.cn", active=False)
    invited = make_user("new@example.edu.cn")
    invited.password_hash = None
    db.session.commit()
    answers = {name: login_page_without_token(auth.login(name, "wrong-password-1"))
               for name in ("ann@example.edu.cn", "nobody@example.edu.cn", "gone@example.edu.cn",
                            "new@example.edu.cn", "S999")}
    assert len(set(answers.values())) == 1
    assert "invalid-feedback" in answers["nobody@example.edu.cn"]


def test_activation_links_that_never_existed_or_expired_answer_alike(client, make_user):
    user = make_user("ann@example.edu.cn")
    token = accounts.issue_activation(user, -1)
    db.session.commit()
    expired, unknown = client.get(f"/activate/{token}"), client.get("/activate/no-such-token")
    assert expired.status_code == unknown.status_code == 404
    # the same page, but for the path itself (in the language switch's `next`)
    assert expired.get_data(as_text=True).replace(token, "T") == \
        unknown.get_data(as_text=True).replace("no-such-token", "T")
