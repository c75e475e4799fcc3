"""The append-only record of who changed what."""
from datetime import datetime

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from extensions import db
from models.accounts import User
from models.base import utcnow


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: None for the system or an anonymous visitor (e.g. a failed sign-in)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    #: dotted verb, e.g. auth.login, auth.login_failed, roster.import_people
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))

    actor: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_audit_event_target", "target_type", "target_id"),)
