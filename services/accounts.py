"""Logins: sign-in, passwords, grants, invitations and API tokens."""
import hashlib
import re
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash

from extensions import db
from models import ApiToken
from models import Grant
from models import Person
from models import Unit
from models import User
from models.base import utcnow
from services import audit
from services import passwords
from services.errors import Conflict
from services.errors import DomainError
from services.errors import NotFound

#: what a login's email and name may be (the columns' sizes); sign-in by email needs the @
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
MAX_EMAIL_LENGTH, MAX_NAME_LENGTH = 254, 100
#: a hash to check against when no account matches, so timing does not tell
_DUMMY_HASH = passwords.hash_password("not-a-real-password")
#: how precisely a token's last use is recorded
TOKEN_USE_GRANULARITY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_login(username: str) -> User | None:
    """The account for an email address or a staff/student number."""
    username = username.strip()
    if not username:
        return None
    if "@" in username:
        return db.session.scalar(select(User).where(func.lower(User.email) == username.lower()))
    return db.session.scalar(
        select(User).join(Person, Person.id == User.person_id).where(Person.number == username)
    )


def authenticate(username: str, password: str, ip: str | None = None) -> User | None:
    """The user if the password is right; failures are audited and look alike."""
    user = find_login(username)
    if user is None or not user.password_hash or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        audit.record("auth.login_failed", ip=ip, username=username[:100])
        return None
    if not check_password_hash(user.password_hash, password):
        audit.record("auth.login_failed", by=user, target=user, ip=ip)
        return None
    if not passwords.is_current_hash(user.password_hash):
        user.password_hash = passwords.hash_password(password)  # upgrade an older hash
    user.last_login_at = utcnow()
    audit.record("auth.login", by=user, target=user, ip=ip)
    return user


def check_password_rules(password: str, user: User | None = None, *, email: str | None = None,
                         name: str | None = None, number: str | None = None) -> None:
    """Length, not common, not the login's own email, name or number (services.passwords)."""
    if user is not None:
        email, name = user.email, user.name
        number = user.person.number if user.person else None
    passwords.check_password(password, email=email, name=name, number=number)


def set_password(user: User, password: str, *, by: User | None = None) -> None:
    """Set a new password, clear any forced change and sign out other sessions."""
    check_password_rules(password, user)
    user.password_hash = passwords.hash_password(password)
    user.must_change_password = False
    user.activation_hash = None
    user.activation_expires = None
    user.session_version += 1
    audit.record("auth.password_changed", by=by or user, target=user)


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password, proving the current one."""
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise DomainError(_("The current password is wrong."))
    if current == new:
        raise DomainError(_("Choose a password different from the current one."))
    set_password(user, new)


def sign_out_everywhere(user: User, *, by: User, ip: str | None = None) -> None:
    """End every session of `user`, on every device (session cookies carry the version)."""
    user.session_version += 1
    audit.record("auth.signed_out_everywhere", by=by, target=user, ip=ip)


def must_change_password(user: User, demo_mode: bool) -> bool:
    """Invited and demo accounts choose their own password, except on a demo server."""
    return user.must_change_password and not (demo_mode and user.is_demo)


def create_user(email: str, name: str, password: str, *, person_number: str | None = None,
                grant: tuple[str, str | None] | None = None, by: User | None = None,
                is_demo: bool = False) -> User:
    """Create a login, optionally linked to a person and with one grant."""
    email, name = email.strip().lower(), name.strip()
    if len(email) > MAX_EMAIL_LENGTH or not EMAIL.match(email):
        raise DomainError(_("“%(email)s” is not an email address.", email=email))
    if not name or len(name) > MAX_NAME_LENGTH:
        raise DomainError(_("Give a name of 1 to %(n)d characters.", n=MAX_NAME_LENGTH))
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise Conflict(_("A user with email %(email)s already exists.", email=email))
    person = None
    if person_number:
        person = db.session.scalar(select(Person).where(Person.number == person_number))
        if person is None:
            raise NotFound(_("No person with number %(number)s.", number=person_number))
        if db.session.scalar(select(User).where(User.person_id == person.id)):
            raise Conflict(_("Person %(number)s already has a login.", number=person_number))
    check_password_rules(password, email=email, name=name, number=person_number)
    user = User(email=email, name=name, person=person, is_demo=is_demo,
                password_hash=passwords.hash_password(password), must_change_password=is_demo)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", by=by, target=user, email=email)
    if grant is not None:
        add_grant(user, grant[0], grant[1], by=by)
    return user


def add_grant(user: User, kind: str, unit_code: str | None, *, by: User | None = None) -> Grant:
    """Give `user` superadmin, or admin/trainer/auditor over a unit's subtree."""
    unit = None
    if kind != "superadmin":
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
        if unit is None:
            raise NotFound(_("No unit with code %(code)s.", code=unit_code))
    for existing in user.grants:
        if existing.kind == kind and existing.unit_id == (unit.id if unit else None):
            return existing
    grant = Grant(user=user, kind=kind, unit=unit, created_by_id=by.id if by else None)
    db.session.add(grant)
    db.session.flush()
    audit.record("grant.added", by=by, target=user, kind=kind, unit=unit_code)
    return grant


