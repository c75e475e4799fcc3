"""Error pages for humans, JSON errors for the API (SPEC §7)."""
from flask import Flask
from flask import jsonify
from flask import render_template
from flask import request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from extensions import db
from services.errors import DomainError


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
    if isinstance(error, CSRFError):
        message = _("This form has expired. Reload the page and try again.")
    return error_response(error.code or 500, code, message)


def handle_domain_error(error: DomainError):
    db.session.rollback()
    return error_response(error.status, error.code, error.message)


def handle_unexpected(error: Exception):
    db.session.rollback()
    return error_response(500, "internal_error", _("Something went wrong on our side."))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DomainError, handle_domain_error)
    if not app.debug and not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
