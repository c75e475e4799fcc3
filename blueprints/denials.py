"""Refused requests go into the audit log: one row per request, never a second error."""
from flask import current_app
from flask import g
from flask import request
from flask_login import current_user
from limits import parse
from sqlalchemy.exc import SQLAlchemyError

from extensions import db
from extensions import limiter
from services import audit


def requester():
    """The signed-in user, or the API token's user, or None."""
    if g.get("api_user") is not None:
        return g.api_user
    if current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def audit_allowed(kind: str) -> bool:
    """Whether this address may add one more `kind` row to the audit log (CSRF_AUDIT_LIMIT):
    a flood is still refused, but not all written down. Without a working limiter, yes."""
    if not limiter.enabled:
        return True
    try:
        return limiter.limiter.hit(parse(current_app.config["CSRF_AUDIT_LIMIT"]), kind,
                                   request.remote_addr or "")
    except Exception:  # the limiter's store (Redis) is down: keep the record
        return True


def audit_denial(status: int, target: tuple[str, str] | None = None) -> None:
    """Record that this request was refused (403, or a 404 for a record out of scope)."""
    if g.get("denial_recorded"):
        return
    g.denial_recorded = True
    if not audit_allowed("denial-audit"):
        return
    try:
        db.session.rollback()
        audit.record_denial(by=requester(), target=target, ip=request.remote_addr,
                            path=request.path, method=request.method, status=status)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
