"""How long a sign-in lasts (ASVS 3.3): an idle timeout and an absolute lifetime.

Sessions are signed cookies, so both times travel in the cookie itself: when the user
signed in, and when they were last seen (rewritten at most once a minute). A session
without them, or past either limit, is ended and the user sent to sign in again.
"""
import time

from flask import Flask
from flask import current_app
from flask import flash
from flask import redirect
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import logout_user
from flask_login import user_logged_in

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
#: the last-seen time is rewritten at most this often (seconds), not on every request
SEEN_GRANULARITY = 60


def stamp_sign_in(sender, user, **extra) -> None:
    """Start both clocks when Flask-Login signs someone in. Signing in again inside a live
    session (after a password change) keeps the first sign-in time: the absolute lifetime
    is not renewed by it."""
    now = int(time.time())
    session.setdefault(SIGNED_IN_AT, now)
    session[SEEN_AT] = now


def is_expired(now: int) -> bool:
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        return True
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    return now - seen_at > idle or now - signed_in_at > lifetime


def expire_sessions():
    """End a signed-in session that has been idle or alive too long (a before_request hook)."""
    if "_user_id" not in session or request.endpoint == "static" or request.path.startswith("/api/"):
        return None
    now = int(time.time())
    if not is_expired(now):
        if now - session[SEEN_AT] >= SEEN_GRANULARITY:
            session[SEEN_AT] = now
        return None
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("Your session has expired. Please sign in again."), "warning")
    if request.method == "GET" and request.endpoint != "auth.login":
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return redirect(url_for("auth.login"))


def register_session_limits(app: Flask) -> None:
    # First of all hooks: an expired session must not reach CSRF checks, forced password
    # changes or views as a signed-in user.
    app.before_request_funcs.setdefault(None, []).insert(0, expire_sessions)
    user_logged_in.connect(stamp_sign_in, app)
