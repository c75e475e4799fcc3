"""Case-study modules, their versions, and each learner's progress through them."""
from datetime import datetime

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from extensions import db
from models.base import utcnow
from models.org import Person


class Module(db.Model):
    """A case study; what learners see is its latest version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    #: the version learners are given now (the highest one)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_version.id", use_alter=True, name="fk_module_current_version_id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list["ModuleVersion"]] = relationship(
        back_populates="module", foreign_keys="ModuleVersion.module_id",
        order_by="ModuleVersion.version")
    current: Mapped["ModuleVersion | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True)


class ModuleVersion(db.Model):
    """One version of a module: its whole Markdown source and the front matter read from it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: role codes the module is required for
    roles: Mapped[list] = mapped_column(JSON, default=list)
    #: recognition | discernment | intervention
    competencies: Mapped[list] = mapped_column(JSON, default=list)
    hours: Mapped[float] = mapped_column(default=0.0)
    language: Mapped[str] = mapped_column(String(8), default="zh")
    #: the file as written: front matter and Markdown, decision blocks included
    source: Mapped[str] = mapped_column(Text)
    #: learners who completed an earlier version must complete this one again
    requires_recompletion: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    module: Mapped[Module] = relationship(back_populates="versions", foreign_keys=[module_id])

    __table_args__ = (UniqueConstraint("module_id", "version"),)


class Progress(db.Model):
    """How far a person has come through one module version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_version.id"), index=True)
    #: the highest section index reached (0-based)
    section_reached: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    #: share of decision points answered correctly first time, set on completion
    score: Mapped[float | None]

    person: Mapped[Person] = relationship()
    module_version: Mapped[ModuleVersion] = relationship()

    __table_args__ = (UniqueConstraint("person_id", "module_version_id"),)


class DecisionAnswer(db.Model):
    """A person's answer at one decision point of one module version (one row, ever)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_version.id"), index=True)
    decision_id: Mapped[str] = mapped_column(String(100))
    #: index of the option chosen first (what statistics and the score count)
    first_choice: Mapped[int]
    first_correct: Mapped[bool]
    #: index of the option chosen last (a learner may try again after feedback)
    last_choice: Mapped[int]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("person_id", "module_version_id", "decision_id"),)
