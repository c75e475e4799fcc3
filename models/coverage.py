"""A university's coverage figures for one day, kept only while nothing under it changed.

Database triggers (see the migration that creates this table) add 1 to `version` in the
same transaction as every insert, update or delete of the rows coverage reads: a unit,
an assignment or a certificate under the university, a staffing rule or a program. A
snapshot is served only when it was taken today at the current version, so no page
ever shows figures older than the data, whichever path (page, import, shell) wrote it.
"""
from datetime import date

from sqlalchemy import JSON
from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from extensions import db


class CoverageCache(db.Model):
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    #: bumped by the triggers on every change under the unit
    version: Mapped[int] = mapped_column(default=0)
    #: the day and version the snapshot was taken at (None: never)
    day: Mapped[date | None] = mapped_column(Date)
    snapshot_version: Mapped[int | None]
    #: {"roles": {code: [required, assigned, certified, expiring, vacancies, covered]},
    #:  "units": [total, compliant]}
    payload: Mapped[dict | None] = mapped_column(JSON)
