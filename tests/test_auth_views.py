"""Signing in and out, forced password changes, and the login rate limit."""
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from tests.conftest import PASSWORD
from tests.conftest import AuthActions


def test_login_by_email_reaches_dashboard(client, auth, make_user):
    make_user("ann@example.edu.cn", name="安妮")
    response = auth.login("ann@example.edu.cn")
    assert response.headers["Location"] == "/"
    assert "安妮" in client.get("/").get_data(as_text=True)


def test_login_by_number(client, auth, make_user, make_person, make_unit):
    university = make_unit("U1")
    person = make_person("T001", name="李老师", role="mh_teacher", unit=university)
    make_user("li@example.edu.cn", person=person)
    response = auth.login("T001")
    assert response.headers["Location"] == "/"


def test_wrong_password_is_refused_and_audited(client, auth, make_user):
    make_user("ann@example.edu.cn")
    response = auth.login("ann@example.edu.cn", "wrong-password")
    assert response.status_code == 200
    assert "Location" not in response.headers
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "auth.login_failed" in actions


def test_dashboard_requires_login(client):
    response = client.get("/")
    assert response.headers["Location"].startswith("/login")


def test_login_form_without_csrf_is_refused(client, make_user):
    make_user("ann@example.edu.cn")
    response = client.post("/login", data={"username": "ann@example.edu.cn", "password": PASSWORD})
    assert response.status_code == 400


def test_demo_account_must_choose_a_new_password_on_a_real_server(client, auth, make_user):
    make_user("demo@example.edu.cn", is_demo=True, must_change_password=True)
    auth.login("demo@example.edu.cn")
    response = client.get("/")
    assert response.headers["Location"] == "/password"
    token = auth.csrf_token("/password")
    response = client.post("/password", data={
        "current": PASSWORD, "password": "a-brand-new-secret", "confirm": "a-brand-new-secret",
        "csrf_token": token})
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_demo_account_keeps_its_password_on_a_demo_server(app, client, auth, make_user):
    make_user("demo@example.edu.cn", is_demo=True, must_change_password=True)
    app.config["DEMO_MODE"] = True
    try:
        auth.login("demo@example.edu.cn")
        assert client.get("/").status_code == 200
    finally:
        app.config["DEMO_MODE"] = False


def test_password_change_checks_the_current_password(client, auth, make_user):
    make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    token = auth.csrf_token("/password")
    response = client.post("/password", data={
        "current": "not-my-password", "password": "another-secret-1", "confirm": "another-secret-1",
        "csrf_token": token})
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_changing_the_password_signs_out_other_sessions(app, client, auth, make_user):
    make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    other = app.test_client()
    AuthOther = type(auth)
    AuthOther(other).login("ann@example.edu.cn")
    assert other.get("/").status_code == 200
    token = auth.csrf_token("/password")
    client.post("/password", data={"current": PASSWORD, "password": "another-secret-1",
                                   "confirm": "another-secret-1", "csrf_token": token})
    assert client.get("/").status_code == 200
    assert other.get("/").headers["Location"].startswith("/login")


def test_login_is_rate_limited(app, client, make_user):
    make_user("ann@example.edu.cn")
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = []
        for _ in range(5):
            token = AuthActions(client).csrf_token("/login")
            statuses.append(client.post("/login", data={
                "username": "ann@example.edu.cn", "password": "wrong", "csrf_token": token
            }).status_code)
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]


def test_next_only_follows_local_paths(client, auth, make_user):
    make_user("ann@example.edu.cn")
    token = auth.csrf_token("/login")
    response = client.post("/login?next=//evil.example/x", data={
        "username": "ann@example.edu.cn", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_logout_ends_the_session(client, auth, make_user):
    make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    response = auth.logout()
    assert response.headers["Location"] == "/login"
    assert client.get("/").headers["Location"].startswith("/login")


def test_language_switch_is_remembered_for_the_user(client, auth, make_user):
    user = make_user("ann@example.edu.cn")
    auth.login("ann@example.edu.cn")
    assert "退出" in client.get("/").get_data(as_text=True)
    auth.post("/language/en", {"next": "/"})
    assert "Sign out" in client.get("/").get_data(as_text=True)
    db.session.refresh(user)
    assert user.locale == "en"


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    script_src = csp.split("script-src")[1].split(";")[0]
    assert script_src.strip() == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
