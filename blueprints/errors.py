"""Error pages for humans, JSON errors for the API (SPEC §7)."""
from flask import Flask
from flask import jsonify
from flask import make_response
from flask import render_template
from flask import request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from blueprints.denials import audit_denial
from extensions import db
from services.errors import DomainError
from services.errors import OutOfScope


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str):
    if wants_json():
        return jsonify(error={"code": code, "message": message}), status
    return render_template("error.html", status=status, message=message), status


def handle_http_error(error: HTTPException):
    code = (error.name or "error").lower().replace(" ", "_")
    messages = {
        400: _("The request could not be understood."),
        401: _("Please sign in first."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This action is not allowed here."),
        413: _("The file is too large."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on our side."),
    }
    message = messages.get(error.code) or _("The request could not be completed.")
    if error.code == 403:
        audit_denial(403)
    return error_response(error.code or 500, code, message)


def handle_domain_error(error: DomainError):
    db.session.rollback()
    if error.status == 403 or isinstance(error, OutOfScope):
        audit_denial(error.status, getattr(error, "target", None))
    return error_response(error.status, error.code, error.message)


#: seconds a client is asked to wait before retrying when the database is unavailable
RETRY_AFTER = 5


#: SQLite's result codes for a database another connection holds (the low byte)
SQLITE_BUSY_CODES = {5, 6}
#: PostgreSQL SQLSTATE classes of a lost connection (08), a rolled-back transaction (40:
#: deadlock, serialization) and a shutdown (57), and "lock not available"
POSTGRES_TRANSIENT = ("08", "40", "57", "55P03")


def is_transient(error: OperationalError) -> bool:
    """A wait or a restart, worth retrying — not a missing table or a broken query, which
    SQLite also reports as OperationalError and which must stay a logged 500."""
    if error.connection_invalidated:
        return True
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in SQLITE_BUSY_CODES
    state = getattr(original, "sqlstate", None) or ""
    return state.startswith(POSTGRES_TRANSIENT)


def handle_database_unavailable(error: OperationalError):
    """A locked (SQLite) or restarted (PostgreSQL) database: roll back, answer 503, retry later.

    The transaction is undone, so nothing is half-written; a dropped connection is thrown
    away and pool_pre_ping replaces it on the next request. Any other OperationalError is
    raised on, to be logged and answered 500 like every unexpected error.
    """
    if not is_transient(error):
        raise error
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.invalidate()
    message = _("The database is busy or restarting. Please try again in a few seconds.")
    try:
        response = make_response(error_response(503, "database_unavailable", message))
    except DBAPIError:  # the page itself needs the database (the signed-in user): plain text
        db.session.invalidate()
        response = make_response(message, 503, {"Content-Type": "text/plain; charset=utf-8"})
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def handle_unexpected(error: Exception):
    db.session.rollback()
    return error_response(500, "internal_error", _("Something went wrong on our side."))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    if not app.debug and not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
