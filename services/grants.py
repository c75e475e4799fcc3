"""Who may administer, train or audit a unit: grants given and taken in the browser.

An admin may grant admin, trainer or auditor on any unit in their own scope;
superadmin is given only from the command line (`flask users create --superadmin`).
"""
from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from models import Grant
from models import Unit
from models import User
from services import accounts
from services import scope
from services.errors import DomainError
from services.errors import NotFound

UNIT_GRANT_KINDS = ("admin", "trainer", "auditor")


def grants_on(unit: Unit) -> list[Grant]:
    """The grants held on exactly this unit, by kind then email."""
    return list(db.session.scalars(
        select(Grant).options(joinedload(Grant.user))
        .join(User, User.id == Grant.user_id)
        .where(Grant.unit_id == unit.id)
        .order_by(Grant.kind, User.email)
    ))


def grant_access(email: str, kind: str, unit: Unit, *, by: User) -> Grant:
    """Give the user with `email` a `kind` grant on `unit`, if `by` administers it."""
    if not scope.can(by, scope.WRITE_KINDS, unit):
        raise NotFound(_("No such unit."))
    if kind not in UNIT_GRANT_KINDS:
        raise DomainError(_("Choose admin, trainer or auditor."))
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise DomainError(_("No user with email %(email)s.", email=email))
    return accounts.add_grant(user, kind, unit.code, by=by)


def revoke_access(grant_id: int, *, by: User) -> Grant:
    """Take back a unit grant, if `by` administers its unit; never one's last own admin grant."""
    grant = db.session.get(Grant, grant_id)
    if grant is None or grant.unit is None or not scope.can(by, scope.WRITE_KINDS, grant.unit):
        raise NotFound(_("No such grant."))
    if grant.user_id == by.id and grant.kind == "admin" and not by.is_superadmin:
        raise DomainError(_("You cannot remove your own admin grant."))
    accounts.remove_grant(grant, by=by)
    return grant
