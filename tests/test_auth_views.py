"""Signing in and out, forced password changes, and the login rate limit."""
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from tests.conftest import PASSWORD


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
