"""A form posted without a valid CSRF token: audited (ASVS 7.2), answered with a friendly 400."""
from flask import Flask
from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from blueprints.denials import audit_allowed
from blueprints.errors import error_response
from extensions import db
from services import audit


def handle_csrf_error(error: CSRFError):
    """Record who posted what where, then explain; the form is not processed."""
    db.session.rollback()
    # past CSRF_AUDIT_LIMIT per address, failures are still refused but not written down
    if audit_allowed("csrf-audit"):
        actor = current_user._get_current_object() if current_user.is_authenticated else None
        audit.record("security.csrf_failed", by=actor, ip=request.remote_addr,
                     path=request.path[:200], method=request.method, reason=error.description)
        db.session.commit()
    return error_response(400, "csrf_failed",
                          _("This form has expired. Reload the page and try again."))


def register_csrf_failures(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
