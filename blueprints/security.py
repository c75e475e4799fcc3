"""Security headers, refusing NUL characters, and how a session cookie turns back into a user."""
from flask import Flask
from flask import Response
from flask import abort
from flask import g
from flask import request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix

from blueprints.csrf_failures import register_csrf_failures
from blueprints.session_limits import register_session_limits
from blueprints.user_loading import signed_in_user
from extensions import login_manager
from models import User
from services.scope import has_any_grant

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load by "id:session_version", so bumping the version signs a user out."""
    try:
        ident, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    user = signed_in_user(ident)
    if user is None or user.session_version != version or not user.active:
        return None
    return user


#: headers every answer carries, replacing any a view set (lower-case name → name, value)
FIXED_HEADERS = {
    "x-content-type-options": ("X-Content-Type-Options", "nosniff"),
    "referrer-policy": ("Referrer-Policy", "strict-origin-when-cross-origin"),
    "x-frame-options": ("X-Frame-Options", "DENY"),
}


def set_security_headers(response: Response) -> Response:
    """Add the CSP unless the view set its own, and FIXED_HEADERS. The names present are read
    once: each lookup or replacement by name scans every header."""
    headers = response.headers
    present = {name.lower() for name, _value in headers}
    if "content-security-policy" not in present:
        headers.add("Content-Security-Policy", CSP)
    for lower, (name, value) in FIXED_HEADERS.items():
        if lower in present:
            headers[name] = value
        else:
            headers.add(name, value)
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


def refuse_nul_characters() -> None:
    """PostgreSQL cannot store or compare NUL in text, so a typed %00 answers 404/400, never a 500."""
    if request.view_args and any("\x00" in str(value) for value in request.view_args.values()):
        abort(404)
    if has_nul(request.args):
        abort(400)
    # Only a request that carries a form has one to parse (a GET's would be empty).
    if request.want_form_data_parsed and has_nul(request.form):
        abort(400)


def has_nul(values) -> bool:
    """In any value of a key given several times too (`?code=ok&code=%00`)."""
    return any("\x00" in value for given in values.listvalues() for value in given)


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer built once per set of keys:
    Flask builds it twice a request (to read the cookie and to write it), which costs about
    as much as checking the signature."""

    def __init__(self) -> None:
        self._keys: tuple | None = None
        self._serializer: URLSafeTimedSerializer | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys != self._keys:  # a new key (or fallbacks) takes effect on the next request
            self._serializer, self._keys = super().get_signing_serializer(app), keys
        return self._serializer


def register_security(app: Flask) -> None:
    app.session_interface = SignedCookieSessions()
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
    user = current_user._get_current_object()  # once: each use of the proxy looks it up again
    return user.is_authenticated and has_any_grant(user, kinds)
