"""CSRF (ASVS 4.2.2, 13.2.3): every state-changing route outside the API refuses a post
without a token, audits it and explains; the API takes bearer tokens only.

The routes are read from app.url_map, so a new route is covered as soon as it exists, and
exempting one from CSRF makes these tests fail.
"""
import pytest
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.routing.converters import NumberConverter

from extensions import db
from models import AuditEvent

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def unsafe_rules(app, *, api: bool):
    return [(rule, method) for rule in app.url_map.iter_rules()
            for method in sorted(rule.methods & UNSAFE)
            if rule.rule.startswith("/api/") == api]


def url_for_rule(rule) -> str:
    values = {name: 1 if isinstance(converter, NumberConverter) else "x"
              for name, converter in rule._converters.items()}
    return rule.build(values, append_unknown=False)[1]


@pytest.fixture
def superadmin(app, auth, make_user):
    user = make_user("root@example.edu.cn", grant=("superadmin", None))
    auth.login("root@example.edu.cn")
    app.config["CSRF_AUDIT_LIMIT"] = "1000 per minute"
    yield user
    app.config["CSRF_AUDIT_LIMIT"] = "30 per minute"


def test_only_the_api_is_exempt_from_csrf(app):
    csrf = app.extensions["csrf"]
    assert csrf._exempt_views == set()
    assert {bp if isinstance(bp, str) else bp.name for bp in csrf._exempt_blueprints} == {"api"}


def test_there_are_forms_to_check(app):
    assert len(unsafe_rules(app, api=False)) >= 40


def test_every_form_refuses_a_post_without_a_token(app, client, superadmin):
    refused, wrong = [], []
    expected = None
    for rule, method in unsafe_rules(app, api=False):
        path = url_for_rule(rule)
        response = client.open(path, method=method, data={"name": "x"})
        if expected is None:
            with app.test_request_context():
                expected = gettext("This form has expired. Reload the page and try again.")
        if response.status_code == 400 and expected in response.get_data(as_text=True):
            refused.append(path)
        else:
            wrong.append((method, rule.rule, response.status_code))
    assert wrong == []
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.csrf_failed"))
    audited = {event.detail["path"]: event for event in events}
    assert set(audited) == set(refused)
    event = audited["/logout"]
    assert event.actor_id == superadmin.id and event.ip == "127.0.0.1"
    assert event.detail["method"] == "POST" and event.detail["reason"]


def test_a_wrong_token_is_refused_too(client, auth, superadmin):
    response = client.post("/profile/tokens", data={"name": "x", "csrf_token": "forged"})
    assert response.status_code == 400
    assert "<html" in response.get_data(as_text=True)


def test_an_anonymous_csrf_failure_is_audited_without_an_actor(client, app):
    assert client.post("/login", data={"username": "a@b.c", "password": "x" * 8}).status_code == 400
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "security.csrf_failed"))
    assert event.actor_id is None and event.detail["path"] == "/login"


def test_a_flood_of_failures_is_refused_but_audited_only_up_to_the_limit(client, app):
    app.config["CSRF_AUDIT_LIMIT"] = "3 per minute"
    try:
        statuses = [client.post("/logout").status_code for _ in range(5)]
    finally:
        app.config["CSRF_AUDIT_LIMIT"] = "30 per minute"
    assert statuses == [400] * 5
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.csrf_failed"))
    assert len(list(events)) == 3


def test_the_api_ignores_the_session_cookie(app, client, superadmin):
    """Signed in through the site but without a bearer token, every API call is a 401, so a
    page on another site cannot use the browser's cookie against the API."""
    from blueprints.api.views import PUBLIC_ENDPOINTS

    rules = [rule for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/api/") and rule.endpoint not in PUBLIC_ENDPOINTS]
    assert rules
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url_for_rule(rule), method=method)
            assert response.status_code == 401, (method, rule.rule)


def test_api_writes_would_need_a_bearer_token(app, client, superadmin):
    for rule, method in unsafe_rules(app, api=True):
        assert client.open(url_for_rule(rule), method=method).status_code == 401, rule.rule


def test_a_csrf_failure_is_still_a_clear_400_with_rate_limiting_switched_off(client, monkeypatch):
    from extensions import limiter

    monkeypatch.setattr(limiter, "enabled", False)
    answer = client.post("/login", data={"username": "x", "password": "y"})
    assert answer.status_code == 400
