"""Append an entry to the audit log; callers commit with their own change."""
from pathlib import PurePath

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


def file_target(source) -> tuple[str, str]:
    """The target of an import: the file's name (a path or an upload)."""
    name = source if isinstance(source, str | PurePath) else \
        getattr(source, "filename", None) or getattr(source, "name", None) or ""
    return "file", PurePath(str(name)).name[:64] or "upload"


def record_denial(*, by: User | None, target, ip: str | None, path: str, method: str,
                  status: int) -> AuditEvent:
    """Record a refused request: who asked for what, from where (one row per request)."""
    return record("access.denied", by=by, target=target, ip=ip, path=path[:200], method=method,
                  status=status)
