"""Which state of the published content a process's catalogue snapshot was read at.

One row. Database triggers (see the migration that creates this table) add 1 to
`version` in the same transaction as every insert, update or delete of a module, a
module version, a quiz or a program, whichever path writes it (page, CLI, shell). `epoch`
is drawn at random when the row is made, so two databases (a test's, a restored
stranger's) never share a (epoch, version) pair. services/content_catalogue.py keeps a
snapshot only while the pair it was read at is the database's.
"""
from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from extensions import db


class ContentVersion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
