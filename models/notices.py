"""Expiry reminders: what is owed to whom, written before anything is sent, so a
crash or a failing mail server loses nothing and a rerun sends nothing twice."""
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from extensions import db
from models.accounts import User
from models.base import utcnow
from models.certification import Certificate
from models.org import Person

#: days before expiry a reminder is due; 0 = on the day it expires
REMINDER_THRESHOLDS = (90, 30, 7, 0)
MAIL_STATUSES = ("pending", "sent", "failed", "none")


class ExpiryNotice(db.Model):
    """A certificate crossed a reminder threshold: shown on the holder's dashboard and
    mailed to them once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    threshold: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: pending | sent | failed (will be retried) | none (no e-mail address)
    mail_status: Mapped[str] = mapped_column(String(16), default="pending")
    mail_attempts: Mapped[int] = mapped_column(default=0)
    mail_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None]
    #: the holder closed it on their dashboard
    dismissed_at: Mapped[datetime | None]

    certificate: Mapped[Certificate] = relationship()
    person: Mapped[Person] = relationship()

    __table_args__ = (
        UniqueConstraint("certificate_id", "threshold"),
        Index("ix_expiry_notice_mail_status", "mail_status"),
    )


class DigestItem(db.Model):
    """A notice owed to one unit admin's digest; sent_at marks it delivered."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    notice_id: Mapped[int] = mapped_column(ForeignKey("expiry_notice.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    notice: Mapped[ExpiryNotice] = relationship()

    __table_args__ = (
        UniqueConstraint("user_id", "notice_id"),
        Index("ix_digest_item_user_sent", "user_id", "sent_at"),
    )
