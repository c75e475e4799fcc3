"""Bearer tokens for the API: who is calling, or a 401 that says how to authenticate."""
from flask import g
from flask import jsonify
from flask import request
from flask_babel import gettext as _

from extensions import db
from models import User
from services import accounts


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
    user = accounts.user_for_token(token)
    if user is None:
        db.session.rollback()
        return unauthorized(_("The token is invalid or has been revoked."), invalid=True)
    if db.session.dirty:
        db.session.commit()  # keeps last_used_at (at most once a minute per token)
    g.api_user = user
    return None


def api_user() -> User:
    return g.api_user
