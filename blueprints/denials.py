"""Refused requests go into the audit log: one row per request, never a second error."""
from flask import g
from flask import request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from extensions import db
from services import audit


def requester():
    """The signed-in user, or the API token's user, or None."""
    if g.get("api_user") is not None:
        return g.api_user
    if current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def audit_denial(status: int, target: tuple[str, str] | None = None) -> None:
    """Record that this request was refused (403, or a 404 for a record out of scope)."""
    if g.get("denial_recorded"):
        return
    g.denial_recorded = True
    try:
        db.session.rollback()
        audit.record_denial(by=requester(), target=target, ip=request.remote_addr,
                            path=request.path, method=request.method, status=status)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
