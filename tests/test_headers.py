"""Security headers (ASVS 14.4) on every kind of answer, and HSTS only over HTTPS, with a
reverse proxy trusted only when TRUSTED_PROXIES says so."""
import pytest
from sqlalchemy import select

from app import create_app
from config import TestConfig
from extensions import db
from models import AuditEvent
from tests.conftest import csrf_token_from

ANSWERS = {
    "page": "/login",
    "api": "/api/v1/openapi.json",
    "api error": "/api/v1/units/NOPE",
    "error page": "/no-such-page",
    "static file": "/static/js/app.js",
}


def directives(csp: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in csp.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.mark.parametrize("path", ANSWERS.values(), ids=ANSWERS.keys())
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()  # a static file is streamed from disk
    assert response.status_code in (200, 401, 404)
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in csp.get("script-src", "") + csp["default-src"]
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("path", ANSWERS.values(), ids=ANSWERS.keys())
def test_hsts_over_https(client, path):
    response = client.get(path, base_url="https://sw.example.edu.cn")
    response.close()
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(client):
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


@pytest.fixture
def proxied_app(app):
    """The same database, served behind one trusted reverse proxy."""

    class Proxied(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        UPLOAD_DIR = app.config["UPLOAD_DIR"]
        TRUSTED_PROXIES = 1

    proxied = create_app(Proxied)
    yield proxied
    with proxied.app_context():
        db.engine.dispose()


def test_behind_a_trusted_proxy_the_client_scheme_and_address_count(app, proxied_app):
    client = proxied_app.test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    page = client.get("/login", headers=forwarded)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    token = csrf_token_from(page.get_data(as_text=True))
    response = client.post("/login", headers=dict(forwarded, Referer="https://localhost/login"),
                           data={"username": "nobody@example.edu.cn", "password": "wrong-password",
                                 "csrf_token": token}, base_url="http://localhost")
    assert response.status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
    assert event.ip == "203.0.113.9"
