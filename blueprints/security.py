"""Security headers, refusing NUL characters, and how a session cookie turns back into a user."""
from flask import Flask
from flask import Response
from flask import abort
from flask import g
from flask import request
from flask_wtf.csrf import generate_csrf
from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix

from blueprints.csrf_failures import register_csrf_failures
from blueprints.session_limits import register_session_limits
from extensions import db
from extensions import login_manager
from models import User

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


#: the signed-in user, their person and grants (with units) in one statement, built once
USER_WITH_PERSON_AND_GRANTS = (select(User).where(User.id == bindparam("id"))
                               .options(joinedload(User.person), joinedload(User.grants)))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load by "id:session_version", so bumping the version signs a user out."""
    try:
        ident, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    user = db.session.execute(USER_WITH_PERSON_AND_GRANTS, {"id": ident}).unique().scalar()
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def set_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


def refuse_nul_characters() -> None:
    """PostgreSQL cannot store or compare NUL in text, so a typed %00 answers 404/400, never a 500."""
    if any("\x00" in str(value) for value in (request.view_args or {}).values()):
        abort(404)
    if any("\x00" in value for value in [*request.args.values(), *request.form.values()]):
        abort(400)


def register_security(app: Flask) -> None:
    trust_proxies(app)
    register_session_limits(app)
    register_csrf_failures(app)
    app.before_request(refuse_nul_characters)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    app.after_request(set_security_headers)
    app.jinja_env.globals["has_roster_access"] = has_roster_access
    app.jinja_env.globals["csrf_token"] = csrf_token_once
    app.context_processor(lambda: {"csrf_token": csrf_token_once})  # Flask-WTF sets both


def csrf_token_once() -> str:
    """Flask-WTF's token, signed once per request: a page has several forms (language,
    sign-out, its own) and signing is most of the cost."""
    token = g.get("_signed_csrf_token")
    if token is None:
        token = g._signed_csrf_token = generate_csrf()
    return token


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address and scheme from them.

    Then request.is_secure (HSTS, Flask-WTF's referrer check) and request.remote_addr (rate
    limits, the audit log) describe the client; with none, forwarded headers are ignored.
    """
    count = app.config["TRUSTED_PROXIES"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count)


def has_roster_access(kinds: tuple[str, ...] = ("admin", "trainer", "auditor")) -> bool:
    """For menus: whether the signed-in user holds any grant of `kinds`."""
    from flask_login import current_user

    from services.scope import has_any_grant

    return current_user.is_authenticated and has_any_grant(current_user, kinds)
