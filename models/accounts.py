"""Logins, what they may administer, and API tokens."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from extensions import db
from models.base import utcnow
from models.org import Person
from models.org import Unit

GRANT_KINDS = ("superadmin", "admin", "trainer", "auditor")


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), unique=True)
    #: None until the account is activated
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: set for invited and demo accounts: the next sign-in must choose a new password
    must_change_password: Mapped[bool] = mapped_column(default=False)
    #: demo accounts keep their published password on a demo server
    is_demo: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    #: zh_CN | en, or None to follow the browser
    locale: Mapped[str | None] = mapped_column(String(8))
    #: sha256 of a one-time activation token, and when it lapses
    activation_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    activation_expires: Mapped[datetime | None]
    #: bumped to sign the user out everywhere
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    person: Mapped[Person | None] = relationship()
    grants: Mapped[list["Grant"]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan",
        foreign_keys="Grant.user_id",
    )

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_superadmin(self) -> bool:
        return any(g.kind == "superadmin" for g in self.grants)


class Grant(db.Model):
    """Superadmin, or admin / trainer / auditor of a unit's subtree."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: superadmin | admin | trainer | auditor
    kind: Mapped[str] = mapped_column(String(16))
    #: None only for superadmin
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])
    unit: Mapped[Unit | None] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("user_id", "kind", "unit_id"),
        CheckConstraint(
            "kind IN ('superadmin', 'admin', 'trainer', 'auditor')", name="kind"
        ),
        CheckConstraint(
            "(kind = 'superadmin' AND unit_id IS NULL) OR "
            "(kind <> 'superadmin' AND unit_id IS NOT NULL)",
            name="unit",
        ),
    )


class ApiToken(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    #: sha256 of the token; the token itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: first characters, to tell tokens apart in lists
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