def remove_grant(grant: Grant, *, by: User | None = None) -> None:
    audit.record("grant.removed", by=by, target=grant.user, kind=grant.kind,
                 unit=grant.unit.code if grant.unit else None)
    db.session.delete(grant)


def create_token(user: User, name: str = "", *, by: User | None = None) -> str:
    """Make an API token for `user`; only its hash is kept, so show it now."""
    token = "sw_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, name=name, token_hash=hash_token(token),
                            prefix=token[:10]))
    audit.record("token.created", by=by or user, target=user, name=name)
    return token


#: the user behind a working token (with grants and their units), and the token's id and
#: last use: one statement, built once. The token is read as two columns, not as an entity:
#: loading an ORM object costs more than SQLite takes to find the row.
USER_BY_TOKEN = (select(User, ApiToken.id, ApiToken.last_used_at)
                 .join(ApiToken, ApiToken.user_id == User.id)
                 .where(ApiToken.token_hash == bindparam("hash"), ApiToken.revoked_at.is_(None))
                 .options(joinedload(User.grants)))
NOTE_TOKEN_USE = (update(ApiToken).where(ApiToken.id == bindparam("token_id"))
                  .values(last_used_at=bindparam("now")))


def user_for_token(token: str) -> tuple[User | None, bool]:
    """The active user behind a bearer token (or None), and whether its use was noted just
    now: a write, for the caller to commit."""
    row = db.session.execute(USER_BY_TOKEN, {"hash": hash_token(token)}).unique().first()
    if row is None or not row.User.active:
        return None, False
    user, token_id, last_used_at = row
    now = utcnow()
    # Writing on every call would make each API read a write; a minute is precise enough.
    if last_used_at is not None and now - last_used_at <= TOKEN_USE_GRANULARITY:
        return user, False
    db.session.connection().execute(NOTE_TOKEN_USE, {"token_id": token_id, "now": now})
    return user, True


def active_tokens(user: User) -> Select:
    """The user's tokens that still work, newest first (a query, to paginate)."""
    return (select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))


def get_own_token(user: User, token_id: int) -> ApiToken:
    """One of the user's working tokens; anyone else's answers NotFound."""
    row = db.session.scalar(active_tokens(user).where(ApiToken.id == token_id))
    if row is None:
        raise NotFound(_("No such token."))
    return row


def revoke_token(token_row: ApiToken, *, by: User) -> None:
    """Stop a token working at once; the row stays, for the audit trail."""
    token_row.revoked_at = utcnow()
    audit.record("token.revoked", by=by, target=token_row.user, token=token_row.prefix,
                 name=token_row.name or None)


def issue_activation(user: User, valid_days: int) -> str:
    """A one-time activation token for `user` (replacing any earlier one)."""
    token = secrets.token_urlsafe(32)
    user.activation_hash = hash_token(token)
    user.activation_expires = utcnow() + timedelta(days=valid_days)
    return token


def activate(token: str, password: str) -> User:
    """Set the first password through an activation link, which then stops working."""
    user = user_for_activation(token)
    if user is None:
        raise NotFound(_("This activation link is invalid or has expired."))
    set_password(user, password)
    audit.record("auth.activated", by=user, target=user)
    return user


def user_for_activation(token: str) -> User | None:
    user = db.session.scalar(select(User).where(User.activation_hash == hash_token(token)))
    if user is None or user.activation_expires is None or user.activation_expires < utcnow():
        return None
    return user
