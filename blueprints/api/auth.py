"""Bearer tokens for the API: who is calling, or a 401 that says how to authenticate, and
a limit on how often one address may be answered 401 (guessing tokens)."""
import time
from functools import lru_cache

from flask import current_app
from flask import g
from flask import jsonify
from flask import request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from limits import RateLimitItem
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from extensions import db
from extensions import limiter
from models import User
from services import accounts

#: the counters of 401 answers per address: the keys Flask-Limiter's shared limit used
GUESSING_SCOPE = "api-auth"
#: API views with a limit of their own, which takes the place of this one (as a view's own
#: limit took the place of a blueprint's in Flask-Limiter)
OWN_LIMITS = {"api.certificate"}


def bearer_token() -> str | None:
    """The token from `Authorization: Bearer TOKEN`, or None."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def unauthorized(message: str, invalid: bool):
    """A JSON 401 with the WWW-Authenticate challenge RFC 6750 asks for."""
    response = jsonify(error={"code": "unauthorized", "message": message})
    response.status_code = 401
    challenge = 'Bearer realm="api"'
    if invalid:
        challenge += ', error="invalid_token"'
    response.headers["WWW-Authenticate"] = challenge
    return response


def authenticate():
    """Set g.api_user from the bearer token, or answer 401 (a before_request hook)."""
    token = bearer_token()
    if token is None:
        return unauthorized(_("This API needs an Authorization: Bearer token."), invalid=False)
    user, noted = accounts.user_for_token(token)
    if user is None:
        db.session.rollback()
        return unauthorized(_("The token is invalid or has been revoked."), invalid=True)
    if noted:
        db.session.commit()  # keeps last_used_at (at most once a minute per token)
    g.api_user = user
    return None


def api_user() -> User:
    return g.api_user


# Guessing tokens: every API request is refused (429) while its address is over
# API_AUTH_RATE_LIMIT, and only answers of 401 count, so working clients are never slowed
# down. This is what Flask-Limiter's shared limit on the blueprint did — the same counters,
# the same X-RateLimit-* and Retry-After headers — for a quarter of its per-request work.


@lru_cache(maxsize=8)
def guessing_limits(text: str) -> list[RateLimitItem]:
    """API_AUTH_RATE_LIMIT, parsed once (it may change at run time), shortest window first."""
    return sorted(parse_many(text))


def refuse_guessers() -> None:
    """Answer 429 to an API request from an address over the limit (an app-wide hook, so it
    runs where Flask-Limiter checked: before refuse_nul_characters and the token)."""
    if request.blueprint != "api" or request.endpoint in OWN_LIMITS or not limiter.enabled:
        return
    limits = guessing_limits(current_app.config["API_AUTH_RATE_LIMIT"])
    keys = (get_remote_address(), GUESSING_SCOPE)
    for limit in limits:
        if not limiter.limiter.test(limit, *keys):
            g.api_guessing = (limits, limit, keys)
            raise TooManyRequests()
    g.api_guessing = (limits, limits[0], keys)


def count_guesses(response):
    """Count a 401 against every window, then show the shortest (or the exceeded) one in
    X-RateLimit-* headers and Retry-After (an after_request hook of the API)."""
    limits, shown, keys = g.pop("api_guessing", (None, None, None))
    if limits is None:
        return response
    if response.status_code == 401:
        for limit in limits:
            limiter.limiter.hit(limit, *keys)
    if current_app.config.get("RATELIMIT_HEADERS_ENABLED"):
        reset, remaining = limiter.limiter.get_window_stats(shown, *keys)
        reset_at = int(reset + 1)
        response.headers.add("X-RateLimit-Limit", str(shown.amount))
        response.headers.add("X-RateLimit-Remaining", str(remaining))
        response.headers.add("X-RateLimit-Reset", str(reset_at))
        waiting = response.headers.get("Retry-After")  # e.g. 503's: the longer wait is kept
        if waiting is not None and waiting.isdigit():
            reset_at = max(int(time.time() + int(waiting)), reset_at)
        response.headers["Retry-After"] = str(int(reset_at - time.time()))
    return response
