"""Append an entry to the audit log; callers commit with their own change."""
from extensions import db
from models import AuditEvent
from models import User


def record(action: str, *, by: User | None = None, target=None, ip: str | None = None,
           **detail) -> AuditEvent:
    """Record that `by` did `action` to `target` (a model or a (type, id) pair)."""
    target_type = target_id = None
    if isinstance(target, tuple):
        target_type, target_id = target
    elif target is not None:
        target_type = type(target).__name__.lower()
        target_id = getattr(target, "code", None) or getattr(target, "number", None) \
            or getattr(target, "id", None)
    event = AuditEvent(
        actor_id=by.id if by is not None else None,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        detail={k: v for k, v in detail.items() if v is not None},
        ip=ip,
    )
    db.session.add(event)
    return event


def search_events(*, action: str | None = None, q: str | None = None, page=1):
    """A page of audit events, newest first, filtered by action prefix or target/actor."""
    from sqlalchemy import or_
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from services.pagination import paginate

    stmt = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    if q:
        q = q.strip()
        actors = select(User.id).where(or_(User.email == q.lower(), User.name == q))
        stmt = stmt.where(or_(AuditEvent.target_id == q, AuditEvent.actor_id.in_(actors)))
    return paginate(stmt, page)


def action_names() -> list[str]:
    """The distinct actions recorded so far, for the filter menu."""
    from sqlalchemy import select

    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
